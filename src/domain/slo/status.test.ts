import { describe, expect, it } from 'vitest';
import { aggregateWindows } from './aggregate.js';
import { createAggregateCounts, createPrefixSumCounts } from './counts.js';
import type { CountsSource, DenseSeries } from './counts.js';
import { DAY_MS, HOUR_MS, MINUTE_MS, parseDuration } from './duration.js';
import { computeStatus } from './status.js';
import type { SloDefinition } from './types.js';

const NOW = Date.UTC(2026, 2, 31, 12, 0); // 31 March 2026, 12:00 UTC
const api: SloDefinition = {
  service: 'api',
  name: 'availability',
  objectivePercent: 99.9,
  window: { kind: 'rolling', days: 30 },
  indicator: { kind: 'availability' },
};

/**
 * 30 days of per-minute traffic ending at NOW: `perMinute` requests, a base error ratio,
 * and an optional incident in the last `incidentMinutes` with its own error ratio.
 */
function traffic(perMinute: number, baseRatio: number, incident?: { minutes: number; ratio: number }): CountsSource {
  const n = 30 * 24 * 60;
  const total = new Float64Array(n).fill(perMinute);
  const good = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const inIncident = incident !== undefined && i >= n - incident.minutes;
    // Whole requests, as a store holds them: prefix sums over integers are exact.
    good[i] = perMinute - Math.round(perMinute * (inIncident ? incident.ratio : baseRatio));
  }
  const series: DenseSeries = { startMs: NOW - n * MINUTE_MS, good, total };
  return createPrefixSumCounts(series);
}

const burnOf = (status: ReturnType<typeof computeStatus>, window: string) => {
  const w = status.windows.find((x) => x.window === window);
  return w?.burn.state === 'measured' ? w.burn.burnRate : undefined;
};

describe('computeStatus on worked traffic', () => {
  it.each([
    // base error ratio, remaining, band, alert state
    [0, 1, 'normal', 'ok'],
    [0.0004, 0.6, 'normal', 'ok'],
    [0.0005, 0.5, 'cautious', 'ok'],
    [0.0008, 0.2, 'cautious', 'ok'],
    [0.0009, 0.1, 'protected', 'ok'],
    [0.0011, -0.1, 'exhausted', 'ticket'], // 1.1× over 3d and 6h: the slow ticket
    [0.002, -1, 'exhausted', 'ticket'], // overspent: remaining negative
    [0.004, -3, 'exhausted', 'ticket'], // 4× over 1d and 2h
    [0.007, -6, 'exhausted', 'page'], // 7× over 6h and 30m
  ])('steady error ratio %s leaves %s of the budget (%s); alerts %s', (ratio, remaining, band, alertState) => {
    const s = computeStatus(api, traffic(10_000, ratio), NOW);
    expect(s.state).toBe('measured');
    expect(s.budget).toEqual({ ratio: 0.001, minutes: 43.2 });
    expect(s.remaining).toBeCloseTo(remaining, 9);
    expect(s.band).toBe(band);
    expect(s.remainingMinutes).toBeCloseTo(remaining * 43.2, 9);
    expect(s.counts.total).toBe(10_000 * 30 * 24 * 60);
    for (const w of ['5m', '30m', '1h', '2h', '6h', '1d', '3d']) expect(burnOf(s, w)).toBeCloseTo(ratio / 0.001, 9);
    expect(s.alerts.state).toBe(alertState);
  });

  it('pages on a 1-hour incident at 2 % errors (20×) and estimates exhaustion', () => {
    const s = computeStatus(api, traffic(1000, 0, { minutes: 60, ratio: 0.02 }), NOW);
    expect(burnOf(s, '1h')).toBeCloseTo(20, 9);
    expect(burnOf(s, '5m')).toBeCloseTo(20, 9);
    expect(burnOf(s, '6h')).toBeCloseTo(20 / 6, 9);
    expect(s.alerts.state).toBe('page');
    // 60 min at 20× spent 60 × 20 / 43200 of the budget.
    expect(s.remaining).toBeCloseTo(1 - 1200 / 43200, 9);
    expect(s.exhaustion?.window).toBe('1h');
    expect(s.exhaustion?.ms).toBeCloseTo((s.remaining! * 30 * DAY_MS) / 20, 0);
  });

  it('at 14.4× with a full budget the estimate is 50 hours, not 2', () => {
    // Incident of one minute less than the 1h window keeps nearly the whole budget.
    const s = computeStatus(api, traffic(100_000, 0, { minutes: 60, ratio: 0.0144 }), NOW);
    expect(burnOf(s, '1h')).toBeCloseTo(14.4, 9);
    const fullBudgetEstimate = s.exhaustion!.ms / s.remaining!;
    expect(fullBudgetEstimate / HOUR_MS).toBeCloseTo(50, 9);
    expect(s.alerts.state).toBe('ok'); // 14.4× exactly is the threshold, not above it
  });

  it('is no-data when the store has nothing, never ok', () => {
    const s = computeStatus(api, createPrefixSumCounts({ startMs: 0, good: [], total: [] }), NOW);
    expect(s.state).toBe('no-data');
    expect(s.remaining).toBeUndefined();
    expect(s.band).toBeUndefined();
    expect(s.alerts.state).toBe('no-data');
  });

  it('is insufficient-data below the minimum request count', () => {
    const s = computeStatus(api, traffic(0.0001, 0), NOW, { minRequests: 100 });
    expect(s.counts.total).toBeCloseTo(4.32, 9); // fractional rates stand in for a trickle
    expect(s.state).toBe('insufficient-data');
    expect(s.remaining).toBeUndefined();
    expect(s.alerts.state).toBe('insufficient-data');
  });

  it('guards short windows separately: low traffic leaves the page conditions unjudged', () => {
    // 1 request per minute: 30 d has 43,200, but 5m has only 5 (< 10).
    const s = computeStatus(api, traffic(1, 0), NOW);
    expect(s.state).toBe('measured');
    expect(s.windows.find((w) => w.window === '5m')?.burn.state).toBe('insufficient-data');
    expect(s.alerts.state).toBe('insufficient-data');
  });
});

