import { describe, expect, it } from 'vitest';
import { aggregateWindows } from './aggregate.js';
import { createAggregateCounts, createPrefixSumCounts, createSampleCounts, densify } from './counts.js';
import type { DenseSeries } from './counts.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './duration.js';

const T0 = Date.UTC(2026, 0, 1);

/** 10 minutes: 100 requests each, minute i has i errors; minute 4 is a gap. */
function tenMinutes(): DenseSeries {
  const total = Array.from({ length: 10 }, (_, i) => (i === 4 ? Number.NaN : 100));
  const good = Array.from({ length: 10 }, (_, i) => (i === 4 ? 0 : 100 - i));
  return { startMs: T0, good, total };
}

describe('prefix-sum counts', () => {
  const source = createPrefixSumCounts(tenMinutes());
  it.each([
    // from minute, to minute, good, total, samples
    [0, 10, 859, 900, 9], // 41 errors: 0+1+…+9 without the gap minute 4
    [0, 1, 100, 100, 1],
    [7, 10, 276, 300, 3],
    [4, 5, 0, 0, 0], // the gap: no data, not zero traffic with no errors
    [3, 6, 192, 200, 2],
    [-100, 3, 297, 300, 3], // clipped at the start
    [8, 1000, 183, 200, 2], // clipped at the end
    [20, 30, 0, 0, 0],
    [5, 5, 0, 0, 0],
  ])('[%i, %i) → good %i, total %i, samples %i', (from, to, good, total, samples) => {
    expect(source.countsOver({ fromMs: T0 + from * MINUTE_MS, toMs: T0 + to * MINUTE_MS })).toEqual({ good, total, samples });
  });

  it('rounds partial minutes outward', () => {
    const got = source.countsOver({ fromMs: T0 + 7.5 * MINUTE_MS, toMs: T0 + 8.5 * MINUTE_MS });
    expect(got).toEqual({ good: 93 + 92, total: 200, samples: 2 });
  });
});

describe('densify', () => {
  it('adds samples of the same minute and marks gaps', () => {
    const dense = densify([
      { t: T0 + 2 * MINUTE_MS, good: 5, total: 6 },
      { t: T0, good: 1, total: 1 },
      { t: T0 + 2 * MINUTE_MS + 30_000, good: 4, total: 4 },
    ]);
    expect(dense.startMs).toBe(T0);
    expect(Array.from(dense.total)).toEqual([1, Number.NaN, 10]);
    expect(Array.from(dense.good)).toEqual([1, 0, 9]);
    expect(createSampleCounts([]).countsOver({ fromMs: 0, toMs: T0 })).toEqual({ good: 0, total: 0, samples: 0 });
  });
});

describe('aggregateWindows agrees with prefix sums', () => {
  // A month of minutes with a deterministic, uneven error pattern and some gaps.
  const n = 30 * 24 * 60;
  const total = new Float64Array(n);
  const good = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    total[i] = i % 997 === 0 ? Number.NaN : 50 + (i % 13);
    good[i] = (total[i] as number) - (i % 7 === 0 ? 3 : 0);
  }
  const series: DenseSeries = { startMs: T0, good, total };
  const end = T0 + n * MINUTE_MS;
  const windows = [5 * MINUTE_MS, 30 * MINUTE_MS, HOUR_MS, 6 * HOUR_MS, DAY_MS, 3 * DAY_MS, 30 * DAY_MS, 40 * DAY_MS];
  const prefix = createPrefixSumCounts(series);

  it.each([end, end - 17 * MINUTE_MS, end + 90 * MINUTE_MS])('for windows ending at %i', (endMs) => {
    const aggregates = aggregateWindows(series, endMs, windows);
    const fromAggregates = createAggregateCounts(endMs, aggregates);
    for (const w of windows) {
      const range = { fromMs: endMs - w, toMs: endMs };
      expect(fromAggregates.countsOver(range)).toEqual(prefix.countsOver(range));
    }
  });

  it('answers no data for a window it was not given', () => {
    const fromAggregates = createAggregateCounts(end, aggregateWindows(series, end, [HOUR_MS]));
    expect(fromAggregates.countsOver({ fromMs: end - 2 * HOUR_MS, toMs: end }).samples).toBe(0);
    expect(fromAggregates.countsOver({ fromMs: end - 2 * HOUR_MS, toMs: end - HOUR_MS }).samples).toBe(0);
  });
});
