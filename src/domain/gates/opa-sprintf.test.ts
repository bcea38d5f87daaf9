import { describe, it, expect } from 'vitest';
import { goFloatG, opaSprintf } from './opa-sprintf.js';

describe('opaSprintf (OPA sprintf → Go fmt)', () => {
  it.each([
    ['Quality gates failed (coverage: %d%%)', [72], 'Quality gates failed (coverage: 72%)'],
    ['Quality gates failed (coverage: %d%%)', [79.5], 'Quality gates failed (coverage: %!d(float64=79.5)%)'],
    ['%d critical CVEs detected', [3], '3 critical CVEs detected'],
    ['%d critical CVEs detected', [3n], '3 critical CVEs detected'],
    ['Error budget exhausted (%d%% remaining)', [-12.25], 'Error budget exhausted (%!d(float64=-12.25)% remaining)'],
    ['Error budget exhausted (%d%% remaining)', [0.000001], 'Error budget exhausted (%!d(float64=1e-06)% remaining)'],
    ['%d', [1e21], '%!d(float64=1e+21)'],
    ['%d', [12345678901234567000], '12345678901234567000'],
    ['%d', ['x'], '%!d(string=x)'],
    ['%s', ['x'], 'x'],
    ['%s', [5], '%!s(int=5)'],
    ['%v and %v', [5, 2.5], '5 and 2.5'],
    ['%d %d', [1], '1 %!d(MISSING)'],
    ['%d', [1, 2], '1%!(EXTRA int=2)'],
    ['100%%', [], '100%'],
  ])('sprintf(%j, %s) = %j', (format, args, expected) => {
    expect(opaSprintf(format, args)).toBe(expected);
  });
});

describe('goFloatG (Go %v of float64)', () => {
  it.each([
    [79.5, '79.5'],
    [0.0001, '0.0001'],
    [0.00001, '1e-05'],
    [999999.5, '999999.5'],
    [1234567.5, '1.2345675e+06'],
    [608863452348.1149, '6.088634523481149e+11'],
    [1e21, '1e+21'],
    [-0.5, '-0.5'],
    [1.5e-7, '1.5e-07'],
  ])('%s → %s', (value, expected) => {
    expect(goFloatG(value)).toBe(expected);
  });
});
