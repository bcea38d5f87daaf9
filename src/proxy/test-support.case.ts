/**
 * Helpers for real-socket tests of the proxy and the routers (tests only; the .case.ts suffix keeps
 * it out of the build): tiny upstream servers that name their version, a bounded load generator
 * over an undici pool, and a real Prometheus on a free port.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Pool } from 'undici';

export interface VersionServer {
  version: string;
  url: string;
  port: number;
  /** Requests this server answered. */
  hits(): number;
  /** The last request's headers. */
  lastHeaders(): IncomingMessage['headers'];
  close(): Promise<void>;
}

/**
 * Starts an upstream on 127.0.0.1 that answers every request 200 with `x-version: <version>` and the
 * version as body (POST bodies are echoed after it). `behave` may take over a request.
 */
export async function startVersionServer(version: string, behave?: (req: IncomingMessage, res: ServerResponse) => boolean): Promise<VersionServer> {
  let hits = 0;
  let last: IncomingMessage['headers'] = {};
  const server: Server = createServer((req, res) => {
    hits++;
    last = req.headers;
    if (behave?.(req, res)) return;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      res.writeHead(200, { 'x-version': version, 'content-type': 'text/plain' });
      res.end(chunks.length ? `${version}:${Buffer.concat(chunks).toString()}` : version);
    });
  });
  server.keepAliveTimeout = 10_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    version, url: `http://127.0.0.1:${port}`, port,
    hits: () => hits,
    lastHeaders: () => last,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

export interface LoadResult {
  byVersion: Map<string, number>;
  /** Responses whose status was not 200, and transport failures left after retries. */
  failures: number;
  /** Transport failures that a retry recovered (only with `retries`). */
  retried: number;
  statuses: Map<number, number>;
}

/**
 * Sends `total` GET requests to `url` with `concurrency` in flight; `headersFor(i)` may add headers.
 * `onProgress(done)` runs after each response (used to change weights mid-run). Bounded: it stops
 * after `total` requests.
 */
export async function sendRequests(
  url: string,
  total: number,
  options: { concurrency?: number; headersFor?: (i: number) => Record<string, string>; onProgress?: (done: number) => void; path?: string; reset?: boolean; retries?: number } = {},
): Promise<LoadResult> {
  const pool = new Pool(url, { connections: options.concurrency ?? 32, pipelining: 1 });
  const result: LoadResult = { byVersion: new Map(), failures: 0, retried: 0, statuses: new Map() };
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < total) {
      const i = next++;
      // A GET is idempotent: like browsers, retry it when the connection failed before any answer.
      for (let attempt = 0; ; attempt++) {
        try {
          const res = await pool.request({ path: options.path ?? '/', method: 'GET', headers: options.headersFor?.(i) ?? {}, reset: options.reset ?? false });
          await res.body.text();
          result.statuses.set(res.statusCode, (result.statuses.get(res.statusCode) ?? 0) + 1);
          if (res.statusCode !== 200) result.failures++;
          const v = res.headers['x-version'];
          const version = typeof v === 'string' ? v : 'none';
          result.byVersion.set(version, (result.byVersion.get(version) ?? 0) + 1);
          if (attempt > 0) result.retried++;
          break;
        } catch {
          if (attempt < (options.retries ?? 0)) continue;
          result.failures++;
          break;
        }
      }
      done++;
      options.onProgress?.(done);
    }
  };
  try {
    await Promise.all(Array.from({ length: options.concurrency ?? 32 }, worker));
  } finally {
    await pool.close();
  }
  return result;
}

export interface TestPrometheus {
  url: string;
  /** Runs an instant query; the raw `data.result` array (empty when no series). */
  query(promql: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>>;
  stop(): Promise<void>;
}

/** Starts a real Prometheus on a free loopback port scraping `targets` (host:port) every second. */
export async function startPrometheus(binary: string, targets: string[], port: number): Promise<TestPrometheus> {
  const { spawn } = await import('node:child_process');
  const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const { join } = await import('node:path');
  const dir = mkdtempSync(join(tmpdir(), 'rampart-prom-'));
  const config = [
    'global:', '  scrape_interval: 1s', '  evaluation_interval: 1s',
    'scrape_configs:', '  - job_name: rampart-proxy', '    static_configs:', `      - targets: [${targets.map((t) => `'${t}'`).join(', ')}]`, '',
  ].join('\n');
  writeFileSync(join(dir, 'prometheus.yml'), config);
  const child = spawn(binary, [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], { stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (child.exitCode === null) child.kill('SIGKILL');
    }
    rmSync(dir, { recursive: true, force: true });
  };
  for (let i = 0; i < 100; i++) {
    try {
      const res = await fetch(`${url}/-/ready`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (i === 99) {
      await stop();
      throw new Error('prometheus did not become ready within 10 s');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    async query(promql) {
      const res = await fetch(`${url}/api/v1/query?query=${encodeURIComponent(promql)}`);
      const body = (await res.json()) as { status: string; data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> }; error?: string };
      if (body.status !== 'success') throw new Error(`query failed: ${body.error ?? res.status}`);
      return body.data.result;
    },
    stop,
  };
}
