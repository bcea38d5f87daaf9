import { describe, it, expect } from 'vitest';
import { parseDurationMs } from './duration.js';

describe('parseDurationMs', () => {
  it.each([
    ['PT7H', 7 * 3600_000],
    ['pt90m', 90 * 60_000],
    ['P1DT2H', 26 * 3600_000],
    ['7h', 7 * 3600_000],
    ['1h30m', 90 * 60_000],
    ['2d', 48 * 3600_000],
    ['45s', 45_000],
    ['', null],
    ['0h', null],
    ['P1M', null],
    ['7 hours', null],
    ['h', null],
  ])('%j → %s', (text, expected) => {
    expect(parseDurationMs(text)).toBe(expected);
  });
});
