import type { Kysely, Selectable } from 'kysely';
import type { Database } from './schema.js';

export interface FlagRow {
  key: string;
  definition: Record<string, unknown>;
  source: Record<string, unknown> | null;
  version: number;
  updatedAt: string;
  updatedBy: string;
  kill: Record<string, unknown> | null;
  guardState: Record<string, unknown> | null;
}

export interface FlagVersionRow {
  key: string;
  version: number;
  definition: Record<string, unknown>;
  source: Record<string, unknown> | null;
  actor: string;
  reason: string;
  diff: unknown[];
  time: string;
}

export interface ClientKeyRow {
  id: string;
  name: string;
  environment: string;
  keyHash: string;
  prefix: string;
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
}

/** Writes take the transaction of the audit event they belong to. */
export interface FlagRepository {
  list(): Promise<FlagRow[]>;
  get(key: string, trx?: Kysely<Database>): Promise<FlagRow | undefined>;
  /** Inserts or replaces the current row and appends its version row. */
  save(row: FlagRow, version: FlagVersionRow, trx: Kysely<Database>): Promise<void>;
  /** Updates only the kill switch's state (no new version). */
  saveGuard(key: string, kill: FlagRow['kill'], guardState: FlagRow['guardState'], trx?: Kysely<Database>): Promise<void>;
  history(key: string): Promise<FlagVersionRow[]>;
}

export interface SegmentRepository {
  list(): Promise<Array<{ name: string; members: string[]; updatedAt: string; updatedBy: string }>>;
  put(name: string, members: string[], at: string, by: string, trx: Kysely<Database>): Promise<void>;
}

export interface ClientKeyRepository {
  insert(k: ClientKeyRow, trx: Kysely<Database>): Promise<void>;
  findByHash(hash: string): Promise<ClientKeyRow | undefined>;
  get(id: string): Promise<ClientKeyRow | undefined>;
  list(): Promise<ClientKeyRow[]>;
  revoke(id: string, at: string, trx: Kysely<Database>): Promise<boolean>;
}

const json = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));
const text = (value: unknown): string | null => (value === null || value === undefined ? null : JSON.stringify(value));

function toFlag(r: Selectable<Database['flags']>): FlagRow {
  return {
    key: r.key, definition: json(r.definition)!, source: json(r.source), version: Number(r.version),
    updatedAt: r.updated_at, updatedBy: r.updated_by, kill: json(r.kill), guardState: json(r.guard_state),
  };
}

export function createFlagRepository(db: Kysely<Database>): FlagRepository {
  return {
    async list() {
      return (await db.selectFrom('flags').selectAll().orderBy('key').execute()).map(toFlag);
    },
    async get(key, trx = db) {
      const r = await trx.selectFrom('flags').selectAll().where('key', '=', key).executeTakeFirst();
      return r && toFlag(r);
    },
    async save(row, v, trx) {
      const values = {
        key: row.key, definition: JSON.stringify(row.definition), source: text(row.source), version: row.version,
        updated_at: row.updatedAt, updated_by: row.updatedBy, kill: text(row.kill), guard_state: text(row.guardState),
      };
      const { key: _key, ...update } = values;
      await trx.insertInto('flags').values(values).onConflict((oc) => oc.column('key').doUpdateSet(update)).execute();
      await trx.insertInto('flag_versions').values({
        key: v.key, version: v.version, definition: JSON.stringify(v.definition), source: text(v.source),
        actor: v.actor, reason: v.reason, diff: JSON.stringify(v.diff), time: v.time,
      }).execute();
    },
    async saveGuard(key, kill, guardState, trx = db) {
      await trx.updateTable('flags').set({ kill: text(kill), guard_state: text(guardState) }).where('key', '=', key).execute();
    },
    async history(key) {
      const rows = await db.selectFrom('flag_versions').selectAll().where('key', '=', key).orderBy('version', 'desc').execute();
      return rows.map((r) => ({
        key: r.key, version: Number(r.version), definition: json(r.definition)!, source: json(r.source),
        actor: r.actor, reason: r.reason, diff: json<unknown[]>(r.diff)!, time: r.time,
      }));
    },
  };
}

export function createSegmentRepository(db: Kysely<Database>): SegmentRepository {
  return {
    async list() {
      const rows = await db.selectFrom('segments').selectAll().orderBy('name').execute();
      return rows.map((r) => ({ name: r.name, members: JSON.parse(r.members) as string[], updatedAt: r.updated_at, updatedBy: r.updated_by }));
    },
    async put(name, members, at, by, trx) {
      const values = { name, members: JSON.stringify(members), updated_at: at, updated_by: by };
      await trx.insertInto('segments').values(values)
        .onConflict((oc) => oc.column('name').doUpdateSet({ members: values.members, updated_at: at, updated_by: by })).execute();
    },
  };
}

function toKey(r: Selectable<Database['client_keys']>): ClientKeyRow {
  return {
    id: r.id, name: r.name, environment: r.environment, keyHash: r.key_hash, prefix: r.prefix,
    createdAt: r.created_at, createdBy: r.created_by, revokedAt: r.revoked_at,
  };
}

export function createClientKeyRepository(db: Kysely<Database>): ClientKeyRepository {
  return {
    async insert(k, trx) {
      await trx.insertInto('client_keys').values({
        id: k.id, name: k.name, environment: k.environment, key_hash: k.keyHash, prefix: k.prefix,
        created_at: k.createdAt, created_by: k.createdBy, revoked_at: k.revokedAt,
      }).execute();
    },
    async findByHash(hash) {
      const r = await db.selectFrom('client_keys').selectAll().where('key_hash', '=', hash).executeTakeFirst();
      return r && toKey(r);
    },
    async get(id) {
      const r = await db.selectFrom('client_keys').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toKey(r);
    },
    async list() {
      return (await db.selectFrom('client_keys').selectAll().orderBy('created_at').execute()).map(toKey);
    },
    async revoke(id, at, trx) {
      const r = await trx.updateTable('client_keys').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
  };
}
