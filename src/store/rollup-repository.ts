import { type Kysely, sql } from 'kysely';
import { ROLLUP_LE_COLUMNS, type RollupLeColumn } from './rollup-columns.js';
import type { Database } from './schema.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** 18 bound values per row: 500 rows stay far below SQLite's 32,766 per statement. */
const insertChunk = 500;

/** One service version's counts over one minute. `le` holds the cumulative counts of ROLLUP_LE_COLUMNS, in order. */
export interface MinuteRollup {
  service: string;
  version: string;
  /** The minute's start, epoch ms (a multiple of 60,000). */
  startMs: number;
  requests: number;
  errors: number;
  le: readonly number[];
}

/** Sums over one segment of time for one service, all versions together. `samples` counts minute rows. */
export interface RollupSums {
  requests: number;
  errors: number;
  samples: number;
  le: Partial<Record<RollupLeColumn, number>>;
}

export type RollupResolution = 'minute' | 'hour' | 'day';

const tableOf = { minute: 'rollup_minutes', hour: 'rollup_hours', day: 'rollup_days' } as const;

/**
 * Request rollups of the built-in proxy. A minute row is keyed by (service, version, minute) and
 * written by replacement, so writing a minute twice (a retried flush, a restart) never double
 * counts. Each write recomputes the hour rows it touches from their minute rows, then the day
 * rows from their hours: an hour is always the exact sum of its minutes and a day of its hours,
 * which lets readers mix the three resolutions exactly.
 */
