import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';

export const prometheusBin = '/usr/bin/prometheus';

export interface TestPrometheus {
  /** e.g. http://127.0.0.1:41234 */
  readonly url: string;
  /** Resolves once the server has exited and its temp directory is gone. Idempotent. */
  stop(): Promise<void>;
  /** Waits until `query` answers a non-empty vector whose first value is finite, or throws after `timeoutMs`. */
  waitForData(query: string, timeoutMs: number): Promise<number>;
  /** Runs an instant query: the raw `data.result` (empty when no series); a failed query throws. */
  query(promql: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>>;
}

/**
 * Starts a private Prometheus on a free loopback port with a temp config and TSDB directory,
 * scraping `targets` (host:port) every `scrapeIntervalSeconds`. Resolves when /-/ready answers
 * (bounded by 15 s; the error carries Prometheus' log).
 */
export async function startPrometheus(targets: readonly string[], scrapeIntervalSeconds = 1): Promise<TestPrometheus> {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-prom-'));
  const port = await freePort();
  const config = [
    'global:',
    `  scrape_interval: ${scrapeIntervalSeconds}s`,
    `  evaluation_interval: ${scrapeIntervalSeconds}s`,
    'scrape_configs:',
    '  - job_name: rampart-test',
    `    scrape_interval: ${scrapeIntervalSeconds}s`,
    `    scrape_timeout: ${Math.max(500, Math.round(scrapeIntervalSeconds * 800))}ms`,
    '    static_configs:',
    `      - targets: [${targets.map((t) => `"${t}"`).join(', ')}]`,
    '',
  ].join('\n');
  writeFileSync(join(dir, 'prometheus.yml'), config);
  const child: ChildProcess = spawn(prometheusBin, [
    `--config.file=${join(dir, 'prometheus.yml')}`,
    `--storage.tsdb.path=${join(dir, 'data')}`,
    `--web.listen-address=127.0.0.1:${port}`,
    '--log.level=warn',
  ], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log = (log + d.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const exited = new Promise<void>((ok) => child.once('exit', () => ok()));

  let stopped = false;
  const stop = async () => {
    if (!stopped) {
      stopped = true;
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const killer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        await exited;
        clearTimeout(killer);
      }
      rmSync(dir, { recursive: true, force: true });
    }
  };

  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      const res = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1000) });
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`Prometheus did not become ready on port ${port}:\n${log}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    url,
    stop,
    async query(promql) {
      const res = await fetch(`${url}/api/v1/query`, { method: 'POST', body: new URLSearchParams({ query: promql }) });
      const body = (await res.json()) as { status: string; data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> }; error?: string };
      if (body.status !== 'success') throw new Error(`query failed: ${body.error ?? res.status}`);
      return body.data.result;
    },
    async waitForData(query, timeoutMs) {
      const until = Date.now() + timeoutMs;
      for (;;) {
        try {
          const res = await fetch(`${url}/api/v1/query`, { method: 'POST', body: new URLSearchParams({ query }), signal: AbortSignal.timeout(2000) });
          const body = (await res.json()) as { data?: { result?: { value: [number, string] }[] } };
          const first = body.data?.result?.[0]?.value[1];
          if (first !== undefined && Number.isFinite(Number(first))) return Number(first);
        } catch {
          // keep waiting
        }
        if (Date.now() > until) throw new Error(`no data for ${query} within ${timeoutMs} ms`);
        await new Promise((r) => setTimeout(r, 250));
      }
    },
  };
}
