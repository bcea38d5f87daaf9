import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { migrateToLatest } from './migrations.js';
import { type AuditPageReader, createKyselyStore } from './repositories.js';
import type { Database } from './schema.js';
import type { Store } from './types.js';

type AuditTuple = [number, string, string, string, string, string, string, string | null, string, string, string];

/**
 * The embedded store: one SQLite file in WAL mode. `synchronous = FULL` makes each commit durable
 * before it is acknowledged (the audit log's promise); group commit in the audit writer keeps that
 * affordable. Writers take `BEGIN IMMEDIATE` so a second process waits (busy timeout) instead of
 * failing mid-transaction.
 */
export async function openSqliteStore(file: string, options: { readonly?: boolean } = {}): Promise<Store> {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const database = new BetterSqlite3(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
  database.pragma('busy_timeout = 10000');
  if (!options.readonly) {
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = FULL');
  }
  database.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database }) });
  if (!options.readonly) await migrateToLatest(db as Kysely<never>);

  const writeTransaction: Store['writeTransaction'] = (fn) =>
    db.connection().execute(async (conn) => {
      await sql`begin immediate`.execute(conn);
      try {
        const result = await fn(conn);
        await sql`commit`.execute(conn);
        return result;
      } catch (err) {
        await sql`rollback`.execute(conn);
        throw err;
      }
    });

  // Verify reads every event: a prepared statement returning arrays skips Kysely's per-row work.
  const pageStatement = database.prepare(
    'select seq, id, time, actor, action, subject_kind, subject_id, service, payload, prev_hash, hash from audit_events where seq > ? order by seq limit ?',
  ).raw(true);
  const pageReader: AuditPageReader = async (afterSeq, limit) =>
    (pageStatement.all(afterSeq, limit) as AuditTuple[]).map(([seq, id, time, actor, action, subjectKind, subjectId, service, payload, prevHash, hash]) =>
      ({ seq, id, time, actor, action, subjectKind, subjectId, service, payload, prevHash, hash }));

  return createKyselyStore('sqlite', db, writeTransaction, () => db.destroy(), pageReader);
}
