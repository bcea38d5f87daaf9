/** The contract of one service's built-in proxy (implemented in service-proxy.ts). */
import type { RoutingConfig, StickySource } from '../domain/traffic/routing.js';
import type { HeaderRouteSpec, MirrorSpec } from '../domain/traffic/routing-update.js';
import type { Clock } from '../platform/clock.js';
import type { FaultTable } from './faults.js';
import type { MetricsStore } from './metrics-store.js';
import type { UpstreamVersion } from './upstream.js';

export interface ServiceProxyOptions {
  service: string;
  /** `namespace` label of this service's metrics (the spec's PromQL filters on it); default "default". */
  namespace?: string;
  stable: UpstreamVersion;
  canary?: UpstreamVersion | null;
  /** Listen address; default 127.0.0.1 and port 0 (any free port). */
  host?: string;
  port?: number;
  /** Blue-green: a preview listener that always routes to the canary (the new version). */
  previewPort?: number | null;
  /** Per-request upstream timeout (headers, then between body chunks); default 30 s. */
  timeoutMs?: number;
  /** Keep-alive connections per upstream origin; default 256. */
  connectionsPerUpstream?: number;
  routing?: RoutingConfig;
  clock: Clock;
  metrics: MetricsStore;
  faults: FaultTable;
}

export interface ProxyAddress {
  port: number;
  previewPort: number | null;
}

export type ProxyResult = { ok: true } | { ok: false; code: 'invalid'; message: string };

export interface ServiceProxy {
  readonly service: string;
  /** Binds the listener(s); resolves with the bound ports. Call once. */
  start(): Promise<ProxyAddress>;
  /** The routing config requests currently read. */
  routing(): RoutingConfig;
  /** The current upstreams. */
  upstreams(): { stable: UpstreamVersion; canary: UpstreamVersion | null };
  /** Canary share in percent (0–100, 0.01 steps). Atomic; idempotent. */
  setWeight(percent: number): ProxyResult;
  /** Adds/replaces (or, without match, removes) a named header route. */
  setHeaderRoute(spec: HeaderRouteSpec): ProxyResult;
  /** Sets or (null) removes the mirror route. Only body-less requests are mirrored. */
  setMirror(spec: MirrorSpec | null): ProxyResult;
  setSticky(sticky: StickySource | null): ProxyResult;
  /** Weight 0, no header routes, no mirror. */
  reset(): void;
  /** Points stable/canary at other upstreams (a new canary, or promotion: canary becomes stable). */
  setUpstreams(next: { stable: UpstreamVersion; canary: UpstreamVersion | null }): Promise<ProxyResult>;
  /** Requests being answered right now. */
  inFlight(): number;
  /**
   * Graceful drain: stops accepting, answers in-flight requests (with `Connection: close`), closes
   * idle keep-alive connections; after `graceMs` (default 10 s) cuts what is left. Idempotent.
   */
  close(graceMs?: number): Promise<void>;
}
