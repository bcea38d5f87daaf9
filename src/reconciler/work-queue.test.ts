import { describe, expect, it } from 'vitest';
import { createManualClock } from '../platform/clock.js';
import { createWorkQueue } from './work-queue.js';

const settle = () => new Promise((r) => setImmediate(r));

describe('work queue', () => {
  it('runs a key when due and again when the reconcile asks', async () => {
    const clock = createManualClock(0);
    const runs: number[] = [];
    const q = createWorkQueue(clock, async () => {
      runs.push(clock.now());
      return runs.length < 3 ? 1000 : undefined;
    });
    q.enqueue('a', 500);
    clock.advance(499);
    await settle();
    expect(runs).toEqual([]);
    clock.advance(1);
    await settle();
    clock.advance(1000);
    await settle();
    clock.advance(1000);
    await settle();
    clock.advance(5000);
    await settle();
    expect(runs).toEqual([500, 1500, 2500]);
    await q.stop();
  });

  it('keeps the earlier of two requests for one key', async () => {
    const clock = createManualClock(0);
    const runs: number[] = [];
    const q = createWorkQueue(clock, async () => {
      runs.push(clock.now());
      return undefined;
    });
    q.enqueue('a', 1000);
    q.enqueue('a', 200);
    q.enqueue('a', 5000);
    clock.advance(200);
    await settle();
    clock.advance(10_000);
    await settle();
    expect(runs).toEqual([200]);
    await q.stop();
  });

  it('backs off after failures and reports them', async () => {
    const clock = createManualClock(0);
    const runs: number[] = [];
    const errors: string[] = [];
    const q = createWorkQueue(clock, async () => {
      runs.push(clock.now());
      throw new Error('boom');
    }, { onError: (k, e) => errors.push(`${k}:${(e as Error).message}`) });
    q.enqueue('a');
    for (let i = 0; i < 8; i++) {
      clock.advance(0);
      await settle();
      clock.advance(1000);
      await settle();
    }
    // 0, then retries after 1 s, 2 s, 4 s …
    expect(runs.slice(0, 4)).toEqual([0, 1000, 3000, 7000]);
    expect(errors[0]).toBe('a:boom');
    await q.stop();
  });

  it('runs a key poked during its reconcile once more afterwards, never twice at once', async () => {
    const clock = createManualClock(0);
    let concurrent = 0;
    let maxConcurrent = 0;
    let count = 0;
    let release!: () => void;
    const q = createWorkQueue(clock, async () => {
      concurrent++;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      count++;
      if (count === 1) await new Promise<void>((r) => (release = r));
      concurrent--;
      return undefined;
    });
    q.enqueue('a');
    clock.advance(0);
    await settle();
    q.enqueue('a');
    clock.advance(0);
    await settle();
    release();
    await settle();
    clock.advance(0);
    await settle();
    expect(count).toBe(2);
    expect(maxConcurrent).toBe(1);
    await q.stop();
  });
});
