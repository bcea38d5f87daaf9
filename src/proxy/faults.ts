/**
 * Fault injection per service version, for the spec's chaos-lite probes: added latency on a share
 * of requests and aborts (a fixed status) on a share. Every fault is time-limited: it stops applying
 * at `expiresAt` on the clock by itself (checked per request) and is dropped by a clock timer.
 * Audit is the caller's job (the API that calls `set`/`clear`).
 */
import { z } from 'zod';
import type { Clock } from '../platform/clock.js';

export const faultSpecSchema = z.object({
  /** Milliseconds added before the request is forwarded. */
  latencyMs: z.number().int().min(0).max(60_000).default(0),
  /** Share (0–1) of requests that get the latency. */
  latencyShare: z.number().min(0).max(1).default(0),
  /** Status answered instead of forwarding. */
  abortStatus: z.number().int().min(400).max(599).default(503),
  /** Share (0–1) of requests aborted. */
  abortShare: z.number().min(0).max(1).default(0),
  /** How long the fault lasts; required so a forgotten fault cannot outlive its probe. */
  durationMs: z.number().int().min(1).max(3_600_000),
}).strict();

export type FaultSpec = z.input<typeof faultSpecSchema>;

export interface ActiveFault {
  readonly service: string;
  readonly version: string;
  readonly latencyMs: number;
  readonly latencyShare: number;
  readonly abortStatus: number;
  readonly abortShare: number;
  readonly startedAt: number;
  readonly expiresAt: number;
}

/** A mutable cell the proxy resolves once per version; reading `current` per request is a field load. */
export interface FaultSlot {
  current: ActiveFault | null;
}

export type FaultResult = { ok: true; fault: ActiveFault } | { ok: false; code: 'invalid'; message: string };

export interface FaultTable {
  /** Replaces any fault on the version; invalid specs are returned as data naming the field. */
  set(service: string, version: string, spec: FaultSpec): FaultResult;
  /** Removes the version's fault; returns whether one was active. Idempotent. */
  clear(service: string, version: string): boolean;
  /** Faults still in force at the clock's now. */
  list(): ActiveFault[];
  /** The cell for one version (created empty on first use). */
  slot(service: string, version: string): FaultSlot;
}

export function createFaultTable(clock: Clock): FaultTable {
  const slots = new Map<string, { slot: FaultSlot; cancel: (() => void) | null }>();
  const entry = (service: string, version: string) => {
    const key = `${service}\u0000${version}`;
    let e = slots.get(key);
    if (!e) slots.set(key, (e = { slot: { current: null }, cancel: null }));
    return e;
  };
  return {
    set(service, version, spec) {
      const parsed = faultSpecSchema.safeParse(spec);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        return { ok: false, code: 'invalid', message: `fault.${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}` };
      }
      const now = clock.now();
      const { durationMs, ...effect } = parsed.data;
      const fault: ActiveFault = Object.freeze({ service, version, ...effect, startedAt: now, expiresAt: now + durationMs });
      const e = entry(service, version);
      e.cancel?.();
      e.slot.current = fault;
      e.cancel = clock.setTimer(durationMs, () => {
        if (e.slot.current === fault) e.slot.current = null;
        e.cancel = null;
      });
      return { ok: true, fault };
    },
    clear(service, version) {
      const e = entry(service, version);
      const had = e.slot.current !== null && e.slot.current.expiresAt > clock.now();
      e.cancel?.();
      e.cancel = null;
      e.slot.current = null;
      return had;
    },
    list() {
      const now = clock.now();
      return [...slots.values()].map((e) => e.slot.current).filter((f): f is ActiveFault => f !== null && f.expiresAt > now);
    },
    slot: (service, version) => entry(service, version).slot,
  };
}

/** What a fault does to one request, given two uniform draws in [0, 1). Pure. */
export function faultAction(fault: ActiveFault | null, now: number, abortDraw: number, latencyDraw: number): { abort: number; delayMs: number } {
  if (fault === null || fault.expiresAt <= now) return noAction;
  if (abortDraw < fault.abortShare) return { abort: fault.abortStatus, delayMs: 0 };
  if (latencyDraw < fault.latencyShare && fault.latencyMs > 0) return { abort: 0, delayMs: fault.latencyMs };
  return noAction;
}

const noAction = Object.freeze({ abort: 0, delayMs: 0 });
