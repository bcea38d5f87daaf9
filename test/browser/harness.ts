import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { getRequestListener } from '@hono/node-server';
import { Hono } from 'hono';
import { Registry } from 'prom-client';
import { RampartError, isRampartError, toErrorBody } from '../../src/platform/errors.js';
import { createApp } from '../../src/server/app.js';
import { sessionRoutes } from '../../src/server/routes/session.js';
import { createSessionStore, principalFromSession } from '../../src/server/session.js';
import { serveWeb } from '../../src/server/static.js';
import type { Principal } from '../../src/services/tokens.js';
import { createTestRampart } from '../../src/testing/rampart.js';

const root = process.cwd();
export const webDist = resolve(root, 'dist/web');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Builds dist/web when it is missing or older than src/web (about a second). */
export function ensureWebBuilt(): void {
  const index = join(webDist, 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newestMtime(resolve(root, 'src/web'))) return;
  execFileSync(resolve(root, 'node_modules/.bin/vite'), ['build', '--config', 'src/web/vite.config.mts', '--logLevel', 'warn'], {
    cwd: root, stdio: 'pipe',
    // vitest sets NODE_ENV=test, which would make Vite bundle React's development build.
    env: { ...process.env, NODE_ENV: 'production' },
  });
}

/**
 * An in-process Rampart behind a real HTTP server with the dashboard's parts in front: the
 * session routes, the static files, and cookie sessions. Until the lead wires these into
 * createApp, the session principal reaches the unchanged API through a one-use internal bearer
 * credential that only this harness's token service accepts; the CSRF check and the session
 * lookup are the production functions.
 */
export async function startDashboardServer(options: { configYaml?: string } = {}) {
  const rampart = await createTestRampart(options);
  const { deps } = rampart;
  const sessions = createSessionStore(deps.store, deps.clock);
  const bridged = new Map<string, Principal>();
  const api = createApp({
    ...deps,
    // rampart.app already registered its metrics on deps.metrics.
    metrics: new Registry(),
    tokens: {
      ...deps.tokens,
      authenticate: async (credential: string) => {
        const p = bridged.get(credential);
        if (p) {
          bridged.delete(credential);
          return p;
        }
        return deps.tokens.authenticate(credential);
      },
    },
  });

  const outer = new Hono();
  outer.route('/api/v1/session', sessionRoutes(deps, sessions));
  outer.use(serveWeb(webDist));
  outer.all('*', async (c) => {
    const headers = new Headers(c.req.raw.headers);
    if (!headers.has('authorization') && !headers.has('x-api-key')) {
      const principal = await principalFromSession(c, sessions);
      if (principal) {
        const once = `bridge_${randomBytes(16).toString('hex')}`;
        bridged.set(once, principal);
        headers.set('authorization', `Bearer ${once}`);
      }
    }
    const body = c.req.method === 'GET' || c.req.method === 'HEAD' ? undefined : await c.req.raw.arrayBuffer();
    return api.fetch(new Request(c.req.raw.url, { method: c.req.method, headers, ...(body ? { body } : {}) }));
  });
  outer.onError((err, c) => {
    const e = isRampartError(err) ? err : new RampartError('INTERNAL', String(err));
    return c.json(toErrorBody(e), e.status as 400);
  });

  const server: Server = createServer(getRequestListener(outer.fetch));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    rampart,
    sessions,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
      await rampart.cleanup();
    },
  };
}
