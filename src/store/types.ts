import type { Kysely } from 'kysely';
import type { AuditEvent } from '../domain/audit/chain.js';
import type { ExceptionRepository } from './exception-repository.js';
import type { OutboxRepository } from './outbox-repository.js';
import type { ClientKeyRepository, FlagRepository, SegmentRepository } from './flag-repositories.js';
import type { IncidentRepository, ReleaseRepository, SloStatusRepository } from './release-repositories.js';
import type { AnalysisRunRepository } from './analysis-repository.js';
import type { RolloutRepository } from './rollout-repository.js';
import type { AlertRepository, SyntheticResultRepository } from './safeguard-repositories.js';
import type { BudgetBandRepository, RollupRepository } from './rollup-repository.js';
import type { Database } from './schema.js';

export interface AuditFilter {
  service?: string;
  action?: string;
  actor?: string;
  /** ISO-8601: events at or after this time. */
  since?: string;
  /** Events with seq below this (for paging newest-first). */
  beforeSeq?: number;
  limit: number;
}

export interface AuditRepository {
  /**
   * Appends in one transaction, holding the chain's write lock: `seal` is called once per entry in
   * order with the previous event's seq and hash, and the head row moves with them. `apply`, when
   * given, runs first for each entry inside the same transaction, so a state change and its audit
   * event commit together or not at all. Durable when the promise resolves.
   */
  appendBatch<E>(
    entries: readonly E[],
    seal: (entry: E, prev: { seq: number; hash: string } | undefined) => AuditEvent,
    apply?: (entry: E, trx: Kysely<Database>) => Promise<void>,
  ): Promise<AuditEvent[]>;
  /** Newest first. */
  list(filter: AuditFilter): Promise<AuditEvent[]>;
  /** Events with seq > afterSeq in seq order, at most `limit`. */
  page(afterSeq: number, limit: number): Promise<AuditEvent[]>;
  head(): Promise<{ seq: number; hash: string } | undefined>;
  count(): Promise<number>;
}

export interface TokenRecord {
  id: string;
  name: string;
  tokenHash: string;
  prefix: string;
  roles: string[];
  createdAt: string;
  createdBy: string;
  revokedAt: string | null;
}

/** Writes take an optional transaction (from AuditLog.record) so they commit with their audit event. */
export interface TokenRepository {
  insert(t: TokenRecord, trx?: Kysely<Database>): Promise<void>;
  /** Replaces the hash and roles of the token with this id, or inserts it (the env admin token). */
  upsert(t: TokenRecord, trx?: Kysely<Database>): Promise<void>;
  findByHash(hash: string): Promise<TokenRecord | undefined>;
  get(id: string): Promise<TokenRecord | undefined>;
  list(): Promise<TokenRecord[]>;
  revoke(id: string, at: string, trx?: Kysely<Database>): Promise<boolean>;
  countActive(): Promise<number>;
}

/** Persistence for every service. Both dialects pass `store.case.ts`. */
export interface Store {
  readonly dialect: 'sqlite' | 'postgres';
  readonly db: Kysely<Database>;
  readonly audit: AuditRepository;
  readonly tokens: TokenRepository;
  readonly flags: FlagRepository;
  readonly segments: SegmentRepository;
  readonly clientKeys: ClientKeyRepository;
  readonly releases: ReleaseRepository;
  readonly incidents: IncidentRepository;
  readonly sloStatus: SloStatusRepository;
  readonly analysisRuns: AnalysisRunRepository;
  readonly rollouts: RolloutRepository;
  readonly exceptions: ExceptionRepository;
  readonly alerts: AlertRepository;
  readonly syntheticResults: SyntheticResultRepository;
  readonly outbox: OutboxRepository;
  /** Built-in proxy request counts per minute and hour (error budgets). */
  readonly rollups: RollupRepository;
  readonly budgetBands: BudgetBandRepository;
  /** Runs `fn` in a transaction that holds the store's write lock (serialises writers across processes). */
  writeTransaction<T>(fn: (db: Kysely<Database>) => Promise<T>): Promise<T>;
  /** Throws when the store cannot answer. */
  ping(): Promise<void>;
  close(): Promise<void>;
}
