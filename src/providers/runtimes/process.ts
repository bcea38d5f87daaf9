/**
 * The process runtime: runs each version as a local child process from a command template.
 *
 * `{{service}}`, `{{version}}` and `{{port}}` are replaced in `command` and `env`; the port is a free
 * loopback port picked at start and kept across restarts (the router's URL stays valid). Output goes
 * to `<logDir>/<service>-<version>.log`. Start resolves once `healthPath` answers 2xx. Restart
 * policy: never, on-failure (non-zero exit or signal) or always, up to `maxRestarts` with a backoff.
 * Stop sends SIGTERM, then SIGKILL after `stopGraceMs`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { z } from 'zod';
import { waitHealthy } from './health.js';
import { renderTemplate, unknownPlaceholders } from './template.js';
import type { RuntimeDefinition, RuntimeResult, RunningVersion, VersionRuntime, VersionSpec, VersionStatus } from './types.js';

const names = ['service', 'version', 'port'] as const;
const templated = z.string().refine((s) => unknownPlaceholders(s, names).length === 0, `may only use {{${names.join('}}, {{')}}}`);

const configSchema = z.object({
  /** argv: the program, then its arguments (no shell). */
  command: z.array(templated).min(1),
  cwd: z.string().optional(),
  env: z.record(z.string(), templated).default({}),
  host: z.string().default('127.0.0.1'),
  healthPath: z.string().startsWith('/').default('/health'),
  healthTimeoutMs: z.number().int().min(100).default(30_000),
  healthIntervalMs: z.number().int().min(10).default(100),
  restart: z.object({
    policy: z.enum(['never', 'on-failure', 'always']).default('on-failure'),
    maxRestarts: z.number().int().min(0).default(5),
    backoffMs: z.number().int().min(0).default(500),
  }).strict().default({ policy: 'on-failure', maxRestarts: 5, backoffMs: 500 }),
  stopGraceMs: z.number().int().min(0).default(10_000),
  /** Default: `<dataDir>/logs`. */
  logDir: z.string().optional(),
}).strict();

export type ProcessRuntimeConfig = z.output<typeof configSchema>;

function freeLoopbackPort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, host, () => {
      const a = srv.address();
      srv.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
    });
  });
}

interface Instance {
  spec: VersionSpec;
  port: number;
  url: string;
  logFile: string;
  child: ChildProcess | null;
  status: VersionStatus;
  stopping: boolean;
  exitMessage: string | null;
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').split('\n').slice(-6).join('\n').trim();
  } catch {
    return '';
  }
}

