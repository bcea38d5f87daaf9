/**
 * Helpers for real-socket tests of the proxy and the routers (tests only; the .case.ts suffix keeps
 * it out of the build): tiny upstream servers that name their version, a bounded load generator
 * over an undici pool, and a real Prometheus on a free port.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { Pool } from 'undici';
import { systemClock } from '../platform/clock.js';
import { createFaultTable } from './faults.js';
import { createMetricsStore } from './metrics-store.js';
import { createServiceProxy, type ServiceProxy, type ServiceProxyOptions } from './service-proxy.js';

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

/**
 * A service proxy for `api` in front of two version servers (v1 stable, v2 canary) on loopback,
 * with its own metrics and faults; everything is closed by the `cleanups` the caller runs.
 */
export async function setupProxy(
  cleanups: Array<() => Promise<void>>,
  extra: Partial<ServiceProxyOptions> = {},
  upstreams?: { stable: VersionServer; canary: VersionServer },
) {
  const stable = upstreams?.stable ?? (await startVersionServer('v1'));
  const canary = upstreams?.canary ?? (await startVersionServer('v2'));
  const metrics = createMetricsStore({ clock: systemClock });
  const faults = createFaultTable(systemClock);
  const proxy: ServiceProxy = createServiceProxy({
    service: 'api', stable: { version: 'v1', url: stable.url }, canary: { version: 'v2', url: canary.url },
    clock: systemClock, metrics, faults, ...extra,
  });
  const address = await proxy.start();
  cleanups.push(async () => {
    await proxy.close(1000);
    await stable.close();
    await canary.close();
  });
  return { proxy, stable, canary, metrics, faults, url: `http://127.0.0.1:${address.port}`, address };
}
