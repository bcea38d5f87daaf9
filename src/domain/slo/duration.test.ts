import { describe, expect, it } from 'vitest';
import { DAY_MS, HOUR_MS, MINUTE_MS, formatDuration, parseDuration } from './duration.js';

describe('durations', () => {
  it.each([
    ['5m', 5 * MINUTE_MS],
    ['90s', 90_000],
    ['1h', HOUR_MS],
    ['30d', 30 * DAY_MS],
    ['1w', 7 * DAY_MS],
    ['1.5h', 90 * MINUTE_MS],
    ['250ms', 250],
  ])('parses %s', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '1h30m', '5 m', '-5m', '0m', '1M', 'abc'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it.each([
    [5 * MINUTE_MS, '5m'],
    [60 * MINUTE_MS, '1h'],
    [120 * MINUTE_MS, '2h'],
    [DAY_MS, '1d'],
    [28 * DAY_MS, '28d'], // not 4w: rule names read ratio_rate28d
    [7 * DAY_MS, '7d'],
    [90_000, '90s'],
    [1_500, '1500ms'],
  ])('formats %i ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
