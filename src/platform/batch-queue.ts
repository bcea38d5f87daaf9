/**
 * A queue flushed in batches by one loop: what callers push in the same turn of the event loop is
 * processed together (group commit: one transaction, one fsync). When a batch fails, its items are
 * processed again one by one, so only the item that fails sees the error.
 */
export interface BatchQueue<I, R> {
  /** Resolves with the item's result once its batch has been processed. */
  push(item: I): Promise<R>;
  /** Resolves when everything pushed so far has been processed or failed. */
  drain(): Promise<void>;
}

/** `process` returns one result per item, in order; it may be called again with a single item. */
export function createBatchQueue<I, R>(process: (batch: readonly I[]) => Promise<R[]>, maxBatch: number): BatchQueue<I, R> {
  let queue: Array<{ item: I; resolve: (r: R) => void; reject: (err: unknown) => void }> = [];
  let flushing: Promise<void> | undefined;

  async function flushLoop(): Promise<void> {
    // Let the callers of this turn of the event loop join the first batch.
    await new Promise<void>((r) => setImmediate(r));
    while (queue.length > 0) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      try {
        const results = await process(batch.map((p) => p.item));
        batch.forEach((p, i) => p.resolve(results[i]!));
      } catch (err) {
        if (batch.length === 1) {
          batch[0]!.reject(err);
          continue;
        }
        for (const p of batch) await process([p.item]).then((r) => p.resolve(r[0]!), p.reject);
      }
    }
    // Cleared in the same synchronous step that saw the queue empty, so a push() arriving now
    // starts a new loop instead of joining one that is about to end.
    flushing = undefined;
  }

  return {
    push(item) {
      return new Promise<R>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        flushing ??= flushLoop();
      });
    },
    async drain() {
      while (flushing) await flushing;
    },
  };
}
