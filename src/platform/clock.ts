/**
 * The shell's source of time. The domain never reads a clock: it takes `now` as an argument,
 * and the shell passes `clock.now()`. Tests use a manual clock and advance it.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /** Runs `fn` once after `ms` on this clock's time; returns a cancel function. */
  setTimer(ms: number, fn: () => void): () => void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    const handle = setTimeout(fn, Math.max(0, ms));
    handle.unref?.();
    return () => clearTimeout(handle);
  },
};

export interface ManualClock extends Clock {
  /** Moves time forward, firing due timers in order of their due time. */
  advance(ms: number): void;
  set(epochMs: number): void;
}

/** A clock that only moves when told to: for tests that must not sleep. */
export function createManualClock(startMs = Date.UTC(2026, 0, 5, 10, 0, 0)): ManualClock {
  let current = startMs;
  let nextId = 0;
  const timers = new Map<number, { due: number; fn: () => void }>();
  // Fires due timers one at a time in due order, with the clock standing at each one's due time.
  const runUntil = (target: number) => {
    for (;;) {
      let earliest: [number, { due: number; fn: () => void }] | undefined;
      for (const entry of timers) {
        if (entry[1].due <= target && (!earliest || entry[1].due < earliest[1].due)) earliest = entry;
      }
      if (!earliest) break;
      timers.delete(earliest[0]);
      current = Math.max(current, earliest[1].due);
      earliest[1].fn();
    }
    current = target;
  };
  return {
    now: () => current,
    setTimer(ms, fn) {
      const id = nextId++;
      timers.set(id, { due: current + Math.max(0, ms), fn });
      return () => void timers.delete(id);
    },
    advance: (ms) => runUntil(current + ms),
    set: (epochMs) => runUntil(epochMs),
  };
}
