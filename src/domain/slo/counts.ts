/**
 * Request counts over time windows. The SLO math only ever needs sums of good and total requests
 * over a window, so a store answers `countsOver` however it likes (SQL SUM, prefix sums); this file
 * gives the in-memory answers: prefix sums over a per-minute series, and fixed per-window aggregates.
 */

import { MINUTE_MS } from './duration.js';

/** Counts summed over one window. `samples` is how many minutes carried data (0 means no data). */
export interface WindowCounts {
  good: number;
  total: number;
  samples: number;
}

/** A half-open time range [fromMs, toMs). */
export interface TimeRange {
  fromMs: number;
  toMs: number;
}

/** Anything that can sum counts over a range. Must be cheap: status asks for ~9 ranges per SLO. */
export interface CountsSource {
  countsOver(range: TimeRange): WindowCounts;
}

/** One per-minute sample: `t` is the minute's start (ms since epoch). */
export interface MinuteSample {
  t: number;
  good: number;
  total: number;
}

/**
 * A dense per-minute series: index i covers [startMs + i·stepMs, startMs + (i+1)·stepMs).
 * A NaN `total` marks a minute without data (a gap), distinct from a minute with zero traffic.
 */
export interface DenseSeries {
  startMs: number;
  stepMs?: number;
  good: ArrayLike<number>;
  total: ArrayLike<number>;
}

export const emptyCounts: WindowCounts = Object.freeze({ good: 0, total: 0, samples: 0 });

/**
 * Builds a prefix-sum source from a dense series: O(n) once, then O(1) per `countsOver`.
 * Memory is three Float64 arrays of n + 1 (about 1 MB for 30 days of minutes), so a caller
 * scoring many services builds, queries and drops one source at a time.
 * Ranges are clipped to the series and rounded outward to whole steps.
 */
export function createPrefixSumCounts(series: DenseSeries): CountsSource {
  const step = series.stepMs ?? MINUTE_MS;
  const n = Math.min(series.good.length, series.total.length);
  const good = new Float64Array(n + 1);
  const total = new Float64Array(n + 1);
  const samples = new Float64Array(n + 1);
  for (let i = 0; i < n; i++) {
    const t = series.total[i] as number;
    const present = !Number.isNaN(t);
    good[i + 1] = (good[i] as number) + (present ? (series.good[i] as number) : 0);
    total[i + 1] = (total[i] as number) + (present ? t : 0);
    samples[i + 1] = (samples[i] as number) + (present ? 1 : 0);
  }
  const index = (ms: number, round: (x: number) => number) =>
    Math.min(n, Math.max(0, round((ms - series.startMs) / step)));
  return {
    countsOver({ fromMs, toMs }) {
      const a = index(fromMs, Math.floor);
      const b = index(toMs, Math.ceil);
      if (b <= a) return emptyCounts;
      return {
        good: (good[b] as number) - (good[a] as number),
        total: (total[b] as number) - (total[a] as number),
        samples: (samples[b] as number) - (samples[a] as number),
      };
    },
  };
}

/**
 * Turns sparse samples (any order, gaps allowed) into a dense series starting at the first
 * minute. Samples in the same minute add up; minutes without a sample are gaps (NaN).
 */
export function densify(samples: readonly MinuteSample[], stepMs = MINUTE_MS): DenseSeries {
  if (samples.length === 0) return { startMs: 0, stepMs, good: [], total: [] };
  let min = Infinity;
  let max = -Infinity;
  for (const s of samples) {
    min = Math.min(min, s.t);
    max = Math.max(max, s.t);
  }
  const startMs = Math.floor(min / stepMs) * stepMs;
  const n = Math.floor((max - startMs) / stepMs) + 1;
  const good = new Float64Array(n);
  const total = new Float64Array(n).fill(Number.NaN);
  for (const s of samples) {
    const i = Math.floor((s.t - startMs) / stepMs);
    total[i] = (Number.isNaN(total[i] as number) ? 0 : (total[i] as number)) + s.total;
    good[i] = (good[i] as number) + s.good;
  }
  return { startMs, stepMs, good, total };
}

/** Convenience: prefix sums straight from sparse samples. */
export function createSampleCounts(samples: readonly MinuteSample[]): CountsSource {
  return createPrefixSumCounts(densify(samples));
}

/**
 * A source that answers from precomputed per-window aggregates, keyed by window length in ms
 * and ending at `endMs` (what a store returns from one grouped SQL query). A range it was not
 * given answers with no data, never with zeros that could read as "no errors".
 */
export function createAggregateCounts(endMs: number, byWindowMs: ReadonlyMap<number, WindowCounts>): CountsSource {
  return {
    countsOver({ fromMs, toMs }) {
      if (toMs !== endMs) return emptyCounts;
      return byWindowMs.get(toMs - fromMs) ?? emptyCounts;
    },
  };
}
