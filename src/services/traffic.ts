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
