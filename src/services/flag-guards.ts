import { type GuardConfig, type GuardReport, type GuardState, createGuardState, defaultGuardConfig, observe } from '../domain/flags/guard.js';
import type { Clock } from '../platform/clock.js';
import { RampartError } from '../platform/errors.js';
import type { Store } from '../store/types.js';
import type { AuditLog } from './audit-log.js';
import type { Actor, FlagService } from './flags.js';

/** The spec's `killSwitch` defaults, used when a flag sets none: safe by default. */
export const specKillSwitch = { errorThreshold: 0.05, latencyThresholdMs: 500 };

export interface MetricsReport {
  on: { requests: number; errors: number; latencyP95Ms?: number };
  off: { requests: number; errors: number };
}

function guardConfig(metadata: Record<string, unknown> | undefined): GuardConfig {
  const num = (v: unknown, fallback: number) => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
  return {
    ...defaultGuardConfig,
    errorThreshold: num(metadata?.killSwitchErrorThreshold, specKillSwitch.errorThreshold),
    latencyThresholdMs: num(metadata?.killSwitchLatencyThresholdMs, specKillSwitch.latencyThresholdMs),
  };
}

/**
 * Metric-driven kill switch: applications report on/off counts; the pure guard judges; a breach
 * switches the flag off (its default variant is served), with the verdict as evidence, audited.
 */
export function createFlagGuardService(store: Store, audit: AuditLog, clock: Clock, flags: FlagService, onKill: (key: string, verdict: unknown) => void = () => {}) {
  return {
    async report(key: string, report: MetricsReport, by: Actor) {
      const row = await flags.mustGet(key);
      if (row.kill) return { key, killed: true, kill: row.kill, changed: false };
      if (report.on.errors > report.on.requests || report.off.errors > report.off.requests) {
        throw new RampartError('VALIDATION_FAILED', 'errors cannot exceed requests (on and off)', { field: 'errors' });
      }
      const config = guardConfig(row.definition.metadata as Record<string, unknown> | undefined);
      const state = (row.guardState as GuardState | null) ?? createGuardState();
      const guardReport: GuardReport = { at: clock.now(), on: report.on, off: report.off };
      const next = observe(state, guardReport, config);
      const killed = next.killed;
      const payload = killed ? { report, verdict: killed } : { report };
      await audit.record(
        { actor: killed ? 'auto-controller' : by.actor, action: killed ? 'flag.kill' : 'flag.metrics', subject: { kind: 'flag', id: key }, payload: killed ? { ...payload, reportedBy: by.actor } : payload },
        (trx) => store.flags.saveGuard(key, killed ? { ...killed } : null, next as unknown as Record<string, unknown>, trx),
      );
      if (killed) {
        await flags.reload();
        onKill(key, killed);
      }
      return { key, killed: Boolean(killed), kill: killed ?? null, changed: Boolean(killed), config: { errorThreshold: config.errorThreshold, latencyThresholdMs: config.latencyThresholdMs, windowSeconds: config.windowSeconds, minRequests: config.minRequests } };
    },
  };
}

export type FlagGuardService = ReturnType<typeof createFlagGuardService>;
