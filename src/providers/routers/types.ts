/**
 * Traffic routers: what shifts a service's traffic between its stable and canary versions.
 * Four required methods, mirroring Argo Rollouts' traffic-routing plugin calls; every call is
 * idempotent (the reconciler may repeat it after a crash) and never throws: failures are data.
 */
import type { z } from 'zod';
import type { HeaderRouteSpec, MirrorSpec } from '../../domain/traffic/routing-update.js';
import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/logger.js';
import type { ServiceProxy } from '../../proxy/service-proxy.js';

export type { HeaderRouteSpec, MirrorSpec };

/** A version and where it answers. */
export interface UpstreamVersion {
  version: string;
  url: string;
}

/**
 * not_found: the router does not front that service; invalid: the request itself is wrong (the
 * message names the field); unsupported: this router cannot do that (e.g. nginx mirroring);
 * apply_failed: the change was valid but could not be applied (the previous state stays).
 */
export type RouterErrorCode = 'not_found' | 'invalid' | 'unsupported' | 'apply_failed';

export type RouterResult = { ok: true } | { ok: false; code: RouterErrorCode; message: string };

export interface TrafficRouter {
  readonly type: string;
  /** Canary share in percent, 0–100 in 0.01 steps; the rest goes to stable. */
  setWeight(service: string, percent: number): Promise<RouterResult>;
  /** Argo setHeaderRoute: matching requests go to canary; without `match` the named route is removed. */
  setHeaderRoute(service: string, route: HeaderRouteSpec): Promise<RouterResult>;
  /** Argo setMirrorRoute: copy a share of requests to canary (null removes the mirror). */
  setMirror(service: string, mirror: MirrorSpec | null): Promise<RouterResult>;
  /** All traffic to stable, routes and mirror removed (end or abort of a rollout). */
  reset(service: string): Promise<RouterResult>;
  /**
   * Optional: points the service at new stable/canary versions (URLs such as http://127.0.0.1:8081;
   * a null canary leaves only stable). Routers without it front fixed upstreams.
   */
  setUpstreams?(service: string, upstreams: { stable: UpstreamVersion; canary: UpstreamVersion | null }): Promise<RouterResult>;
  /** Optional lifecycle: releases what `create` started. Idempotent. */
  close?(): Promise<void>;
}

/** Lets the builtin-proxy router find the proxy of a service (the composition root owns them). */
export interface ProxyDirectory {
  get(service: string): ServiceProxy | undefined;
}

export interface RouterDeps {
  clock: Clock;
  logger: Logger;
  proxies: ProxyDirectory;
}

/** A router's declarative definition: its type name, config schema and factory. */
export interface RouterDefinition<Schema extends z.ZodType = z.ZodType> {
  readonly type: string;
  readonly description: string;
  readonly configSchema: Schema;
  create(config: z.output<Schema>, deps: RouterDeps): Promise<TrafficRouter>;
}

/** A map-backed ProxyDirectory. */
export function createProxyDirectory(proxies: Iterable<ServiceProxy> = []): ProxyDirectory & { add(p: ServiceProxy): void; remove(service: string): void } {
  const byService = new Map<string, ServiceProxy>();
  for (const p of proxies) byService.set(p.service, p);
  return {
    get: (service) => byService.get(service),
    add: (p) => void byService.set(p.service, p),
    remove: (service) => void byService.delete(service),
  };
}
