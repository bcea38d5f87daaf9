import type { Kysely } from 'kysely';
import type { ExceptionRecord } from '../domain/exceptions/types.js';
import type { Database } from './schema.js';

export interface ExceptionFilter {
  state?: string;
  service?: string;
  /** Used and not reviewed. */
  needsReview?: boolean;
  limit: number;
}

/** Exceptions, stored whole as JSON with the columns lists filter on. Writes take the audit event's transaction. */
export function createExceptionRepository(db: Kysely<Database>) {
  const values = (r: ExceptionRecord) => ({
    id: r.id, type: r.type, service: r.service, state: r.state, created_at: r.timestamp, expiration: r.expiration,
    review_due: r.reviewDue, reviewed: r.reviewed ? 1 : 0, record: JSON.stringify(r),
  });
  return {
    async insert(r: ExceptionRecord, trx: Kysely<Database>) {
      await trx.insertInto('exceptions').values(values(r)).execute();
    },
    /** Replaces the record; false when it changed meanwhile (its state differs from `expectedState`). */
    async update(r: ExceptionRecord, expectedState: string, trx: Kysely<Database>): Promise<boolean> {
      const { id: _id, ...rest } = values(r);
      const res = await trx.updateTable('exceptions').set(rest).where('id', '=', r.id).where('state', '=', expectedState).executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },
    async get(id: string, trx: Kysely<Database> = db): Promise<ExceptionRecord | undefined> {
      const r = await trx.selectFrom('exceptions').select('record').where('id', '=', id).executeTakeFirst();
      return r && (JSON.parse(r.record) as ExceptionRecord);
    },
    async list(filter: ExceptionFilter): Promise<ExceptionRecord[]> {
      let q = db.selectFrom('exceptions').select('record');
      if (filter.state) q = q.where('state', '=', filter.state);
      if (filter.service) q = q.where('service', '=', filter.service);
      if (filter.needsReview) q = q.where('reviewed', '=', 0).where('review_due', 'is not', null);
      const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
      return rows.map((r) => JSON.parse(r.record) as ExceptionRecord);
    },
    /** Every exception in one of `states` (the service matches families itself). */
    async inStates(states: string[]): Promise<ExceptionRecord[]> {
      const rows = await db.selectFrom('exceptions').select('record').where('state', 'in', states).orderBy('id').execute();
      return rows.map((r) => JSON.parse(r.record) as ExceptionRecord);
    },
    /** Approved exceptions whose expiration is at or before `nowIso` (the sweep). */
    async dueToExpire(nowIso: string): Promise<ExceptionRecord[]> {
      const rows = await db.selectFrom('exceptions').select('record').where('state', '=', 'approved').where('expiration', '<=', nowIso).execute();
      return rows.map((r) => JSON.parse(r.record) as ExceptionRecord);
    },
  };
}

export type ExceptionRepository = ReturnType<typeof createExceptionRepository>;
