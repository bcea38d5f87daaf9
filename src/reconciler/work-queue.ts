import type { Clock } from '../platform/clock.js';

/**
 * Reconciles one key (a rollout, an analysis run…): loads, observes, decides, applies, saves, and
 * says when it wants to run again (milliseconds), or undefined for "only when poked".
 */
export type ReconcileFn = (key: string) => Promise<number | undefined>;

export interface WorkQueue {
  /** Asks for `key` to be reconciled after `delayMs` (0: now). An earlier request wins over a later one. */
  enqueue(key: string, delayMs?: number): void;
  /** Keys waiting or running. */
  size(): number;
  /** Stops timers and waits for running reconciles to finish. */
  stop(): Promise<void>;
}

/**
 * A keyed work queue on the Clock: one reconcile per key at a time, a key poked while running
 * runs again right after, and a failing reconcile is retried with capped exponential backoff.
 */
export function createWorkQueue(clock: Clock, reconcile: ReconcileFn, options: { onError?: (key: string, err: unknown) => void } = {}): WorkQueue {
  const timers = new Map<string, { due: number; cancel: () => void }>();
  const running = new Map<string, Promise<void>>();
  const rerun = new Set<string>();
  const failures = new Map<string, number>();
  let stopped = false;

  function schedule(key: string, delayMs: number) {
    if (stopped) return;
    const due = clock.now() + delayMs;
    const existing = timers.get(key);
    if (existing && existing.due <= due) return;
    existing?.cancel();
    const cancel = clock.setTimer(delayMs, () => {
      timers.delete(key);
      run(key);
    });
    timers.set(key, { due, cancel });
  }

  function run(key: string) {
    if (running.has(key)) {
      rerun.add(key);
      return;
    }
    const p = (async () => {
      try {
        const next = await reconcile(key);
        failures.delete(key);
        if (next !== undefined) schedule(key, next);
      } catch (err) {
        const n = (failures.get(key) ?? 0) + 1;
        failures.set(key, n);
        options.onError?.(key, err);
        schedule(key, Math.min(60_000, 1000 * 2 ** (n - 1)));
      } finally {
        running.delete(key);
        if (rerun.delete(key)) schedule(key, 0);
      }
    })();
    running.set(key, p);
  }

  return {
    enqueue: (key, delayMs = 0) => schedule(key, delayMs),
    size: () => new Set([...timers.keys(), ...running.keys()]).size,
    async stop() {
      stopped = true;
      for (const t of timers.values()) t.cancel();
      timers.clear();
      await Promise.all(running.values());
    },
  };
}
