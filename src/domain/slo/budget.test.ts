import { describe, expect, it } from 'vitest';
import { budgetConsumed, budgetRemaining, budgetTotal, burnFactor, burnRate, errorRatio, timeToExhaustion } from './budget.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './duration.js';
import { budgetRatio } from './types.js';

describe('budget total', () => {
  it.each([
    // objective, period days, budget ratio, minutes of full outage
    [99.9, 30, 0.001, 43.2],
    [99.5, 30, 0.005, 216], // the spec's "3.6 hours/month"
    [99.0, 30, 0.01, 432],
    [95.0, 30, 0.05, 2160],
    [99.9, 28, 0.001, 40.32],
    [99.9, 7, 0.001, 10.08],
    [99.99, 30, 0.0001, 4.32],
  ])('%s %% over %i d is a %s ratio and %s minutes', (objective, days, ratio, minutes) => {
    expect(budgetTotal(objective, days * DAY_MS)).toEqual({ ratio, minutes });
  });
});

describe('error ratio from counts', () => {
  it.each([
    [{ good: 999, total: 1000 }, 0.001],
    [{ good: 1000, total: 1000 }, 0],
    [{ good: 0, total: 50 }, 1],
    [{ good: 1003, total: 1000 }, 0], // counters scraped apart: clamped, never negative
  ])('%o → %s', (counts, expected) => {
    expect(errorRatio(counts)).toBeCloseTo(expected, 12);
  });

  it('is undefined when there were no requests (0/0 is no evidence)', () => {
    expect(errorRatio({ good: 0, total: 0 })).toBeUndefined();
  });
});

describe('burn rate, consumed and remaining', () => {
  it.each([
    // error ratio, objective, burn rate, remaining
    [0.001, 99.9, 1, 0],
    [0.0005, 99.9, 0.5, 0.5],
    [0.0144, 99.9, 14.4, -13.4],
    [0.006, 99.9, 6, -5],
    [0, 99.9, 0, 1],
    [0.0025, 99.5, 0.5, 0.5],
    [0.04, 95, 0.8, 0.2],
    [0.002, 99.9, 2, -1], // overspent twice over: remaining goes negative, not clamped
  ])('error ratio %s at %s %% burns %s× and leaves %s', (ratio, objective, burn, remaining) => {
    expect(burnRate(ratio, objective)).toBeCloseTo(burn, 9);
    expect(budgetConsumed(ratio, objective)).toBeCloseTo(burn, 9);
    expect(budgetRemaining(ratio, objective)).toBeCloseTo(remaining, 9);
  });

  it('keeps the budget ratio exact for decimal objectives', () => {
    expect(budgetRatio(99.9)).toBe(0.001);
    expect(budgetRatio(99.95)).toBe(0.0005);
  });
});

describe('time to exhaustion', () => {
  const period = 30 * DAY_MS;
  it.each([
    // burn rate, remaining, expected
    [1, 1, 30 * DAY_MS],
    [2, 1, 15 * DAY_MS],
    [6, 1, 5 * DAY_MS],
    [14.4, 1, 50 * HOUR_MS], // not "2 hours" as the spec's comment says
    [3, 1, 10 * DAY_MS],
    [14.4, 0.5, 25 * HOUR_MS],
    [2, 0.2, 3 * DAY_MS],
  ])('at %s× with %s of the budget left, a 30 d budget lasts the expected time', (burn, remaining, expected) => {
    expect(timeToExhaustion(burn, period, remaining)).toBeCloseTo(expected, 3);
  });

  it.each([
    [0, 1, Number.POSITIVE_INFINITY],
    [5, 0, 0],
    [5, -0.3, 0],
  ])('at %s× with %s left: %s', (burn, remaining, expected) => {
    expect(timeToExhaustion(burn, period, remaining)).toBe(expected);
  });

  it('makes 43.2 minutes of full outage last 43.2 minutes at 100 % errors', () => {
    const burn = burnRate(1, 99.9); // 1000×
    expect(timeToExhaustion(burn, period) / MINUTE_MS).toBeCloseTo(43.2, 9);
  });
});

describe('burn factors from the formula factor = budgetFraction × period / longWindow', () => {
  it.each([
    [0.02, 30, HOUR_MS, 14.4],
    [0.05, 30, 6 * HOUR_MS, 6],
    [0.1, 30, DAY_MS, 3],
    [0.1, 30, 3 * DAY_MS, 1],
    [0.02, 28, HOUR_MS, 13.44],
    [0.05, 28, 6 * HOUR_MS, 5.6],
    [0.02, 7, HOUR_MS, 3.36],
    [0.1, 7, 3 * DAY_MS, 0.233333333],
  ])('%s of a %i d budget in %i ms is %s×', (fraction, days, window, factor) => {
    expect(burnFactor(fraction, days * DAY_MS, window)).toBe(factor);
  });
});
