import type { Kysely } from 'kysely';
import type { Clock } from '../platform/clock.js';
import { newId } from '../platform/ids.js';
import type { Logger } from '../platform/logger.js';
import type { NamedNotifier } from '../providers/notifiers/registry.js';
import type { NotificationEvent } from '../providers/notifiers/types.js';
import type { OutboxRow, OutboxState } from '../store/outbox-repository.js';
import type { Database } from '../store/schema.js';
import type { Store } from '../store/types.js';
import type { AuditLog } from './audit-log.js';

/** What producers pass: an event without id and time gets them from the service. */
export type NotificationInput = Omit<NotificationEvent, 'id' | 'time'> & { readonly id?: string; readonly time?: string };

/** An outbox row as the API shows it: the event's summary, never a notifier's config. */
export interface OutboxView {
  id: string; notifier: string; eventType: string; subject: NotificationEvent['subject']; service: string | null;
  state: OutboxState; attempts: number; nextAt: string | null; lastError: string | null; createdAt: string; deliveredAt: string | null;
}

export interface NotificationOptions {
  store: Store;
  audit: AuditLog;
  clock: Clock;
  logger: Pick<Logger, 'info' | 'warn' | 'error'>;
  notifiers: readonly NamedNotifier[];
  /** Asks the reconcile loop to run `reconcile()` after `delayMs` (the `outbox:deliver` key). */
  schedule: (delayMs: number) => void;
  /** Attempts before a row is dead (default 8). */
  maxAttempts?: number;
  /** First retry delay; doubles per attempt (default 1 s). */
  baseDelayMs?: number;
  /** Cap of the retry delay (default 5 min). */
  maxDelayMs?: number;
  /** How long a claimed row is left to one worker before another may retry it (default 60 s). */
  claimMs?: number;
  /** Rows sent per reconcile (default 20). */
  batchSize?: number;
  /** Re-check for rows written by another process or an uncommitted caller (default 60 s). */
  idlePollMs?: number;
}

/** The audit actor of deliveries. */
export const NOTIFY_ACTOR = 'system:notifications';

/** The retry delay after `attempts` failed attempts: base, 2×base, 4×base… capped. */
export function backoffMs(attempts: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.max(0, attempts - 1));
}

/**
 * The persisted notification outbox. `enqueue` writes one row per configured notifier that
 * wants the event; `reconcile` delivers due rows, retrying retryable failures with capped
 * exponential backoff until `maxAttempts`, then marks the row dead with its last error. Rows
 * survive restarts; a delivered or dead row is never sent again. Delivery is at least once: a
 * process killed between a send and its commit sends that row again after the claim lapses.
 */
