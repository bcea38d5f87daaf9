import type { Kysely } from 'kysely';
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

interface Pending {
  fn: (trx: Trx) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
}

const maxBatch = 500;

/**
 * Group commit for reconcile writes (as the audit log does for its events): a queue flushed by
 * one loop, each batch in one transaction. A failing batch is retried call by call, so only the
 * call that fails sees an error.
 */
export function createGroupCommit(writeTransaction: <T>(fn: (trx: Trx) => Promise<T>) => Promise<T>): GroupCommit {
  let queue: Pending[] = [];
  let flushing: Promise<void> | undefined;

  async function flushLoop(): Promise<void> {
    // Let the callers of this turn of the event loop join the first batch.
    await new Promise<void>((r) => setImmediate(r));
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      try {
        const results = await writeTransaction(async (trx) => {
          const out: unknown[] = [];
          for (const p of batch) out.push(await p.fn(trx));
          return out;
        });
        batch.forEach((p, i) => p.resolve(results[i]));
      } catch (err) {
        if (batch.length === 1) {
          batch[0]!.reject(err);
          continue;
        }
        for (const p of batch) await writeTransaction(p.fn).then(p.resolve, p.reject);
      }
    }
    // Cleared in the step that saw the queue empty: a run() arriving now starts a new loop.
    flushing = undefined;
  }

  return {
    run<T>(fn: (trx: Trx) => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        queue.push({ fn, resolve: resolve as (value: unknown) => void, reject });
        flushing ??= flushLoop();
      });
    },
    async drain() {
      while (flushing) await flushing;
    },
  };
}