export const processRuntime = {
  type: 'process',
  description: 'Runs each version as a local child process from a command template.',
  configSchema,
  async create(config: ProcessRuntimeConfig, deps): Promise<VersionRuntime> {
    const logDir = config.logDir ?? join(deps.dataDir, 'logs');
    const instances = new Map<string, Instance>();
    const key = (s: string, v: string) => `${s}\u0000${v}`;

    const launch = (inst: Instance) => {
      const values = { service: inst.spec.service, version: inst.spec.version, port: String(inst.port) };
      const argv = config.command.map((c) => renderTemplate(c, values));
      const env: NodeJS.ProcessEnv = { ...process.env };
      for (const [k, v] of Object.entries(config.env)) env[k] = renderTemplate(v, values);
      Object.assign(env, inst.spec.env ?? {});
      const fd = openSync(inst.logFile, 'a');
      inst.exitMessage = null;
      const child = spawn(argv[0] as string, argv.slice(1), { cwd: config.cwd, env, stdio: ['ignore', fd, fd] });
      closeSync(fd);
      inst.child = child;
      child.once('error', (err) => {
        inst.exitMessage = `could not run ${argv[0]}: ${err.message}`;
      });
      child.once('exit', (code, signal) => {
        if (inst.child === child) inst.child = null;
        inst.exitMessage ??= `exited with ${signal ? `signal ${signal}` : `code ${code}`}`;
        if (inst.stopping) return;
        const failed = code !== 0;
        const policy = config.restart.policy;
        inst.status = { ...inst.status, lastError: inst.exitMessage };
        if ((inst.status.state !== 'running' && inst.status.state !== 'restarting') || policy === 'never' || (policy === 'on-failure' && !failed) || inst.status.restarts >= config.restart.maxRestarts) {
          if (inst.status.state === 'running' || inst.status.state === 'restarting') inst.status = { ...inst.status, state: failed ? 'failed' : 'stopped' };
          deps.logger.warn({ service: inst.spec.service, version: inst.spec.version, reason: inst.exitMessage }, 'version process exited');
          return;
        }
        inst.status = { ...inst.status, state: 'restarting', restarts: inst.status.restarts + 1 };
        deps.clock.setTimer(config.restart.backoffMs, () => {
          if (inst.stopping) return;
          launch(inst);
          void waitHealthy(`${inst.url}${config.healthPath}`, deps.clock, { timeoutMs: config.healthTimeoutMs, intervalMs: config.healthIntervalMs }).then((failure) => {
            if (inst.stopping || inst.status.state !== 'restarting') return;
            inst.status = failure ? { ...inst.status, state: 'failed', lastError: failure } : { ...inst.status, state: 'running' };
          });
        });
      });
    };

    const stopInstance = async (inst: Instance) => {
      inst.stopping = true;
      const child = inst.child;
      inst.status = { ...inst.status, state: 'stopped' };
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const cancel = deps.clock.setTimer(config.stopGraceMs, () => child.kill('SIGKILL'));
      await exited;
      cancel();
    };

    return {
      type: 'process',
      async start(spec): Promise<RuntimeResult<RunningVersion>> {
        if (!spec.service || !spec.version) return { ok: false, code: 'invalid', message: 'service and version must be non-empty' };
        const k = key(spec.service, spec.version);
        const existing = instances.get(k);
        if (existing && !existing.stopping && (existing.status.state === 'running' || existing.status.state === 'restarting')) {
          return { ok: true, value: { service: spec.service, version: spec.version, url: existing.url, pid: existing.child?.pid } };
        }
        mkdirSync(logDir, { recursive: true });
        const port = await freeLoopbackPort(config.host);
        const safe = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, '_');
        const inst: Instance = {
          spec, port, url: `http://${config.host}:${port}`, logFile: join(logDir, `${safe(spec.service)}-${safe(spec.version)}.log`),
          child: null, status: { state: 'starting', restarts: 0, url: `http://${config.host}:${port}` }, stopping: false, exitMessage: null,
        };
        instances.set(k, inst);
        launch(inst);
        const failure = await waitHealthy(`${inst.url}${config.healthPath}`, deps.clock, {
          timeoutMs: config.healthTimeoutMs, intervalMs: config.healthIntervalMs,
          abandon: () => (inst.child === null && inst.exitMessage ? inst.exitMessage : null),
        });
        if (failure) {
          await stopInstance(inst);
          const exited = inst.exitMessage !== null && !failure.startsWith('health check');
          inst.status = { state: 'failed', restarts: 0, lastError: failure };
          const logTail = tail(inst.logFile);
          return {
            ok: false, code: exited ? 'start_failed' : 'unhealthy',
            message: `${spec.service} ${spec.version}: ${failure}${logTail ? `; last log lines (${inst.logFile}):\n${logTail}` : ''}`,
          };
        }
        inst.status = { ...inst.status, state: 'running' };
        return { ok: true, value: { service: spec.service, version: spec.version, url: inst.url, pid: inst.child?.pid } };
      },
      async stop(service, version) {
        const inst = instances.get(key(service, version));
        if (inst) await stopInstance(inst);
      },
      status(service, version) {
        const inst = instances.get(key(service, version));
        return inst ? { ...inst.status } : { state: 'stopped', restarts: 0 };
      },
      async close() {
        await Promise.all([...instances.values()].map(stopInstance));
      },
      processes() {
        return [...instances.values()].flatMap((inst) => {
          const pid = inst.child?.pid;
          const live = !inst.stopping && inst.child?.exitCode === null && inst.child.signalCode === null && inst.status.state !== 'failed' && inst.status.state !== 'stopped';
          return live && pid !== undefined ? [{ service: inst.spec.service, version: inst.spec.version, pid }] : [];
        });
      },
    };
  },
} satisfies RuntimeDefinition<typeof configSchema>;
