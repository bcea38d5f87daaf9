/**
 * The nginx router: renders every service's split into one nginx.conf, checks it with `nginx -t`
 * and applies it with `nginx -s reload` (a graceful reload: old workers finish what they serve).
 * A config nginx rejects is never installed; the previous one keeps running.
 *
 * With `manage: true` the router starts nginx itself (master in the foreground, as a child) under
 * `prefix` and stops it on close; otherwise it reloads an nginx started elsewhere with that prefix.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { z } from 'zod';
import type { CompiledHeaderMatch } from '../../domain/traffic/header-match.js';
import { compileHeaderMatches } from '../../domain/traffic/header-match.js';
import { percentToBasisPoints } from '../../domain/traffic/routing-update.js';
import { renderNginxConfig, type NginxService } from './nginx-config.js';
import type { RouterDefinition, RouterResult, TrafficRouter } from './types.js';
import { checkMirror, invalid, ok } from './validate.js';

const hostPort = z.string().regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, 'must be host:port, e.g. 127.0.0.1:8081');

const configSchema = z.object({
  binary: z.string().default('/usr/sbin/nginx'),
  /** Directory for nginx.conf, pid, logs and temp files. */
  prefix: z.string().min(1),
  manage: z.boolean().default(false),
  workerProcesses: z.number().int().min(1).max(64).default(1),
  listenHost: z.string().default('127.0.0.1'),
  services: z.record(z.string().regex(/^[A-Za-z0-9_.-]+$/), z.object({
    listen: z.number().int().min(1).max(65_535),
    stable: hostPort,
    canary: hostPort.optional(),
    sticky: z.object({ from: z.enum(['cookie', 'header']), name: z.string().regex(/^[A-Za-z0-9_-]+$/) }).strict().optional(),
  }).strict()),
}).strict();

export type NginxRouterConfig = z.output<typeof configSchema>;

function run(binary: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(binary, args, { timeout: 15_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof (err as { code?: unknown }).code === 'number' ? (err as { code: number }).code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}`.trim() });
    });
  });
}

function waitForPort(host: string, port: number, deadlineMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const attempt = () => {
      const s = connect({ host, port });
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => {
        s.destroy();
        if (Date.now() > deadlineMs) resolve(false);
        else setTimeout(attempt, 25);
      });
    };
    attempt();
  });
}

/** host:port of an http:// upstream URL without a path, or why it is not one. */
function upstreamHostPort(url: string, field: string): string | RouterResult {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return invalid(`${field} must be a URL such as http://127.0.0.1:8081 (got ${JSON.stringify(url)})`);
  }
  if (u.protocol !== 'http:' || (u.pathname !== '/' && u.pathname !== '') || u.search !== '') return invalid(`${field} must be http://host:port without a path (got ${url})`);
  return `${u.hostname}:${u.port || 80}`;
}

