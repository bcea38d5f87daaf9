import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface AnalysisRunRow {
  id: string;
  spec: unknown;
  state: unknown;
  phase: string;
  nextAt: number | null;
  createdAt: string;
  createdBy: string;
}

export function createAnalysisRunRepository(db: Kysely<Database>) {
  const toRow = (r: Database['analysis_runs']): AnalysisRunRow => ({
    id: r.id, spec: JSON.parse(r.spec), state: JSON.parse(r.state), phase: r.phase,
    nextAt: r.next_at === null ? null : Number(r.next_at), createdAt: r.created_at, createdBy: r.created_by,
  });
  return {
    async insert(r: AnalysisRunRow, trx: Kysely<Database>) {
      await trx.insertInto('analysis_runs').values({
        id: r.id, spec: JSON.stringify(r.spec), state: JSON.stringify(r.state), phase: r.phase, next_at: r.nextAt, created_at: r.createdAt, created_by: r.createdBy,
      }).execute();
    },
    async saveState(id: string, state: unknown, phase: string, nextAt: number | null, trx: Kysely<Database> = db) {
      await trx.updateTable('analysis_runs').set({ state: JSON.stringify(state), phase, next_at: nextAt }).where('id', '=', id).execute();
    },
    async get(id: string) {
      const r = await db.selectFrom('analysis_runs').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toRow(r);
    },
    /** Runs still going, for resuming after a restart. */
    async unfinished(): Promise<AnalysisRunRow[]> {
      return (await db.selectFrom('analysis_runs').selectAll().where('next_at', 'is not', null).execute()).map(toRow);
    },
    async list(limit: number) {
      return (await db.selectFrom('analysis_runs').selectAll().orderBy('created_at', 'desc').limit(limit).execute()).map(toRow);
    },
  };
}

export type AnalysisRunRepository = ReturnType<typeof createAnalysisRunRepository>;