describe('any CountsSource gives the same status', () => {
  it('per-window aggregates (what a store returns) match prefix sums', () => {
    const n = 30 * 24 * 60;
    const total = new Float64Array(n).fill(1000);
    const good = total.map((t, i) => t - (i > n - 90 ? 25 : i % 11 === 0 ? 2 : 0));
    const series = { startMs: NOW - n * MINUTE_MS, good, total };
    const windows = ['5m', '30m', '1h', '2h', '6h', '1d', '3d', '30d'].map((w) => parseDuration(w) as number);
    const fromPrefix = computeStatus(api, createPrefixSumCounts(series), NOW);
    const fromAggregates = computeStatus(api, createAggregateCounts(NOW, aggregateWindows(series, NOW, windows)), NOW);
    expect(fromAggregates).toEqual(fromPrefix);
    expect(fromPrefix.alerts.state).toBe('page'); // 2.5 % errors for 90 min: 25× over 1h and 5m
  });
});

describe('calendar-month periods', () => {
  it.each([
    [Date.UTC(2026, 1, 14), 28, Date.UTC(2026, 1, 1)], // February 2026
    [Date.UTC(2026, 2, 31, 12), 31, Date.UTC(2026, 2, 1)],
    [Date.UTC(2026, 3, 1, 0, 0), 30, Date.UTC(2026, 3, 1)], // first instant of April
  ])('at %i the month has %i days and started at %i', (now, days, start) => {
    const slo: SloDefinition = { ...api, window: { kind: 'calendar-month' } };
    const s = computeStatus(slo, traffic(10, 0), now);
    expect(s.period).toEqual({ fromMs: start, toMs: now, lengthMs: days * DAY_MS });
    expect(s.budget.minutes).toBeCloseTo(days * 1.44, 9);
  });

  it('starts the month at local midnight in its time zone', () => {
    const slo: SloDefinition = { ...api, window: { kind: 'calendar-month', timeZone: 'America/New_York' } };
    const s = computeStatus(slo, traffic(10, 0), Date.UTC(2026, 2, 15));
    expect(s.period.fromMs).toBe(Date.UTC(2026, 2, 1, 5)); // EST, UTC−5
    // March 2026 in New York loses an hour to DST.
    expect(s.period.lengthMs).toBe(31 * DAY_MS - HOUR_MS);
  });
});
