import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import { getRequestListener } from '@hono/node-server';
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

/** An in-process Rampart (dashboard, sessions and API wired as `rampart up` wires them) on a real socket. */
export async function startDashboardServer(options: { configYaml?: string } = {}) {
  const rampart = await createTestRampart(options);
  const server: Server = createServer(getRequestListener(rampart.app.fetch));
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    rampart,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((ok) => server.close(() => ok()));
      await rampart.cleanup();
    },
  };
}
