import { spawn } from 'node:child_process';
import { z } from 'zod';
import type { MetricValue } from '../../domain/analysis/index.js';
import { errorObservation } from './types.js';
import type { MetricProvider, MetricProviderDefinition, ProviderMeasurement } from './types.js';

const configSchema = z.object({
  /** A job that runs longer is killed and measured as a timeout error. */
  timeoutSeconds: z.number().positive().default(300),
  /** Time between SIGTERM and SIGKILL when a job is stopped. */
  killGraceSeconds: z.number().nonnegative().default(5),
  cwd: z.string().optional(),
  /** Added to (and overriding) the Rampart process' environment. */
  env: z.record(z.string(), z.string()).default({}),
}).strict();
export type JobConfig = z.infer<typeof configSchema>;

const STDOUT_LIMIT = 1 << 20;

/**
 * Argo's job provider, run locally: the first container's command and args are spawned
 * directly (no shell; a template that wants one says `/bin/sh -c`). The observation carries the
 * exit code and stdout parsed as JSON when it is JSON (whole output, else its last line).
 * Timeout and abort kill the whole process group (TERM, then KILL after a grace period).
 */
export function createJobProvider(config: JobConfig): MetricProvider {
  return {
    type: 'job',
    async measure(metric, ctx) {
      const p = metric.provider;
      if (p.type !== 'job') return errorObservation('misconfigured', `metric "${metric.name}" uses the ${p.type} provider, not job`);
      if (p.command.length === 0 || p.command[0] === '') return errorObservation('misconfigured', `metric "${metric.name}": the job has no command`);
      return runJob(p.command, config, ctx.signal);
    },
  };
}

function runJob(argv: readonly string[], config: JobConfig, signal: AbortSignal | undefined): Promise<ProviderMeasurement> {
  const query = argv.map((a) => (/^[\w@%+=:,./-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`)).join(' ');
  if (signal?.aborted) return Promise.resolve(errorObservation('aborted', 'job cancelled before it started', { query }));
  return new Promise((resolve) => {
    const [file, ...args] = argv as [string, ...string[]];
    const child = spawn(file, args, { cwd: config.cwd, env: { ...process.env, ...config.env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    let stopped: 'timeout' | 'aborted' | undefined;
    let killTimer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (chunk: Buffer) => {
      if (stdout.length < STDOUT_LIMIT) stdout += chunk.toString('utf8');
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-2000);
    });
    const kill = (sig: NodeJS.Signals) => {
      try {
        // detached: the child leads its own process group, so its children die with it.
        if (child.pid !== undefined) process.kill(-child.pid, sig);
      } catch {
        child.kill(sig);
      }
    };
    const stop = (why: 'timeout' | 'aborted') => {
      if (stopped) return;
      stopped = why;
      kill('SIGTERM');
      killTimer = setTimeout(() => kill('SIGKILL'), config.killGraceSeconds * 1000);
      killTimer.unref();
    };
    const timer = setTimeout(() => stop('timeout'), config.timeoutSeconds * 1000);
    const onAbort = () => stop('aborted');
    signal?.addEventListener('abort', onAbort, { once: true });
    const finish = (m: ProviderMeasurement) => {
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      signal?.removeEventListener('abort', onAbort);
      resolve(m);
    };
    child.on('error', (error: NodeJS.ErrnoException) => {
      const code = error.code === 'ENOENT' || error.code === 'EACCES' ? 'misconfigured' : 'unavailable';
      finish(errorObservation(code, `could not start ${file}: ${error.code ?? error.message}`, { query }));
    });
    child.on('close', (exitCode, sig) => {
      if (stopped === 'timeout') return finish(errorObservation('timeout', `job ran longer than ${config.timeoutSeconds} s and was killed`, { query }));
      if (stopped === 'aborted') return finish(errorObservation('aborted', 'job cancelled and killed', { query }));
      if (exitCode === null) return finish(errorObservation('unavailable', `job was killed by ${sig ?? 'a signal'}${stderr ? `: ${stderr.trim()}` : ''}`, { query }));
      const output = parseOutput(stdout);
      finish({ kind: 'job', exitCode, ...(output !== undefined ? { output } : {}), query });
    });
  });
}

/** stdout as JSON: the whole of it, else its last non-empty line (scripts often log first). */
export function parseOutput(stdout: string): MetricValue | undefined {
  const text = stdout.trim();
  if (text === '') return undefined;
  for (const candidate of [text, text.split('\n').filter((l) => l.trim() !== '').at(-1) ?? '']) {
    try {
      return JSON.parse(candidate) as MetricValue;
    } catch {
      // not JSON; try the next candidate
    }
  }
  return undefined;
}

export const jobMetricProvider: MetricProviderDefinition<JobConfig> = {
  type: 'job',
  description: "Argo's Kubernetes Job, run locally as the first container's command: exit code and JSON stdout.",
  configSchema: configSchema as z.ZodType<JobConfig>,
  create: (config) => createJobProvider(config),
};
