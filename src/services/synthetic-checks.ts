import { spawn } from 'node:child_process';
import type { SyntheticCheckConfig } from '../config/load.js';

/** The outcome of one check against one target; never thrown, always data. */
export interface CheckOutcome {
  check: string;
  ok: boolean;
  durationMs: number;
  message: string;
}

const httpTimeoutMs = 10_000;

/** The stable name of a configured check: health, graphql, golden-path (golden-path-2… for more scripts). */
export function checkNames(checks: readonly SyntheticCheckConfig[]): string[] {
  let scripts = 0;
  return checks.map((c) => (typeof c === 'string' ? c : ++scripts === 1 ? 'golden-path' : `golden-path-${scripts}`));
}

/** Runs one check against a base URL (no trailing slash needed). */
export async function runCheck(name: string, check: SyntheticCheckConfig, baseUrl: string): Promise<CheckOutcome> {
  const base = baseUrl.replace(/\/+$/, '');
  const started = performance.now();
  const done = (ok: boolean, message: string): CheckOutcome => ({ check: name, ok, durationMs: Math.round((performance.now() - started) * 10) / 10, message });
  try {
    if (check === 'health') {
      const res = await fetch(`${base}/health`, { signal: AbortSignal.timeout(httpTimeoutMs) });
      await res.arrayBuffer();
      return done(res.ok, `GET /health answered ${res.status}${res.ok ? '' : ' (2xx needed)'}`);
    }
    if (check === 'graphql') {
      const res = await fetch(`${base}/graphql`, {
        method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query: '{ __typename }' }),
        signal: AbortSignal.timeout(httpTimeoutMs),
      });
      const text = await res.text();
      if (!res.ok) return done(false, `POST /graphql answered ${res.status} (2xx needed): ${text.slice(0, 200)}`);
      let body: { data?: { __typename?: unknown }; errors?: unknown[] };
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        return done(false, `POST /graphql answered ${res.status} but not JSON: ${text.slice(0, 200)}`);
      }
      if (body.errors?.length) return done(false, `POST /graphql answered errors: ${JSON.stringify(body.errors).slice(0, 200)}`);
      if (typeof body.data?.__typename !== 'string') return done(false, 'POST /graphql answered no data.__typename');
      return done(true, `POST /graphql { __typename } answered ${body.data.__typename}`);
    }
    const r = await runScript(check.script.command, check.script.timeoutSeconds * 1000, { TARGET_URL: base });
    return done(r.code === 0, r.timedOut
      ? `script timed out after ${check.script.timeoutSeconds}s and was killed`
      : `script exited ${r.code ?? `on ${r.signal}`}${r.tail ? `: ${r.tail}` : ''}`);
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    const why = e.name === 'TimeoutError' ? `no answer within ${httpTimeoutMs / 1000}s` : (e.cause?.code ?? e.message);
    return done(false, `${name}: ${base} unreachable (${why})`);
  }
}

/** Runs a shell command in its own process group; the whole group is killed at the timeout. */
function runScript(command: string, timeoutMs: number, env: Record<string, string>): Promise<{ code: number | null; signal: string | null; timedOut: boolean; tail: string }> {
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', command], { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let output = '';
    const keep = (d: Buffer) => (output = (output + d.toString()).slice(-2000));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid!, 'SIGKILL');
      } catch {
        // already gone
      }
    }, timeoutMs);
    const finish = (code: number | null, signal: string | null) => {
      clearTimeout(timer);
      resolve({ code, signal, timedOut, tail: output.trim().split('\n').at(-1)?.slice(0, 200) ?? '' });
    };
    child.on('error', (err) => {
      output += err.message;
      finish(127, null);
    });
    child.on('close', finish);
  });
}
