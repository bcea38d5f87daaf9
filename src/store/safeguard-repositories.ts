import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

export interface AlertRow {
  id: string;
  service: string;
  rule: string;
  severity: string;
  state: 'firing' | 'resolved';
  openedAt: string;
  resolvedAt: string | null;
  summary: string;
  detail: Record<string, unknown>;
}

export function createAlertRepository(db: Kysely<Database>) {
  const toRow = (r: Database['alerts']): AlertRow => ({
    id: r.id, service: r.service, rule: r.rule, severity: r.severity, state: r.state as AlertRow['state'],
    openedAt: r.opened_at, resolvedAt: r.resolved_at, summary: r.summary, detail: JSON.parse(r.detail) as Record<string, unknown>,
  });
  return {
    async insert(a: AlertRow) {
      await db.insertInto('alerts').values({
        id: a.id, service: a.service, rule: a.rule, severity: a.severity, state: a.state, opened_at: a.openedAt,
        resolved_at: a.resolvedAt, summary: a.summary, detail: JSON.stringify(a.detail),
      }).execute();
    },
    /** Marks a firing alert resolved; false when it was not firing. */
    async resolve(id: string, at: string, detail: Record<string, unknown>): Promise<boolean> {
      const r = await db.updateTable('alerts').set({ state: 'resolved', resolved_at: at, detail: JSON.stringify(detail) })
        .where('id', '=', id).where('state', '=', 'firing').executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async firing(): Promise<AlertRow[]> {
      return (await db.selectFrom('alerts').selectAll().where('state', '=', 'firing').execute()).map(toRow);
    },
    /** Newest first, optionally one service's or one state's. */
    async list(filter: { service?: string; state?: string; limit: number }): Promise<AlertRow[]> {
      let q = db.selectFrom('alerts').selectAll();
      if (filter.service) q = q.where('service', '=', filter.service);
      if (filter.state) q = q.where('state', '=', filter.state);
      return (await q.orderBy('opened_at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute()).map(toRow);
    },
  };
}

export interface SyntheticResultRow {
  id: string;
  service: string;
  check: string;
  ok: boolean;
  durationMs: number;
  at: string;
  target: string;
  message: string;
  /** The version the run was aimed at; absent when it ran against the service URL. */
  version?: string;
}

export function createSyntheticResultRepository(db: Kysely<Database>) {
  const toRow = (r: Database['synthetic_results']): SyntheticResultRow => ({
    id: r.id, service: r.service, check: r.check_name, ok: Number(r.ok) === 1, durationMs: Number(r.duration_ms), at: r.at, target: r.target, message: r.message,
    ...(r.version !== null && r.version !== undefined ? { version: r.version } : {}),
  });
  return {
    async insertMany(rows: readonly SyntheticResultRow[]) {
      if (rows.length === 0) return;
      await db.insertInto('synthetic_results').values(rows.map((r) => ({
        id: r.id, service: r.service, check_name: r.check, ok: r.ok ? 1 : 0, duration_ms: r.durationMs, at: r.at, target: r.target, message: r.message, version: r.version ?? null,
      }))).execute();
    },
    /** Newest first. */
    async list(filter: { service?: string; limit: number }): Promise<SyntheticResultRow[]> {
      let q = db.selectFrom('synthetic_results').selectAll();
      if (filter.service) q = q.where('service', '=', filter.service);
      return (await q.orderBy('at', 'desc').orderBy('id', 'desc').limit(filter.limit).execute()).map(toRow);
    },
    /** The results of the latest run aimed at one version of a service (all its checks); empty when none ran. */
    async latestRun(service: string, version: string): Promise<SyntheticResultRow[]> {
      const last = await db.selectFrom('synthetic_results').select('at').where('service', '=', service).where('version', '=', version)
        .orderBy('at', 'desc').limit(1).executeTakeFirst();
      if (!last) return [];
      return (await db.selectFrom('synthetic_results').selectAll().where('service', '=', service).where('version', '=', version).where('at', '=', last.at)
        .orderBy('id', 'asc').execute()).map(toRow);
    },
  };
}

export type AlertRepository = ReturnType<typeof createAlertRepository>;
export type SyntheticResultRepository = ReturnType<typeof createSyntheticResultRepository>;
