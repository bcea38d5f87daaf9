import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.js';

export interface ReleaseRow {
  id: string; service: string; version: string; environment: string; kind: string;
  createdAt: string; createdBy: string; decisionId: string; allow: boolean; facts: unknown;
}
export interface DecisionRow { id: string; releaseId: string | null; createdAt: string; allow: boolean; record: unknown; inputs: unknown }
export interface ApprovalRow { releaseId: string; approver: string; role: string; at: string; comment: string | null }
export interface IncidentRow {
  id: string; service: string; severity: 'P1' | 'P2' | 'P3' | 'P4'; kind: 'incident' | 'rollback'; status: 'open' | 'resolved';
  title: string; links: string[]; openedAt: string; openedBy: string; resolvedAt: string | null;
}
export interface SloStatusRow { service: string; errorBudgetRemainingPct: number | null; fastBurnRate: number | null; updatedAt: string; updatedBy: string }

/** Releases, their decisions and approvals. Writes take the audit event's transaction. */
export function createReleaseRepository(db: Kysely<Database>) {
  return {
    async insertDecision(d: DecisionRow, trx: Kysely<Database>) {
      await trx.insertInto('decisions').values({
        id: d.id, release_id: d.releaseId, created_at: d.createdAt, allow: d.allow ? 1 : 0,
        record: JSON.stringify(d.record), inputs: JSON.stringify(d.inputs),
      }).execute();
    },
    async getDecision(id: string): Promise<DecisionRow | undefined> {
      const r = await db.selectFrom('decisions').selectAll().where('id', '=', id).executeTakeFirst();
      return r && { id: r.id, releaseId: r.release_id, createdAt: r.created_at, allow: Boolean(r.allow), record: JSON.parse(r.record), inputs: JSON.parse(r.inputs) };
    },
    async upsertRelease(r: ReleaseRow, trx: Kysely<Database>) {
      const values = {
        id: r.id, service: r.service, version: r.version, environment: r.environment, kind: r.kind,
        created_at: r.createdAt, created_by: r.createdBy, decision_id: r.decisionId, allow: r.allow ? 1 : 0, facts: JSON.stringify(r.facts),
      };
      await trx.insertInto('releases').values(values)
        .onConflict((oc) => oc.column('id').doUpdateSet({ decision_id: values.decision_id, allow: values.allow })).execute();
    },
    async getRelease(id: string): Promise<ReleaseRow | undefined> {
      const r = await db.selectFrom('releases').selectAll().where('id', '=', id).executeTakeFirst();
      return r && {
        id: r.id, service: r.service, version: r.version, environment: r.environment, kind: r.kind, createdAt: r.created_at,
        createdBy: r.created_by, decisionId: r.decision_id, allow: Boolean(r.allow), facts: JSON.parse(r.facts),
      };
    },
    async listReleases(filter: { service?: string; limit: number }) {
      let q = db.selectFrom('releases').select(['id', 'service', 'version', 'environment', 'kind', 'created_at', 'created_by', 'decision_id', 'allow']);
      if (filter.service) q = q.where('service', '=', filter.service);
      const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute();
      return rows.map((r) => ({ id: r.id, service: r.service, version: r.version, environment: r.environment, kind: r.kind, createdAt: r.created_at, createdBy: r.created_by, decisionId: r.decision_id, allow: Boolean(r.allow) }));
    },
    async addApproval(a: ApprovalRow, trx: Kysely<Database>) {
      await trx.insertInto('approvals').values({ release_id: a.releaseId, approver: a.approver, role: a.role, at: a.at, comment: a.comment })
        .onConflict((oc) => oc.columns(['release_id', 'approver', 'role']).doNothing()).execute();
    },
    async approvals(releaseId: string): Promise<ApprovalRow[]> {
      const rows = await db.selectFrom('approvals').selectAll().where('release_id', '=', releaseId).orderBy('at').execute();
      return rows.map((r) => ({ releaseId: r.release_id, approver: r.approver, role: r.role, at: r.at, comment: r.comment }));
    },
  };
}

export function createIncidentRepository(db: Kysely<Database>) {
  const toRow = (r: Database['incidents']): IncidentRow => ({
    id: r.id, service: r.service, severity: r.severity as IncidentRow['severity'], kind: r.kind as IncidentRow['kind'],
    status: r.status as IncidentRow['status'], title: r.title, links: JSON.parse(r.links) as string[],
    openedAt: r.opened_at, openedBy: r.opened_by, resolvedAt: r.resolved_at,
  });
  return {
    async insert(i: IncidentRow, trx: Kysely<Database>) {
      await trx.insertInto('incidents').values({
        id: i.id, service: i.service, severity: i.severity, kind: i.kind, status: i.status, title: i.title,
        links: JSON.stringify(i.links), opened_at: i.openedAt, opened_by: i.openedBy, resolved_at: i.resolvedAt,
      }).execute();
    },
    async resolve(id: string, at: string, trx: Kysely<Database>): Promise<boolean> {
      const r = await trx.updateTable('incidents').set({ status: 'resolved', resolved_at: at }).where('id', '=', id).where('status', '=', 'open').executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async get(id: string) {
      const r = await db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toRow(r);
    },
    async list(filter: { service?: string; status?: string; limit: number }) {
      let q = db.selectFrom('incidents').selectAll();
      if (filter.service) q = q.where('service', '=', filter.service);
      if (filter.status) q = q.where('status', '=', filter.status);
      return (await q.orderBy('opened_at', 'desc').limit(filter.limit).execute()).map(toRow);
    },
    /** Open P1 incidents of a service (the SLO gate's "no active P1"). */
    async activeP1(service: string): Promise<string[]> {
      const rows = await db.selectFrom('incidents').select('id').where('service', '=', service).where('severity', '=', 'P1')
        .where('status', '=', 'open').where('kind', '=', 'incident').execute();
      return rows.map((r) => r.id);
    },
    async rollbacksSince(service: string, sinceIso: string): Promise<number> {
      const r = await db.selectFrom('incidents').select(sql<number>`count(*)`.as('n')).where('service', '=', service)
        .where('kind', '=', 'rollback').where('opened_at', '>=', sinceIso).executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}

export function createSloStatusRepository(db: Kysely<Database>) {
  return {
    async put(s: SloStatusRow, trx: Kysely<Database>) {
      const values = { service: s.service, error_budget_remaining_pct: s.errorBudgetRemainingPct, fast_burn_rate: s.fastBurnRate, updated_at: s.updatedAt, updated_by: s.updatedBy };
      const { service: _s, ...update } = values;
      await trx.insertInto('slo_status').values(values).onConflict((oc) => oc.column('service').doUpdateSet(update)).execute();
    },
    async get(service: string): Promise<SloStatusRow | undefined> {
      const r = await db.selectFrom('slo_status').selectAll().where('service', '=', service).executeTakeFirst();
      return r && { service: r.service, errorBudgetRemainingPct: r.error_budget_remaining_pct, fastBurnRate: r.fast_burn_rate, updatedAt: r.updated_at, updatedBy: r.updated_by };
    },
  };
}

export type ReleaseRepository = ReturnType<typeof createReleaseRepository>;
export type IncidentRepository = ReturnType<typeof createIncidentRepository>;
export type SloStatusRepository = ReturnType<typeof createSloStatusRepository>;
