import type { Clock } from '../platform/clock.js';
import { RampartError } from '../platform/errors.js';
import type { AuditLog } from './audit-log.js';
import type { Actor } from './flags.js';

/** What the traffic service needs of the data plane (the built-in proxy implements it). */
export interface FaultPort {
  set(service: string, version: string, spec: Record<string, unknown>): { ok: true; fault: unknown } | { ok: false; message: string };
  clear(service: string, version: string): boolean;
  list(): unknown[];
}

/**
 * Fault injection for chaos-lite probes: per service version, added latency and aborts, always
 * time-limited (the data plane drops a fault when it expires, even if Rampart dies), audited.
 */
export function createTrafficService(faults: FaultPort, audit: AuditLog, _clock: Clock) {
  return {
    async inject(service: string, version: string, spec: Record<string, unknown>, by: Actor) {
      const r = faults.set(service, version, spec);
      if (!r.ok) throw new RampartError('VALIDATION_FAILED', r.message);
      try {
        await audit.record({ actor: by.actor, action: 'fault.inject', subject: { kind: 'service', id: service }, service, payload: { version, ...spec } });
      } catch (err) {
        // No fault without its audit event.
        faults.clear(service, version);
        throw err;
      }
      return r.fault;
    },
    async clear(service: string, version: string, by: Actor) {
      const had = faults.clear(service, version);
      await audit.record({ actor: by.actor, action: 'fault.clear', subject: { kind: 'service', id: service }, service, payload: { version, wasActive: had } });
      return { service, version, cleared: had };
    },
    list: () => faults.list(),
  };
}

export type TrafficService = ReturnType<typeof createTrafficService>;

/** What the routed traffic port needs of a router (a subset of providers/routers TrafficRouter). */
export interface RouterPort {
  readonly type: string;
  setWeight(service: string, percent: number): Promise<RouterOutcome>;
  setHeaderRoute(service: string, route: { name: string; match?: never }): Promise<RouterOutcome>;
  setMirror(service: string, mirror: { name: string; percentage: number } | null): Promise<RouterOutcome>;
  reset(service: string): Promise<RouterOutcome>;
  setUpstreams?(service: string, upstreams: { stable: VersionAddress; canary: VersionAddress | null }): Promise<RouterOutcome>;
}

export type RouterOutcome = { ok: true } | { ok: false; code: string; message: string };

export interface VersionAddress {
  version: string;
  url: string;
}

export interface RoutedTrafficService {
  service: string;
  router: RouterPort;
  stable: VersionAddress;
  canary?: VersionAddress | undefined;
  /** Blue-green: the URL of the built-in proxy's preview listener (always the new version). */
  preview?: string | undefined;
}

/**
 * The rollouts' TrafficPort over each service's configured router (builtin-proxy, nginx, nop).
 *
 * Every change returns a promise that rejects with the router's error (a RampartError naming the
 * service, router and reason). Changes of one service are applied in call order. A caller that does
 * not await still gets its change applied in order; its failure is then logged, never an unhandled
 * rejection. The port remembers each service's stable and canary versions, whatever the router.
 */
export function createRoutedTrafficPort(services: readonly RoutedTrafficService[], onFailure: (service: string, message: string) => void) {
  const entries = new Map(services.map((s) => [s.service, { router: s.router, stable: { ...s.stable }, canary: s.canary ? { ...s.canary } : null, preview: s.preview }]));
  const chains = new Map<string, Promise<unknown>>();
  const entry = (service: string) => {
    const e = entries.get(service);
    if (!e) throw new RampartError('NOT_FOUND', `service "${service}" has no router; add it under traffic.services in rampart.yaml`);
    return e;
  };
  /** Runs `call` after the service's earlier changes; rejects with the router's failure. */
  const run = (service: string, what: string, call: (e: NonNullable<ReturnType<typeof entries.get>>) => Promise<RouterOutcome>): Promise<void> => {
    let e: ReturnType<typeof entry>;
    try {
      e = entry(service);
    } catch (err) {
      return handled(Promise.reject(err), service, onFailure);
    }
    // With nothing pending the router is called now: the built-in proxy's change is then in place
    // before this returns, effective for the very next request.
    const before = chains.get(service);
    const invoke = (): Promise<RouterOutcome> => {
      try {
        return call(e);
      } catch (err) {
        return Promise.reject(err as Error);
      }
    };
    const outcome = before === undefined ? invoke() : before.then(invoke);
    const work = outcome.then((r) => {
      if (!r.ok) {
        const code = r.code === 'invalid' ? 'VALIDATION_FAILED' : r.code === 'not_found' ? 'NOT_FOUND' : 'UNAVAILABLE';
        throw new RampartError(code, `${service}: ${e.router.type} router could not ${what}: ${r.message}`);
      }
    });
    const tail: Promise<unknown> = work.catch(() => undefined).then(() => {
      if (chains.get(service) === tail) chains.delete(service);
    });
    chains.set(service, tail);
    return handled(work, service, onFailure);
  };
  return {
    has: (service: string) => entries.has(service),
    stable: (service: string) => {
      const e = entries.get(service);
      return e ? { ...e.stable } : undefined;
    },
    /** The upstream traffic may currently reach besides stable (null: none; undefined: unknown service). */
    canary: (service: string) => {
      const e = entries.get(service);
      return e ? (e.canary ? { ...e.canary } : null) : undefined;
    },
    preview: (service: string) => entries.get(service)?.preview,
    /** The router type fronting a service (undefined: none). */
    routerOf: (service: string) => entries.get(service)?.router.type,
    setUpstreams(service: string, stable: VersionAddress, canary: VersionAddress | null): Promise<void> {
      return run(service, 'change upstreams', async (e) => {
        const r = e.router.setUpstreams ? await e.router.setUpstreams(service, { stable, canary }) : { ok: true as const };
        if (r.ok) {
          e.stable = { ...stable };
          e.canary = canary ? { ...canary } : null;
        }
        return r;
      });
    },
    setWeight: (service: string, percent: number): Promise<void> => run(service, `set weight ${percent}`, (e) => e.router.setWeight(service, percent)),
    setHeaderRoute: (service: string, name: string, match: unknown[] | undefined): Promise<void> =>
      run(service, `set header route ${name}`, (e) => e.router.setHeaderRoute(service, { name, ...(match ? { match: match as never } : {}) })),
    setMirror: (service: string, spec: { name: string; percentage: number } | null): Promise<void> =>
      run(service, spec ? `set mirror ${spec.name}` : 'remove the mirror', (e) => e.router.setMirror(service, spec)),
    /** All traffic to stable, header routes and mirror removed. */
    reset: (service: string): Promise<void> => run(service, 'reset', (e) => e.router.reset(service)),
  };
}

export type RoutedTrafficPort = ReturnType<typeof createRoutedTrafficPort>;

/** Marks `p` handled (a caller that does not await must not crash the process) and reports its failure. */
function handled(p: Promise<void>, service: string, onFailure: (service: string, message: string) => void): Promise<void> {
  p.catch((err: unknown) => onFailure(service, (err as Error).message));
  return p;
}
