import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { migrateToLatest } from './migrations.js';
import { createKyselyStore } from './repositories.js';
import type { Database } from './schema.js';
import type { Store } from './types.js';

/** Any fixed number: the advisory lock that serialises Rampart's writers on one database. */
const writeLockKey = 72_617_201;

const int8 = 20;
const numeric = 1700;

/**
 * PostgreSQL store. int8 and numeric columns read back as JS numbers (seq values stay far below
 * 2^53). Writers hold a transaction-scoped advisory lock, so several Rampart processes may share
 * one database and the audit chain still has one writer at a time.
 */
export async function openPostgresStore(url: string, options: { poolSize?: number; onIdleError?: (err: Error) => void } = {}): Promise<Store> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.poolSize ?? 10,
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        oid === int8 || oid === numeric ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
    },
  });
  // A pooled connection the server drops while idle (a restart, an admin's terminate) emits 'error'
  // on the pool; unheard, that would crash the process. pg discards that client and the next
  // query opens a new one, so it is reported, not fatal.
  pool.on('error', (err) => options.onIdleError?.(err));
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await migrateToLatest(db as Kysely<never>);
  } catch (err) {
    await db.destroy();
    throw err;
  }
  const writeTransaction: Store['writeTransaction'] = (fn) =>
    db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${writeLockKey})`.execute(trx);
      return fn(trx);
    });
  return createKyselyStore('postgres', db, writeTransaction, () => db.destroy());
}
