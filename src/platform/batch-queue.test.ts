import { describe, expect, it } from 'vitest';
import { createBatchQueue } from './batch-queue.js';

describe('batch queue (group commit)', () => {
  it('processes what is pushed in one turn as one batch, in order, and caps batch size', async () => {
    const batches: number[][] = [];
    const q = createBatchQueue<number, number>(async (batch) => (batches.push([...batch]), batch.map((x) => x * 10)), 3);
    const results = await Promise.all([1, 2, 3, 4, 5].map((x) => q.push(x)));
    expect(results).toEqual([10, 20, 30, 40, 50]);
    expect(batches).toEqual([[1, 2, 3], [4, 5]]);
    await q.push(6);
    expect(batches.at(-1)).toEqual([6]);
  });

  it('retries a failed batch item by item, so only the failing item rejects', async () => {
    const calls: number[][] = [];
    const q = createBatchQueue<number, number>(async (batch) => {
      calls.push([...batch]);
      if (batch.includes(2)) throw new Error('2 is bad');
      return batch.map((x) => x + 1);
    }, 10);
    const settled = await Promise.allSettled([1, 2, 3].map((x) => q.push(x)));
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message))).toEqual([2, '2 is bad', 4]);
    expect(calls).toEqual([[1, 2, 3], [1], [2], [3]]);
  });

  it('drain waits for everything pushed so far', async () => {
    let done = 0;
    const q = createBatchQueue<number, void>(async (batch) => {
      await new Promise((r) => setTimeout(r, 5));
      done += batch.length;
      return batch.map(() => undefined);
    }, 2);
    for (let i = 0; i < 5; i++) void q.push(i);
    await q.drain();
    expect(done).toBe(5);
  });
});
