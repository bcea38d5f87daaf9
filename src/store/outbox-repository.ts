import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export type OutboxState = 'pending' | 'delivered' | 'dead';

/** One delivery of one event to one notifier. */
export interface OutboxRow {
  id: string;
  notifier: string;
  eventType: string;
  /** The NotificationEvent as JSON text. */
  event: string;
  state: OutboxState;
  attempts: number;
  /** Epoch ms: when a pending row is due, or when a claim on it lapses. */
  nextAt: number;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}

type Row = Database['notification_outbox'];

const toRow = (r: OutboxRow): Row => ({
  id: r.id, notifier: r.notifier, event_type: r.eventType, event: r.event, state: r.state, attempts: r.attempts,
  next_at: r.nextAt, last_error: r.lastError, created_at: r.createdAt, delivered_at: r.deliveredAt,
});
const fromRow = (r: Row): OutboxRow => ({
  id: r.id, notifier: r.notifier, eventType: r.event_type, event: r.event, state: r.state as OutboxState, attempts: Number(r.attempts),
  nextAt: Number(r.next_at), lastError: r.last_error, createdAt: r.created_at, deliveredAt: r.delivered_at,
});

/** The notification outbox. Inserts take the caller's transaction, so an event commits with its cause. */
export function createOutboxRepository(db: Kysely<Database>) {
  return {
    async insert(rows: readonly OutboxRow[], trx: Kysely<Database> = db): Promise<void> {
      if (rows.length > 0) await trx.insertInto('notification_outbox').values(rows.map(toRow)).execute();
    },
    /** Pending rows due at `now`, oldest due first. */
    async due(now: number, limit: number): Promise<OutboxRow[]> {
      const rows = await db.selectFrom('notification_outbox').selectAll().where('state', '=', 'pending').where('next_at', '<=', now)
        .orderBy('next_at').orderBy('id').limit(limit).execute();
      return rows.map(fromRow);
    },
    /** When the next pending row is due (epoch ms), or undefined when none is pending. */
    async nextDue(): Promise<number | undefined> {
      const r = await db.selectFrom('notification_outbox').select((eb) => eb.fn.min('next_at').as('at')).where('state', '=', 'pending').executeTakeFirst();
      return r?.at === null || r?.at === undefined ? undefined : Number(r.at);
    },
    /**
     * Claims a pending row until `until` (epoch ms) if it is still as read (same next_at and
     * attempts): false when another worker claimed or finished it first.
     */
    async claim(row: OutboxRow, until: number): Promise<boolean> {
      const res = await db.updateTable('notification_outbox').set({ next_at: until })
        .where('id', '=', row.id).where('state', '=', 'pending').where('next_at', '=', row.nextAt).where('attempts', '=', row.attempts)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },
    /** Records an attempt's outcome on a row still pending; false when it is not. */
    async finish(id: string, change: Pick<OutboxRow, 'state' | 'attempts' | 'nextAt' | 'lastError' | 'deliveredAt'>, trx: Kysely<Database> = db): Promise<boolean> {
      const res = await trx.updateTable('notification_outbox')
        .set({ state: change.state, attempts: change.attempts, next_at: change.nextAt, last_error: change.lastError, delivered_at: change.deliveredAt })
        .where('id', '=', id).where('state', '=', 'pending').executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },
    async list(filter: { state?: OutboxState; limit: number }): Promise<OutboxRow[]> {
      let q = db.selectFrom('notification_outbox').selectAll();
      if (filter.state) q = q.where('state', '=', filter.state);
      const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
      return rows.map(fromRow);
    },
  };
}

export type OutboxRepository = ReturnType<typeof createOutboxRepository>;
