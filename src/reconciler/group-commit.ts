import type { Kysely } from 'kysely';
import { createBatchQueue } from '../platform/batch-queue.js';
import type { Database } from '../store/schema.js';

type Trx = Kysely<Database>;

export interface GroupCommit {
  /**
   * Runs `fn` in a write transaction and resolves with its result once that transaction has
   * committed (durable). Calls made in the same turn of the event loop share one transaction, so
   * many reconciles that wake together pay for one commit (one fsync) instead of one each.
   * `fn` must use only the transaction it is given, and may run a second time (alone) when a
   * batch it shared failed because of another call.
   */
  run<T>(fn: (trx: Trx) => Promise<T>): Promise<T>;
  /** Resolves when everything queued so far has committed or failed. */
  drain(): Promise<void>;
}

const maxBatch = 500;

/**
 * Group commit for reconcile writes (as the audit log does for its events): each batch in one
 * transaction; a failing batch is retried call by call, so only the call that fails sees an error.
 */
export function createGroupCommit(writeTransaction: <T>(fn: (trx: Trx) => Promise<T>) => Promise<T>): GroupCommit {
  const queue = createBatchQueue<(trx: Trx) => Promise<unknown>, unknown>((batch) => writeTransaction(async (trx) => {
    const out: unknown[] = [];
    for (const fn of batch) out.push(await fn(trx));
    return out;
  }), maxBatch);
  return {
    run: <T>(fn: (trx: Trx) => Promise<T>) => queue.push(fn) as Promise<T>,
    drain: () => queue.drain(),
  };
}