export function createRollupRepository(db: Kysely<Database>) {
  return {
    /** Upserts minute rows and recomputes their hours; pass a transaction to make it atomic. */
    async writeMinutes(rows: readonly MinuteRollup[], trx: Kysely<Database> = db): Promise<void> {
      if (rows.length === 0) return;
      for (let i = 0; i < rows.length; i += insertChunk) {
        const values = rows.slice(i, i + insertChunk).map((r) => {
          if (r.le.length !== ROLLUP_LE_COLUMNS.length) throw new Error(`rollup of ${r.service} ${r.version}: ${r.le.length} latency buckets, expected ${ROLLUP_LE_COLUMNS.length}`);
          return { service: r.service, version: r.version, start_ms: r.startMs, requests: r.requests, errors: r.errors, ...Object.fromEntries(ROLLUP_LE_COLUMNS.map((c, j) => [c, r.le[j] as number])) } as Database['rollup_minutes'];
        });
        await trx.insertInto('rollup_minutes').values(values)
          .onConflict((oc) => oc.columns(['service', 'start_ms', 'version']).doUpdateSet((eb) => Object.fromEntries(
            (['requests', 'errors', ...ROLLUP_LE_COLUMNS] as const).map((c) => [c, eb.ref(`excluded.${c}`)]))))
          .execute();
      }
      for (const [source, target, step] of [['rollup_minutes', 'rollup_hours', HOUR_MS], ['rollup_hours', 'rollup_days', DAY_MS]] as const) {
        const services = new Map<number, Set<string>>();
        for (const r of rows) {
          const start = Math.floor(r.startMs / step) * step;
          if (!services.has(start)) services.set(start, new Set());
          services.get(start)!.add(r.service);
        }
        for (const [start, names] of services) {
          await trx.insertInto(target)
            .columns(['service', 'version', 'start_ms', 'requests', 'errors', ...ROLLUP_LE_COLUMNS, 'minutes'])
            .expression(trx.selectFrom(source)
              .select((eb) => [
                'service', 'version', sql<number>`cast(${start} as bigint)`.as('start_ms'),
                eb.fn.sum<number>('requests').as('requests'), eb.fn.sum<number>('errors').as('errors'),
                ...ROLLUP_LE_COLUMNS.map((c) => eb.fn.sum<number>(c).as(c)),
                (source === 'rollup_minutes' ? eb.fn.countAll<number>() : eb.fn.sum<number>(sql.ref('minutes'))).as('minutes'),
              ])
              .where('service', 'in', [...names]).where('start_ms', '>=', start).where('start_ms', '<', start + step)
              .groupBy(['service', 'version']))
            .onConflict((oc) => oc.columns(['service', 'start_ms', 'version']).doUpdateSet((eb) => Object.fromEntries(
              (['requests', 'errors', ...ROLLUP_LE_COLUMNS, 'minutes'] as const).map((c) => [c, eb.ref(`excluded.${c}`)]))))
            .execute();
        }
      }
    },

    /**
     * Sums each segment [edges[i], edges[i+1]) per service (all versions together), one grouped
     * query per segment: each reads its rows in key order, with no sort. Only the latency columns
     * in `le` are summed. `services` restricts the services (and lets the key be searched per
     * service: pass it for speed); absent, every service with rows answers. A segment without
     * rows is undefined (no data).
     */
    async sumSegments(resolution: RollupResolution, edges: readonly number[], options: { services?: readonly string[]; le?: readonly RollupLeColumn[] } = {}): Promise<Map<string, Array<RollupSums | undefined>>> {
      const out = new Map<string, Array<RollupSums | undefined>>();
      if (edges.length < 2 || options.services?.length === 0) return out;
      const le = [...new Set(options.le ?? [])];
      const table = tableOf[resolution];
      for (let i = 0; i < edges.length - 1; i++) {
        let q = db.selectFrom(table)
          .select((eb) => [
            'service',
            eb.fn.sum<number>('requests').as('requests'), eb.fn.sum<number>('errors').as('errors'),
            ...le.map((c) => eb.fn.sum<number>(c).as(c)),
            (resolution === 'minute' ? eb.fn.countAll<number>() : eb.fn.sum<number>(sql.ref('minutes'))).as('samples'),
          ])
          .where('start_ms', '>=', edges[i] as number).where('start_ms', '<', edges[i + 1] as number);
        if (options.services?.length === 1) q = q.where('service', '=', options.services[0] as string);
        else if (options.services) q = q.where('service', 'in', [...options.services]);
        for (const r of (await q.groupBy('service').execute()) as Array<Record<string, unknown>>) {
          const service = r.service as string;
          let segments = out.get(service);
          if (!segments) out.set(service, (segments = new Array<RollupSums | undefined>(edges.length - 1).fill(undefined)));
          segments[i] = {
            requests: Number(r.requests), errors: Number(r.errors), samples: Number(r.samples),
            le: Object.fromEntries(le.map((c) => [c, Number(r[c])])),
          };
        }
      }
      return out;
    },

    /**
     * Deletes minutes that start before `beforeMs`, and hours and days that end at or before it
     * (retention). Service by service, so each delete seeks the primary key (service, start_ms, …)
     * instead of scanning every row: at 1,000 services × 30 days that is 43 M minute rows.
     * Run it in a write transaction (one commit for all the deletes).
     */
    async prune(beforeMs: number, trx: Kysely<Database> = db): Promise<{ minutes: number; hours: number; days: number }> {
      // Days are the smallest table, and every service with minutes has its days (they are written together).
      const services = (await trx.selectFrom('rollup_days').select('service').distinct().execute()).map((r) => r.service);
      const deleted = { minutes: 0, hours: 0, days: 0 };
      for (const service of services) {
        deleted.minutes += Number((await trx.deleteFrom('rollup_minutes').where('service', '=', service).where('start_ms', '<', beforeMs).executeTakeFirst()).numDeletedRows);
        deleted.hours += Number((await trx.deleteFrom('rollup_hours').where('service', '=', service).where('start_ms', '<=', beforeMs - HOUR_MS).executeTakeFirst()).numDeletedRows);
        deleted.days += Number((await trx.deleteFrom('rollup_days').where('service', '=', service).where('start_ms', '<=', beforeMs - DAY_MS).executeTakeFirst()).numDeletedRows);
      }
      return deleted;
    },
  };
}

export type RollupRepository = ReturnType<typeof createRollupRepository>;

/** The last band recorded per service. */
export interface BudgetBandRow {
  service: string;
  band: string;
  remainingPct: number | null;
  changedAt: string;
}

export function createBudgetBandRepository(db: Kysely<Database>) {
  return {
    async all(): Promise<BudgetBandRow[]> {
      const rows = await db.selectFrom('budget_bands').selectAll().orderBy('service').execute();
      return rows.map((r) => ({ service: r.service, band: r.band, remainingPct: r.remaining_pct === null ? null : Number(r.remaining_pct), changedAt: r.changed_at }));
    },
    async put(row: BudgetBandRow, trx: Kysely<Database> = db): Promise<void> {
      const values = { service: row.service, band: row.band, remaining_pct: row.remainingPct, changed_at: row.changedAt };
      await trx.insertInto('budget_bands').values(values)
        .onConflict((oc) => oc.column('service').doUpdateSet({ band: values.band, remaining_pct: values.remaining_pct, changed_at: values.changed_at }))
        .execute();
    },
  };
}

export type BudgetBandRepository = ReturnType<typeof createBudgetBandRepository>;
