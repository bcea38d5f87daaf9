/**
 * Budget band changes: the spec's policy says a band change is audited and the SRE notified.
 * The last band per service is persisted, so a change is recorded once — not at every evaluation,
 * and not again after a restart.
 */
import type { Kysely } from 'kysely';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import type { Database } from '../store/schema.js';
import type { Store } from '../store/types.js';
import type { AuditLog } from './audit-log.js';
import type { ServiceBudgetView } from './budgets.js';
import type { NotificationInput } from './notifications.js';

/** The audit actor of band changes: nobody asked, the controller saw it. */
export const BAND_ACTOR = 'auto-controller';

export interface BandChange {
  service: string;
  from: string | null;
  to: string;
  remainingPct: number | null;
}

export interface BandWatcherOptions {
  store: Store;
  audit: AuditLog;
  clock: Clock;
  /** Every service's budget (the budget service's `all`). */
  budgets: () => Promise<ServiceBudgetView[]>;
  /** Writes the notification in the caller's transaction (the notification service's `enqueue`). */
  enqueue: (input: NotificationInput, trx: Kysely<Database>) => Promise<unknown>;
  /** Starts delivery once the transaction committed (the notification service's `kick`). */
  kick: () => void;
  /** How often `evaluate` asks to run again (default 60 s). */
  intervalMs?: number;
  logger?: Pick<Logger, 'info' | 'error'>;
}

/**
 * `check(views)` compares each measured service's band with the last one recorded. On a change
 * (including the first band ever seen) it writes, in one transaction, the audit event
 * `budget.band-changed` {from, to, remainingPct}, the new band, and a `budget.band-changed`
 * notification — except for a first band that is `normal`, which is recorded without notifying
 * (nothing to tell anyone). A service without a measured band keeps its last one: no data is not
 * a change. `evaluate()` is the work-queue handler.
 */
export function createBandWatcher(o: BandWatcherOptions) {
  const intervalMs = o.intervalMs ?? 60_000;

  async function check(views: readonly ServiceBudgetView[]): Promise<BandChange[]> {
    const last = new Map((await o.store.budgetBands.all()).map((r) => [r.service, r.band]));
    const changes: BandChange[] = [];
    for (const v of views) {
      if (!v.band || last.get(v.service) === v.band) continue;
      const change: BandChange = { service: v.service, from: last.get(v.service) ?? null, to: v.band, remainingPct: v.remainingPct ?? null };
      const notify = change.from !== null || change.to !== 'normal';
      const changedAt = new Date(o.clock.now()).toISOString();
      await o.audit.record(
        { actor: BAND_ACTOR, action: 'budget.band-changed', subject: { kind: 'service', id: v.service }, service: v.service, payload: { from: change.from, to: change.to, remainingPct: change.remainingPct } },
        async (trx) => {
          await o.store.budgetBands.put({ service: v.service, band: v.band!, remainingPct: change.remainingPct, changedAt }, trx);
          if (notify) {
            await o.enqueue({
              type: 'budget.band-changed', subject: { kind: 'service', id: v.service }, service: v.service, tier: v.tier as 1 | 2 | 3, actor: BAND_ACTOR,
              reason: `error budget ${change.remainingPct}% remaining: band ${change.from ?? 'unknown'} → ${change.to}`,
              data: { from: change.from, to: change.to, remainingPct: change.remainingPct },
            }, trx);
          }
        },
      );
      changes.push(change);
    }
    if (changes.length > 0) {
      o.kick();
      o.logger?.info({ changes }, 'error budget bands changed');
    }
    return changes;
  }

  return {
    check,
    /** Evaluates every service's budget and records band changes; returns the delay to the next run. */
    async evaluate(): Promise<number> {
      await check(await o.budgets());
      return intervalMs;
    },
  };
}

export type BandWatcher = ReturnType<typeof createBandWatcher>;
