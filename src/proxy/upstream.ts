/**
 * One upstream version as the proxy holds it: a keep-alive undici pool to its origin, its metrics
 * series and its fault cell, all resolved once when the target is set, never per request.
 */
import { Pool } from 'undici';
import type { FaultSlot } from './faults.js';
import type { VersionSeries } from './version-series.js';

/** A version and where it answers, e.g. `{ version: '1.4.2', url: 'http://127.0.0.1:8081' }`. */
export interface UpstreamVersion {
  version: string;
  url: string;
}

export interface Target {
  readonly version: string;
  readonly origin: string;
  readonly host: string;
  readonly port: number;
  readonly pool: Pool;
  readonly series: VersionSeries;
  readonly fault: FaultSlot;
}

export type UrlResult = { ok: true; origin: string; host: string; port: number } | { ok: false; message: string };

/** Parses an upstream URL (http only; a path is not allowed since the proxy forwards the client's). */
export function parseUpstreamUrl(url: string, field: string): UrlResult {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { ok: false, message: `${field} must be an absolute URL such as http://127.0.0.1:8081 (got ${JSON.stringify(url)})` };
  }
  if (u.protocol !== 'http:') return { ok: false, message: `${field} must use http:// (got ${u.protocol})` };
  if (u.pathname !== '/' || u.search !== '') return { ok: false, message: `${field} must not carry a path or query (got ${url})` };
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return { ok: true, origin: u.origin, host, port: Number(u.port || 80) };
}

/** Keep-alive pools shared by origin, so stable and canary on the same origin share connections. */
export class PoolCache {
  private readonly pools = new Map<string, Pool>();
  constructor(private readonly options: { connections: number; connectTimeoutMs: number }) {}

  get(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connections: this.options.connections,
        pipelining: 1,
        keepAliveTimeout: 4_000,
        connect: { timeout: this.options.connectTimeoutMs },
      });
      this.pools.set(origin, pool);
    }
    return pool;
  }

  /** Closes pools no longer referenced by any target (after an upstream change). */
  async prune(inUse: ReadonlySet<string>): Promise<void> {
    const unused = [...this.pools.entries()].filter(([origin]) => !inUse.has(origin));
    for (const [origin] of unused) this.pools.delete(origin);
    await Promise.all(unused.map(([, pool]) => pool.close().catch(() => undefined)));
  }

  async closeAll(): Promise<void> {
    const all = [...this.pools.values()];
    this.pools.clear();
    await Promise.all(all.map((p) => p.close().catch(() => undefined)));
  }
}