export function createNotificationService(o: NotificationOptions) {
  const maxAttempts = o.maxAttempts ?? 8;
  const baseDelayMs = o.baseDelayMs ?? 1000;
  const maxDelayMs = o.maxDelayMs ?? 300_000;
  const claimMs = o.claimMs ?? 60_000;
  const batchSize = o.batchSize ?? 20;
  const idlePollMs = o.idlePollMs ?? 60_000;
  const byName = new Map(o.notifiers.map((n) => [n.name, n]));
  const iso = (ms: number) => new Date(ms).toISOString();

  /**
   * Writes the event's rows. With `trx` they commit with the caller's change (call `kick()`
   * after the commit); without it they are written now and delivery is kicked. Returns the
   * completed event and how many notifiers will get it.
   */
  async function enqueue(input: NotificationInput, trx?: Kysely<Database>): Promise<{ event: NotificationEvent; rows: number }> {
    const now = o.clock.now();
    const event: NotificationEvent = { ...input, id: input.id ?? newId('ntf_', now), time: input.time ?? iso(now) };
    const rows: OutboxRow[] = o.notifiers.filter((n) => n.wants(event)).map((n) => ({
      id: newId('obx_', now), notifier: n.name, eventType: event.type, event: JSON.stringify(event), state: 'pending',
      attempts: 0, nextAt: now, lastError: null, createdAt: iso(now), deliveredAt: null,
    }));
    if (rows.length === 0) return { event, rows: 0 };
    await o.store.outbox.insert(rows, trx ?? o.store.db);
    if (!trx) kick();
    return { event, rows: rows.length };
  }

  function kick() {
    if (o.notifiers.length > 0) o.schedule(0);
  }

  async function deliver(row: OutboxRow): Promise<void> {
    const now = o.clock.now();
    const target = byName.get(row.notifier);
    if (!(await o.store.outbox.claim(row, now + claimMs))) return;
    const attempts = row.attempts + 1;
    const result = target
      ? await target.notifier.send(JSON.parse(row.event) as NotificationEvent).catch((err: unknown) => ({ ok: false as const, retryable: true, message: `${row.notifier}: ${(err as Error).message}` }))
      : { ok: false as const, retryable: false, message: `notifier "${row.notifier}" is no longer configured` };
    const at = o.clock.now();
    // The receiver's answer may echo what it was sent; secrets never reach the store or the log.
    const error = result.ok ? null : (target ? target.scrub(result.message) : result.message).slice(0, 1000);
    const event = JSON.parse(row.event) as NotificationEvent;
    const entry = (state: OutboxState) => ({
      actor: NOTIFY_ACTOR, action: `notification.${state}`, subject: { kind: 'notification', id: row.id }, service: event.service ?? null,
      payload: { notifier: row.notifier, notifierType: target?.type ?? null, eventId: event.id, eventType: row.eventType, about: event.subject, attempts, ...(error ? { lastError: error } : {}) },
    });
    if (result.ok) {
      await o.audit.record(entry('delivered'), async (trx) => {
        await o.store.outbox.finish(row.id, { state: 'delivered', attempts, nextAt: at, lastError: null, deliveredAt: iso(at) }, trx);
      });
      return;
    }
    if (result.retryable && attempts < maxAttempts) {
      const delay = backoffMs(attempts, baseDelayMs, maxDelayMs);
      o.logger.warn({ outboxId: row.id, notifier: row.notifier, attempts, retryInMs: delay, error }, 'notification failed; will retry');
      await o.store.outbox.finish(row.id, { state: 'pending', attempts, nextAt: at + delay, lastError: error, deliveredAt: null });
      return;
    }
    o.logger.error({ outboxId: row.id, notifier: row.notifier, attempts, error }, 'notification dead');
    await o.audit.record(entry('dead'), async (trx) => {
      await o.store.outbox.finish(row.id, { state: 'dead', attempts, nextAt: at, lastError: error, deliveredAt: null }, trx);
    });
  }

  /**
   * Delivers the rows due now (one attempt each, concurrently) and returns when to run again:
   * at the next due row, or after the idle poll. Idempotent: rows another run claimed are skipped.
   */
  async function reconcile(): Promise<number | undefined> {
    if (o.notifiers.length === 0 && (await o.store.outbox.nextDue()) === undefined) return undefined;
    for (;;) {
      const due = await o.store.outbox.due(o.clock.now(), batchSize);
      await Promise.all(due.map((row) => deliver(row)));
      if (due.length < batchSize) break;
    }
    const next = await o.store.outbox.nextDue();
    return next === undefined ? idlePollMs : Math.max(0, Math.min(idlePollMs, next - o.clock.now()));
  }

  async function list(filter: { state?: OutboxState; limit: number }): Promise<OutboxView[]> {
    return (await o.store.outbox.list(filter)).map((r) => {
      const e = JSON.parse(r.event) as NotificationEvent;
      return {
        id: r.id, notifier: r.notifier, eventType: r.eventType, subject: e.subject, service: e.service ?? null, state: r.state,
        attempts: r.attempts, nextAt: r.state === 'pending' ? iso(r.nextAt) : null, lastError: r.lastError, createdAt: r.createdAt, deliveredAt: r.deliveredAt,
      };
    });
  }

  return {
    enqueue,
    /** Enqueues in its own transaction and kicks delivery: what other services call. */
    notify: async (input: NotificationInput): Promise<void> => void (await enqueue(input)),
    kick,
    reconcile,
    list,
    /** The configured notifiers with redacted config: safe to show. */
    notifiers: () => o.notifiers.map((n) => ({ name: n.name, type: n.type, events: n.events, config: n.redactedConfig })),
    async close() {
      await Promise.all(o.notifiers.map((n) => n.notifier.close?.()));
    },
  };
}

export type NotificationService = ReturnType<typeof createNotificationService>;