export const nginxRouter = {
  type: 'nginx',
  description: 'nginx in front of each service: split_clients weights, map header routes, graceful reload.',
  configSchema,
  async create(config: NginxRouterConfig, deps): Promise<TrafficRouter> {
    const prefix = config.prefix;
    for (const d of ['', 'tmp', 'tmp/body', 'tmp/proxy', 'tmp/fastcgi', 'tmp/uwsgi', 'tmp/scgi']) mkdirSync(join(prefix, d), { recursive: true });
    const confPath = join(prefix, 'nginx.conf');
    const state = new Map<string, NginxService>(Object.entries(config.services).map(([name, s]) => [name, {
      name, listenPort: s.listen, stable: s.stable, canary: s.canary ?? null, sticky: s.sticky ?? null, canaryWeight: 0, headerRoutes: [],
    }]));
    const global = { prefix, workerProcesses: config.workerProcesses, listenHost: config.listenHost, runAsRoot: process.getuid?.() === 0 };
    const baseArgs = ['-p', `${prefix}/`];
    // Calls are serialised: two reloads racing could install an older state last.
    let queue: Promise<unknown> = Promise.resolve();

    /** Renders, tests and reloads `next`; called in turn from `change` (the queue is already held). */
    const apply = async (next: Map<string, NginxService>): Promise<RouterResult> => {
      try {
        const candidate = join(prefix, 'nginx.conf.next');
        writeFileSync(candidate, renderNginxConfig([...next.values()], global));
        const test = await run(config.binary, [...baseArgs, '-c', candidate, '-t', '-q']);
        if (test.code !== 0) return { ok: false, code: 'apply_failed', message: `nginx -t rejected the rendered config: ${test.output}` };
        renameSync(candidate, confPath);
        const reload = await run(config.binary, [...baseArgs, '-c', confPath, '-s', 'reload']);
        if (reload.code !== 0) return { ok: false, code: 'apply_failed', message: `nginx -s reload failed: ${reload.output}` };
        for (const [k, v] of next) state.set(k, v);
        return ok;
      } catch (err) {
        return { ok: false, code: 'apply_failed', message: `cannot write the nginx config under ${prefix}: ${(err as Error).message}` };
      }
    };

    // The edit runs in turn, on the state the previous change left: two calls made without awaiting
    // the first (a weight, then a header route) both land.
    const change = (service: string, edit: (s: NginxService) => NginxService | RouterResult): Promise<RouterResult> => {
      if (!state.has(service)) return Promise.resolve({ ok: false, code: 'not_found', message: `nginx router has no service "${service}"; add it under services in the router config` });
      const work = queue.then(() => {
        const edited = edit(state.get(service)!);
        return 'ok' in edited ? edited : apply(new Map(state).set(service, edited));
      });
      queue = work;
      return work;
    };

    let master: ChildProcess | null = null;
    if (config.manage) {
      writeFileSync(confPath, renderNginxConfig([...state.values()], global));
      const test = await run(config.binary, [...baseArgs, '-c', confPath, '-t', '-q']);
      if (test.code !== 0) throw new Error(`nginx -t rejected the initial config: ${test.output}`);
      master = spawn(config.binary, [...baseArgs, '-c', confPath, '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
      const deadline = Date.now() + 10_000;
      for (const s of state.values()) {
        if (!(await waitForPort(config.listenHost, s.listenPort, deadline))) {
          master.kill('SIGKILL');
          throw new Error(`nginx did not listen on ${config.listenHost}:${s.listenPort} within 10 s (see ${prefix}/error.log)`);
        }
      }
      deps.logger.info({ prefix, pid: master.pid }, 'nginx started');
    }

    return {
      type: 'nginx',
      setWeight(service, percent) {
        return change(service, (s) => {
          const bp = percentToBasisPoints(percent);
          return bp.ok ? { ...s, canaryWeight: bp.value } : invalid(bp.message);
        });
      },
      setHeaderRoute(service, route) {
        return change(service, (s) => {
          if (typeof route?.name !== 'string' || route.name === '') return invalid('headerRoute.name must be a non-empty string');
          const others = s.headerRoutes.filter((r) => r.name !== route.name);
          if (!route.match || route.match.length === 0) return { ...s, headerRoutes: others };
          const compiled = compileHeaderMatches(route.match, 'headerRoute.match', false);
          if (!compiled.ok) return invalid(compiled.message);
          if (compiled.value.length > 1) return { ok: false, code: 'unsupported', message: 'nginx router: a header route may hold one match only (nginx maps cannot AND headers); split it or use builtin-proxy' };
          return { ...s, headerRoutes: [...others, { name: route.name, match: compiled.value[0] as CompiledHeaderMatch }] };
        });
      },
      async setMirror(service, mirror) {
        if (!state.has(service)) return { ok: false, code: 'not_found', message: `nginx router has no service "${service}"` };
        const valid = checkMirror(mirror);
        if (!valid.ok || mirror === null) return valid;
        return { ok: false, code: 'unsupported', message: 'nginx router does not mirror traffic; use the builtin-proxy router for mirror routes' };
      },
      setUpstreams(service, upstreams) {
        return change(service, (s) => {
          const stable = upstreamHostPort(upstreams.stable.url, 'stable.url');
          if (typeof stable !== 'string') return stable;
          const canary = upstreams.canary === null ? null : upstreamHostPort(upstreams.canary.url, 'canary.url');
          if (canary !== null && typeof canary !== 'string') return canary;
          return { ...s, stable, canary };
        });
      },
      reset(service) {
        return change(service, (s) => ({ ...s, canaryWeight: 0, headerRoutes: [] }));
      },
      async close() {
        const m = master;
        master = null;
        if (!m || m.exitCode !== null) return;
        const exited = new Promise((r) => m.once('exit', r));
        m.kill('SIGQUIT'); // graceful shutdown
        const timer = setTimeout(() => m.kill('SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      },
    };
  },
} satisfies RouterDefinition<typeof configSchema>;
