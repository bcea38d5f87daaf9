import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface RolloutRow {
  id: string;
  service: string;
  spec: unknown;
  status: unknown;
  phase: string;
  commands: unknown[];
  applied: string[];
  /** The last decision's effects, saved with its status, until every one is applied. */
  pending: unknown[];
  runs: Record<string, string>;
  releaseId: string | null;
  createdAt: string;
  createdBy: string;
}

export function createRolloutRepository(db: Kysely<Database>) {
  const toRow = (r: Database['rollouts']): RolloutRow => ({
    id: r.id, service: r.service, spec: JSON.parse(r.spec), status: JSON.parse(r.status), phase: r.phase,
    commands: JSON.parse(r.commands) as unknown[], applied: JSON.parse(r.applied) as string[], pending: JSON.parse(r.pending) as unknown[], runs: JSON.parse(r.runs) as Record<string, string>,
    releaseId: r.release_id, createdAt: r.created_at, createdBy: r.created_by,
  });
  const toDb = (r: RolloutRow): Database['rollouts'] => ({
    id: r.id, service: r.service, spec: JSON.stringify(r.spec), status: JSON.stringify(r.status), phase: r.phase,
    commands: JSON.stringify(r.commands), applied: JSON.stringify(r.applied), pending: JSON.stringify(r.pending), runs: JSON.stringify(r.runs),
    release_id: r.releaseId, created_at: r.createdAt, created_by: r.createdBy,
  });
  return {
    async insert(r: RolloutRow, trx: Kysely<Database>) {
      await trx.insertInto('rollouts').values(toDb(r)).execute();
    },
    async save(r: RolloutRow, trx: Kysely<Database> = db) {
      const { id: _id, ...rest } = toDb(r);
      await trx.updateTable('rollouts').set(rest).where('id', '=', r.id).execute();
    },
    async get(id: string, trx: Kysely<Database> = db) {
      const r = await trx.selectFrom('rollouts').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toRow(r);
    },
    async forService(service: string, limit = 50) {
      return (await db.selectFrom('rollouts').selectAll().where('service', '=', service).orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit).execute()).map(toRow);
    },
    async live(): Promise<RolloutRow[]> {
      return (await db.selectFrom('rollouts').selectAll().execute()).map(toRow);
    },
  };
}

export type RolloutRepository = ReturnType<typeof createRolloutRepository>;
