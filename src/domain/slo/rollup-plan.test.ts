import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../analysis/statistical/test-support/seeded-random.js';
import { createPrefixSumCounts } from './counts.js';
import type { TimeRange, WindowCounts } from './counts.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './duration.js';
import { addCounts, mergeRanges, planRange, segmentEdges, sumSegments } from './rollup-plan.js';

const T0 = Date.UTC(2026, 0, 1);
const at = (h: number, m = 0, s = 0) => T0 + h * HOUR_MS + m * MINUTE_MS + s * 1000;
const r = (fromMs: number, toMs: number): TimeRange => ({ fromMs, toMs });

const day = (d: number, h = 0, m = 0) => T0 + d * DAY_MS + h * HOUR_MS + m * MINUTE_MS;

describe('planRange: whole days, whole hours, edge minutes', () => {
  it.each([
    ['ragged both ends', r(at(10, 17), at(13, 42)), { hours: [r(at(11), at(13))], minutes: [r(at(10, 17), at(11)), r(at(13), at(13, 42))] }],
    ['hour-aligned', r(at(10), at(13)), { hours: [r(at(10), at(13))], minutes: [] }],
    ['shorter than an hour', r(at(10, 55), at(11, 0)), { hours: [], minutes: [r(at(10, 55), at(11))] }],
    ['straddles one boundary, no whole hour', r(at(10, 30), at(11, 30)), { hours: [], minutes: [r(at(10, 30), at(11, 30))] }],
    ['rounds outward to minutes', r(at(10, 17, 30), at(12, 5, 1)), { hours: [r(at(11), at(12))], minutes: [r(at(10, 17), at(11)), r(at(12), at(12, 6))] }],
    ['empty', r(at(10), at(10)), { hours: [], minutes: [] }],
    ['days between ragged hours and minutes', r(day(0, 10, 17), day(3, 13, 42)), {
      days: r(day(1), day(3)), hours: [r(day(0, 11), day(1)), r(day(3), day(3, 13))], minutes: [r(day(0, 10, 17), day(0, 11)), r(day(3, 13), day(3, 13, 42))],
    }],
    ['a day that crosses midnight holds no whole day', r(day(0, 12, 34), day(1, 12, 34)), {
      hours: [r(day(0, 13), day(1, 12))], minutes: [r(day(0, 12, 34), day(0, 13)), r(day(1, 12), day(1, 12, 34))],
    }],
    ['day-aligned', r(day(2), day(5)), { days: r(day(2), day(5)), hours: [], minutes: [] }],
  ])('%s', (_name, range, plan) => {
    expect(planRange(range)).toEqual(plan);
  });
});

describe('segments', () => {
  it('edges are the distinct sorted ends; a range sums its segments', () => {
    const edges = segmentEdges([r(30, 60), r(0, 60), r(0, 60), r(45, 45)]);
    expect(edges).toEqual([0, 30, 60]);
    const seg = (n: number): WindowCounts => ({ good: n, total: n, samples: 1 });
    expect(sumSegments(edges, (i) => [seg(1), seg(10)][i], r(0, 60))).toEqual({ good: 11, total: 11, samples: 2 });
    expect(sumSegments(edges, (i) => [seg(1), undefined][i], r(30, 60))).toEqual({ good: 0, total: 0, samples: 0 });
    expect(sumSegments(edges, (i) => [seg(1), seg(10)][i], r(15, 60))).toEqual({ good: 0, total: 0, samples: 0 });
  });
});

describe('mergeRanges', () => {
  it.each([
    [[r(0, 10), r(5, 20), r(30, 40)], [r(0, 20), r(30, 40)]],
    [[r(30, 40), r(0, 10), r(10, 15)], [r(0, 15), r(30, 40)]],
    [[r(0, 100), r(10, 20)], [r(0, 100)]],
    [[r(5, 5)], []],
  ])('%j → %j', (ranges, merged) => {
    expect(mergeRanges(ranges)).toEqual(merged);
  });
});

/**
 * The exactness claim: day rows (sums of hours), hour rows (sums of minutes) and edge minutes give the same
 * counts as summing every minute, for the burn windows and the 30-day period at random instants.
 */
describe('days + hours + edge minutes equal the minute sum', () => {
  const random = createSeededRandom(7);
  const rand = () => random.next();
  const minutes = 40 * 24 * 60;
  const total = Array.from({ length: minutes }, () => (rand() < 0.05 ? Number.NaN : Math.floor(rand() * 1000)));
  const good = total.map((t) => (Number.isNaN(t) ? 0 : t - Math.floor(rand() * 3)));
  const flat = createPrefixSumCounts({ startMs: T0, good, total });
  const hourly = createPrefixSumCounts({
    startMs: T0, stepMs: HOUR_MS,
    good: Array.from({ length: minutes / 60 }, (_, h) => good.slice(h * 60, h * 60 + 60).reduce((a, b) => a + b, 0)),
    total: Array.from({ length: minutes / 60 }, (_, h) => total.slice(h * 60, h * 60 + 60).reduce((a, b) => a + (Number.isNaN(b) ? 0 : b), 0)),
  });
  const daily = createPrefixSumCounts({
    startMs: T0, stepMs: DAY_MS,
    good: Array.from({ length: minutes / 1440 }, (_, d) => good.slice(d * 1440, d * 1440 + 1440).reduce((a, b) => a + b, 0)),
    total: Array.from({ length: minutes / 1440 }, (_, d) => total.slice(d * 1440, d * 1440 + 1440).reduce((a, b) => a + (Number.isNaN(b) ? 0 : b), 0)),
  });
  // Hour and day samples are minute counts in the store; here compare good and total, and samples from minutes.
  const windows = [5, 30, 60, 120, 360, 1440, 3 * 1440, 30 * 1440].map((m) => m * MINUTE_MS);

  it.each(Array.from({ length: 20 }, (_, i) => i))('instant %i', () => {
    const now = T0 + 31 * DAY_MS + Math.floor(rand() * 8 * DAY_MS);
    for (const w of windows) {
      const plan = planRange(r(now - w, now));
      let sum: WindowCounts = { good: 0, total: 0, samples: 0 };
      for (const m of plan.minutes) sum = addCounts(sum, flat.countsOver(m));
      for (const h of plan.hours) sum = addCounts(sum, { ...hourly.countsOver(h), samples: flat.countsOver(h).samples });
      if (plan.days) sum = addCounts(sum, { ...daily.countsOver(plan.days), samples: flat.countsOver(plan.days).samples });
      expect(sum).toEqual(flat.countsOver(r(now - w, now)));
    }
  });
});
