import { describe, expect, it } from 'vitest';
import { defaultBurnAlerts, evaluateBurnAlerts, evaluateCondition } from './burn-alerts.js';
import type { WindowBurn } from './burn-alerts.js';
import { DAY_MS } from './duration.js';

const m = (burnRate: number): WindowBurn => ({ state: 'measured', burnRate });
const noData: WindowBurn = { state: 'no-data' };
const few: WindowBurn = { state: 'insufficient-data' };

describe('default conditions derive their factors from the period', () => {
  it.each([
    [30, [14.4, 6, 3, 1]],
    [28, [13.44, 5.6, 2.8, 0.933333333]],
    [7, [3.36, 1.4, 0.7, 0.233333333]],
  ])('%i d → %o', (days, factors) => {
    const conditions = defaultBurnAlerts(days * DAY_MS);
    expect(conditions.map((c) => c.factor)).toEqual(factors);
    expect(conditions.map((c) => [c.severity, c.longWindow, c.shortWindow])).toEqual([
      ['page', '1h', '5m'],
      ['page', '6h', '30m'],
      ['ticket', '1d', '2h'],
      ['ticket', '3d', '6h'],
    ]);
  });
});

describe('multiwindow evaluation', () => {
  const conditions = defaultBurnAlerts();
  const calm = { '5m': m(0.5), '30m': m(0.5), '1h': m(0.5), '2h': m(0.5), '6h': m(0.5), '1d': m(0.5), '3d': m(0.5) };

  it.each<[string, Record<string, WindowBurn>, string]>([
    ['all windows calm', calm, 'ok'],
    ['15× over 1h and 5m pages', { ...calm, '1h': m(15), '5m': m(15) }, 'page'],
    ['15× over 1h but recovered over 5m does not page', { ...calm, '1h': m(15), '5m': m(0.2) }, 'ok'],
    ['15× over 5m only (a blip) does not page', { ...calm, '5m': m(15) }, 'ok'],
    ['exactly 14.4× is not above the threshold', { ...calm, '1h': m(14.4), '5m': m(14.4) }, 'ok'],
    ['7× over 6h and 30m pages', { ...calm, '6h': m(7), '30m': m(7) }, 'page'],
    ['4× over 1d and 2h tickets', { ...calm, '1d': m(4), '2h': m(4) }, 'ticket'],
    ['1.5× over 3d and 6h tickets', { ...calm, '3d': m(1.5), '6h': m(1.5) }, 'ticket'],
    ['page beats ticket', { ...calm, '1h': m(20), '5m': m(20), '1d': m(4), '2h': m(4) }, 'page'],
    ['a silent 5m window is no-data, never ok', { ...calm, '5m': noData }, 'no-data'],
    ['too few requests over 5m is insufficient-data', { ...calm, '5m': few }, 'insufficient-data'],
    ['no-data outranks insufficient-data', { ...calm, '5m': few, '3d': noData }, 'no-data'],
    ['a firing ticket still fires while 5m is silent', { ...calm, '5m': noData, '1d': m(4), '2h': m(4) }, 'ticket'],
    ['a window missing from the input is no-data', { '5m': m(0), '1h': m(0) }, 'no-data'],
  ])('%s → %s', (_name, burns, state) => {
    expect(evaluateBurnAlerts(conditions, burns).state).toBe(state);
  });

  it('explains each condition with both windows and the threshold', () => {
    const result = evaluateCondition(conditions[0]!, { '1h': m(15), '5m': m(16) });
    expect(result).toMatchObject({ state: 'firing', reason: '1h: 15×, 5m: 16×; threshold 14.4×' });
  });
});
