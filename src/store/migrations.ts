import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import { ROLLUP_LE_COLUMNS } from './rollup-columns.js';

/**
 * Numbered migrations, run at start. Append new ones; never edit a released one. Column types are
 * the portable subset of SQLite and PostgreSQL (`bigint` reads back as a number in both: the
 * PostgreSQL pool parses int8 as a JS number).
 */
const migrations: Record<string, Migration> = {
  '0001_foundation': {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('audit_events')
        .addColumn('seq', 'bigint', (c) => c.primaryKey())
        .addColumn('id', 'text', (c) => c.notNull().unique())
        .addColumn('time', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('subject_kind', 'text', (c) => c.notNull())
        .addColumn('subject_id', 'text', (c) => c.notNull())
        .addColumn('service', 'text')
        .addColumn('payload', 'text', (c) => c.notNull())
        .addColumn('prev_hash', 'text', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('audit_events_service').on('audit_events').columns(['service', 'seq']).execute();
      await db.schema.createIndex('audit_events_action').on('audit_events').columns(['action', 'seq']).execute();
      await db.schema.createIndex('audit_events_actor').on('audit_events').columns(['actor', 'seq']).execute();
      await db.schema.createIndex('audit_events_time').on('audit_events').columns(['time']).execute();
      await db.schema.createTable('audit_head')
        .addColumn('id', 'integer', (c) => c.primaryKey())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('hash', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('tokens')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('token_hash', 'text', (c) => c.notNull().unique())
        .addColumn('prefix', 'text', (c) => c.notNull())
        .addColumn('roles', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .execute();
    },
  },
  '0002_flags': {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('flags')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('definition', 'text', (c) => c.notNull())
        .addColumn('source', 'text')
        .addColumn('version', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .addColumn('kill', 'text')
        .addColumn('guard_state', 'text')
        .execute();
      await db.schema.createTable('flag_versions')
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('version', 'bigint', (c) => c.notNull())
        .addColumn('definition', 'text', (c) => c.notNull())
        .addColumn('source', 'text')
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('diff', 'text', (c) => c.notNull())
        .addColumn('time', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('flag_versions_pk', ['key', 'version'])
        .execute();
      await db.schema.createTable('segments')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('members', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('client_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('key_hash', 'text', (c) => c.notNull().unique())
        .addColumn('prefix', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('revoked_at', 'text')
        .execute();
    },
  },
  '0003_releases': {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('releases')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('service', 'text', (c) => c.notNull())
        .addColumn('version', 'text', (c) => c.notNull())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .addColumn('decision_id', 'text', (c) => c.notNull())
        .addColumn('allow', 'integer', (c) => c.notNull())
        .addColumn('facts', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('releases_service').on('releases').columns(['service', 'created_at']).execute();
      await db.schema.createTable('decisions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('release_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('allow', 'integer', (c) => c.notNull())
        .addColumn('record', 'text', (c) => c.notNull())
        .addColumn('inputs', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createTable('approvals')
        .addColumn('release_id', 'text', (c) => c.notNull())
        .addColumn('approver', 'text', (c) => c.notNull())
        .addColumn('role', 'text', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('comment', 'text')
        .addPrimaryKeyConstraint('approvals_pk', ['release_id', 'approver', 'role'])
        .execute();
      await db.schema.createTable('incidents')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('service', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('title', 'text', (c) => c.notNull())
        .addColumn('links', 'text', (c) => c.notNull())
        .addColumn('opened_at', 'text', (c) => c.notNull())
        .addColumn('opened_by', 'text', (c) => c.notNull())
        .addColumn('resolved_at', 'text')
        .execute();
      await db.schema.createIndex('incidents_service').on('incidents').columns(['service', 'status']).execute();
      await db.schema.createTable('slo_status')
        .addColumn('service', 'text', (c) => c.primaryKey())
        .addColumn('error_budget_remaining_pct', 'double precision')
        .addColumn('fast_burn_rate', 'double precision')
        .addColumn('updated_at', 'text', (c) => c.notNull())
        .addColumn('updated_by', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '0004_analysis_runs': {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('analysis_runs')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('spec', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('phase', 'text', (c) => c.notNull())
        .addColumn('next_at', 'bigint')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('analysis_runs_next').on('analysis_runs').columns(['next_at']).execute();
    },
  },
  '0005_exceptions': {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('exceptions')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('service', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('expiration', 'text')
        .addColumn('review_due', 'text')
        .addColumn('reviewed', 'integer', (c) => c.notNull())
        .addColumn('record', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('exceptions_service').on('exceptions').columns(['service', 'state']).execute();
      await db.schema.createIndex('exceptions_state').on('exceptions').columns(['state', 'expiration']).execute();
    },
  },
  '0008_rollouts': {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('rollouts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('service', 'text', (c) => c.notNull())
        .addColumn('spec', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('phase', 'text', (c) => c.notNull())
        .addColumn('commands', 'text', (c) => c.notNull())
        .addColumn('applied', 'text', (c) => c.notNull())
        .addColumn('runs', 'text', (c) => c.notNull())
        .addColumn('release_id', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('created_by', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('rollouts_service').on('rollouts').columns(['service', 'created_at']).execute();
    },
  },
  '0007_safeguards': {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('alerts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('service', 'text', (c) => c.notNull())
        .addColumn('rule', 'text', (c) => c.notNull())
        .addColumn('severity', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('opened_at', 'text', (c) => c.notNull())
        .addColumn('resolved_at', 'text')
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('detail', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('alerts_state').on('alerts').columns(['state', 'opened_at']).execute();
      await db.schema.createTable('synthetic_results')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('service', 'text', (c) => c.notNull())
        .addColumn('check_name', 'text', (c) => c.notNull())
        .addColumn('ok', 'integer', (c) => c.notNull())
        .addColumn('duration_ms', 'double precision', (c) => c.notNull())
        .addColumn('at', 'text', (c) => c.notNull())
        .addColumn('target', 'text', (c) => c.notNull())
        .addColumn('message', 'text', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('synthetic_results_service').on('synthetic_results').columns(['service', 'at']).execute();
    },
  },
  '0006_outbox': {
    async up(db: Kysely<unknown>) {
      await db.schema.createTable('notification_outbox')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('notifier', 'text', (c) => c.notNull())
        .addColumn('event_type', 'text', (c) => c.notNull())
        .addColumn('event', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('attempts', 'integer', (c) => c.notNull())
        .addColumn('next_at', 'bigint', (c) => c.notNull())
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'text', (c) => c.notNull())
        .addColumn('delivered_at', 'text')
        .execute();
      await db.schema.createIndex('notification_outbox_due').on('notification_outbox').columns(['state', 'next_at']).execute();
    },
  },
  '0009_rollout_pending_effects': {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('rollouts').addColumn('pending', 'text', (c) => c.notNull().defaultTo('[]')).execute();
    },
  },
  '0010_request_rollups': {
    async up(db: Kysely<unknown>) {
      // Per-minute, per-hour and per-day request counts of the built-in proxy (error budgets over 30 days).
      for (const [table, extra] of [['rollup_minutes', []], ['rollup_hours', ['minutes']], ['rollup_days', ['minutes']]] as const) {
        let t = db.schema.createTable(table)
          .addColumn('service', 'text', (c) => c.notNull())
          .addColumn('version', 'text', (c) => c.notNull())
          .addColumn('start_ms', 'bigint', (c) => c.notNull())
          .addColumn('requests', 'bigint', (c) => c.notNull())
          .addColumn('errors', 'bigint', (c) => c.notNull());
        for (const le of ROLLUP_LE_COLUMNS) t = t.addColumn(le, 'bigint', (c) => c.notNull());
        for (const col of extra) t = t.addColumn(col, 'bigint', (c) => c.notNull());
        await t.addPrimaryKeyConstraint(`${table}_pk`, ['service', 'start_ms', 'version']).execute();
      }
      await db.schema.createTable('budget_bands')
        .addColumn('service', 'text', (c) => c.primaryKey())
        .addColumn('band', 'text', (c) => c.notNull())
        .addColumn('remaining_pct', 'double precision')
        .addColumn('changed_at', 'text', (c) => c.notNull())
        .execute();
    },
  },
  '0011_synthetic_result_version': {
    async up(db: Kysely<unknown>) {
      // The version a synthetic run was aimed at (null: the service URL, whatever version answered).
      await db.schema.alterTable('synthetic_results').addColumn('version', 'text').execute();
      await db.schema.createIndex('synthetic_results_version').on('synthetic_results').columns(['service', 'version', 'at']).execute();
    },
  },
};

const provider: MigrationProvider = { getMigrations: async () => migrations };

/** Brings the schema up to date; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<never>): Promise<void> {
  const { error, results } = await new Migrator({ db, provider }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`store migration ${failed} failed: ${(error as Error).message}`);
  }
}
