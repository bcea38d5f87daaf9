import { createExceptionRepository } from './exception-repository.js';
import { createOutboxRepository } from './outbox-repository.js';
import { type Kysely, type Selectable, sql } from 'kysely';
import type { AuditEvent } from '../domain/audit/chain.js';
import { createClientKeyRepository, createFlagRepository, createSegmentRepository } from './flag-repositories.js';
import { createIncidentRepository, createReleaseRepository, createSloStatusRepository } from './release-repositories.js';
import { createAnalysisRunRepository } from './analysis-repository.js';
import { createRolloutRepository } from './rollout-repository.js';
import { createAlertRepository, createSyntheticResultRepository } from './safeguard-repositories.js';
import { createBudgetBandRepository, createRollupRepository } from './rollup-repository.js';
import type { Database } from './schema.js';
import type { AuditRepository, Store, TokenRecord, TokenRepository } from './types.js';

type AuditRow = Selectable<Database['audit_events']>;
type TokenRow = Selectable<Database['tokens']>;

/** SQLite allows 32,766 bound values per statement; 11 columns × 500 rows stays far below. */
const insertChunk = 500;

function toEvent(r: AuditRow): AuditEvent {
  return {
    seq: Number(r.seq), id: r.id, time: r.time, actor: r.actor, action: r.action,
    subjectKind: r.subject_kind, subjectId: r.subject_id, service: r.service,
    payload: r.payload, prevHash: r.prev_hash, hash: r.hash,
  };
}

function toRow(e: AuditEvent): AuditRow {
  return {
    seq: e.seq, id: e.id, time: e.time, actor: e.actor, action: e.action,
    subject_kind: e.subjectKind, subject_id: e.subjectId, service: e.service,
    payload: e.payload, prev_hash: e.prevHash, hash: e.hash,
  };
}

function toToken(r: TokenRow): TokenRecord {
  return {
    id: r.id, name: r.name, tokenHash: r.token_hash, prefix: r.prefix, roles: JSON.parse(r.roles) as string[],
    createdAt: r.created_at, createdBy: r.created_by, revokedAt: r.revoked_at,
  };
}

function fromToken(t: TokenRecord): TokenRow {
  return {
    id: t.id, name: t.name, token_hash: t.tokenHash, prefix: t.prefix, roles: JSON.stringify(t.roles),
    created_at: t.createdAt, created_by: t.createdBy, revoked_at: t.revokedAt,
  };
}

/** A faster, dialect-specific reader of audit pages (verify reads every row). */
export type AuditPageReader = (afterSeq: number, limit: number) => Promise<AuditEvent[]>;

function createAuditRepository(db: Kysely<Database>, writeTransaction: Store['writeTransaction'], pageReader?: AuditPageReader): AuditRepository {
  return {
    appendBatch(entries, seal, apply) {
      return writeTransaction(async (trx) => {
        if (apply) for (const entry of entries) await apply(entry, trx);
        const headRow = await trx.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
        let prev = headRow ? { seq: Number(headRow.seq), hash: headRow.hash } : undefined;
        const sealed: AuditEvent[] = [];
        for (const entry of entries) {
          const e = seal(entry, prev);
          sealed.push(e);
          prev = { seq: e.seq, hash: e.hash };
        }
        for (let i = 0; i < sealed.length; i += insertChunk) {
          await trx.insertInto('audit_events').values(sealed.slice(i, i + insertChunk).map(toRow)).execute();
        }
        if (prev) {
          await trx.insertInto('audit_head').values({ id: 1, seq: prev.seq, hash: prev.hash })
            .onConflict((oc) => oc.column('id').doUpdateSet({ seq: prev!.seq, hash: prev!.hash }))
            .execute();
        }
        return sealed;
      });
    },
    async list(f) {
      let q = db.selectFrom('audit_events').selectAll();
      if (f.service) q = q.where('service', '=', f.service);
      if (f.action) q = q.where('action', '=', f.action);
      if (f.actor) q = q.where('actor', '=', f.actor);
      if (f.since) q = q.where('time', '>=', f.since);
      if (f.beforeSeq !== undefined) q = q.where('seq', '<', f.beforeSeq);
      const rows = await q.orderBy('seq', 'desc').limit(f.limit).execute();
      return rows.map(toEvent);
    },
    async page(afterSeq, limit) {
      if (pageReader) return pageReader(afterSeq, limit);
      const rows = await db.selectFrom('audit_events').selectAll().where('seq', '>', afterSeq).orderBy('seq').limit(limit).execute();
      return rows.map(toEvent);
    },
    async head() {
      const r = await db.selectFrom('audit_head').select(['seq', 'hash']).where('id', '=', 1).executeTakeFirst();
      return r ? { seq: Number(r.seq), hash: r.hash } : undefined;
    },
    async count() {
      const r = await db.selectFrom('audit_events').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}

function createTokenRepository(db: Kysely<Database>): TokenRepository {
  return {
    async insert(t, trx = db) {
      await trx.insertInto('tokens').values(fromToken(t)).execute();
    },
    async upsert(t, trx = db) {
      const row = fromToken(t);
      await trx.insertInto('tokens').values(row)
        .onConflict((oc) => oc.column('id').doUpdateSet({ token_hash: row.token_hash, prefix: row.prefix, roles: row.roles, revoked_at: null }))
        .execute();
    },
    async findByHash(hash) {
      const r = await db.selectFrom('tokens').selectAll().where('token_hash', '=', hash).executeTakeFirst();
      return r && toToken(r);
    },
    async get(id) {
      const r = await db.selectFrom('tokens').selectAll().where('id', '=', id).executeTakeFirst();
      return r && toToken(r);
    },
    async list() {
      return (await db.selectFrom('tokens').selectAll().orderBy('created_at').orderBy('id').execute()).map(toToken);
    },
    async revoke(id, at, trx = db) {
      const r = await trx.updateTable('tokens').set({ revoked_at: at }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
      return Number(r.numUpdatedRows) > 0;
    },
    async countActive() {
      const r = await db.selectFrom('tokens').select(sql<number>`count(*)`.as('n')).where('revoked_at', 'is', null).executeTakeFirstOrThrow();
      return Number(r.n);
    },
  };
}

/** The dialect-independent store over a Kysely instance and that dialect's write lock. */
export function createKyselyStore(
  dialect: Store['dialect'],
  db: Kysely<Database>,
  writeTransaction: Store['writeTransaction'],
  close: () => Promise<void>,
  pageReader?: AuditPageReader,
): Store {
  return {
    dialect,
    db,
    audit: createAuditRepository(db, writeTransaction, pageReader),
    tokens: createTokenRepository(db),
    flags: createFlagRepository(db),
    segments: createSegmentRepository(db),
    clientKeys: createClientKeyRepository(db),
    releases: createReleaseRepository(db),
    incidents: createIncidentRepository(db),
    sloStatus: createSloStatusRepository(db),
    analysisRuns: createAnalysisRunRepository(db),
    rollouts: createRolloutRepository(db),
    exceptions: createExceptionRepository(db),
    alerts: createAlertRepository(db),
    syntheticResults: createSyntheticResultRepository(db),
    outbox: createOutboxRepository(db),
    rollups: createRollupRepository(db),
    budgetBands: createBudgetBandRepository(db),
    writeTransaction,
    async ping() {
      await sql`select 1`.execute(db);
    },
    close,
  };
}
