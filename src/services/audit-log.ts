import { type AuditEntry, type AuditEvent, type ChainProblem, createChainVerifier, sealEvent } from '../domain/audit/chain.js';
import type { Clock } from '../platform/clock.js';
import { createBatchQueue } from '../platform/batch-queue.js';
import { newId } from '../platform/ids.js';
import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.js';
import type { AuditFilter, Store } from '../store/types.js';

export interface AuditLog {
  /**
   * Appends one event and resolves once it is durable in the store. Concurrent calls are grouped
   * into one transaction (group commit); each caller still waits for its own commit. `apply` runs
   * in that transaction before the event is sealed: the change it writes and its audit event
   * commit together, or neither does.
   */
  record(entry: AuditEntry, apply?: (trx: Kysely<Database>) => Promise<void>): Promise<AuditEvent>;
  list(filter: AuditFilter): Promise<AuditEvent[]>;
  /** Resolves when everything recorded so far is committed. */
  drain(): Promise<void>;
}

interface Pending {
  entry: AuditEntry;
  apply: ((trx: Kysely<Database>) => Promise<void>) | undefined;
}

const maxBatch = 1000;

export function createAuditLog(store: Store, clock: Clock): AuditLog {
  // One batch, one transaction: the events are sealed in order onto the chain, each caller's change applied with them.
  const queue = createBatchQueue<Pending, AuditEvent>((batch) => {
    const hasApply = batch.some((p) => p.apply);
    return store.audit.appendBatch(
      batch,
      (p, prev) => sealEvent(p.entry, prev, newId('evt_', clock.now()), clock.now()),
      hasApply ? (p, trx) => p.apply?.(trx) ?? Promise.resolve() : undefined,
    );
  }, maxBatch);

  return {
    record: (entry, apply) => queue.push({ entry, apply }),
    list: (filter) => store.audit.list(filter),
    drain: () => queue.drain(),
  };
}

export interface VerifyReport {
  ok: boolean;
  checked: number;
  head: { seq: number; hash: string } | undefined;
  problem?: ChainProblem;
}

/**
 * Re-computes the whole chain from the store, page by page, and reports the first break.
 * Reads only; needs nothing but the store, so an auditor can run it without the server.
 */
export async function verifyAuditChain(
  store: Store,
  onProgress?: (checked: number, total: number) => void,
  pageSize = 20_000,
): Promise<VerifyReport> {
  const head = await store.audit.head();
  const total = head?.seq ?? (await store.audit.count());
  const verifier = createChainVerifier();
  let after = 0;
  for (;;) {
    const page = await store.audit.page(after, pageSize);
    if (page.length === 0) break;
    for (const e of page) {
      const problem = verifier.push(e);
      if (problem) return { ok: false, checked: verifier.count, head, problem };
    }
    after = page[page.length - 1]!.seq;
    onProgress?.(verifier.count, total);
  }
  const problem = verifier.finish(head);
  return problem ? { ok: false, checked: verifier.count, head, problem } : { ok: true, checked: verifier.count, head };
}
