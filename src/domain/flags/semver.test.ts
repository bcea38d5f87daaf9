import { describe, it, expect } from 'vitest';
import { compareSemVer, parseSemVer, semVerMatches } from './semver.js';
import type { SemVerOperator } from './semver.js';

describe('parseSemVer', () => {
  it.each<[unknown, string | null]>([
    ['1.2.3', '1.2.3'],
    ['v1.2.3', '1.2.3'],
    ['V1.2.3', '1.2.3'],
    ['1', '1.0.0'],
    ['1.2', '1.2.0'],
    [1, '1.0.0'],
    [1.2, '1.2.0'],
    ['1.0.0-alpha.1', '1.0.0-alpha.1'],
    ['1.0.0+build.5', '1.0.0'],
    ['1.0.0-rc.1+build', '1.0.0-rc.1'],
    ['2.0.0.0', null],
    ['01.0.0', null],
    ['1.0.0-01', null],
    ['1.0-alpha', null],
    ['1.0.0-', null],
    ['1.0.0-a..b', null],
    ['not-a-version', null],
    ['', null],
    [null, null],
    [true, null],
  ])('%j → %s', (input, expected) => {
    const parsed = parseSemVer(input);
    const text = parsed && `${parsed.major}.${parsed.minor}.${parsed.patch}${parsed.prerelease.length ? `-${parsed.prerelease.join('.')}` : ''}`;
    expect(text).toBe(expected);
  });
});

describe('semver precedence and operators', () => {
  const v = (text: string) => {
    const parsed = parseSemVer(text);
    if (!parsed) throw new Error(`bad version ${text}`);
    return parsed;
  };

  it.each<[string, string, number]>([
    ['1.0.0', '1.0.0', 0],
    ['1.0.0', '2.0.0', -1],
    ['1.10.0', '1.9.0', 1],
    ['1.0.0-alpha', '1.0.0', -1],
    ['1.0.0-alpha', '1.0.0-alpha.1', -1],
    ['1.0.0-alpha.1', '1.0.0-alpha.beta', -1],
    ['1.0.0-beta.2', '1.0.0-beta.11', -1],
    ['1.0.0-rc.1', '1.0.0-beta', 1],
    ['1.0.0+a', '1.0.0+b', 0],
    ['100000000000000000001.0.0', '100000000000000000000.0.0', 1],
  ])('compare(%s, %s) = %i', (a, b, expected) => {
    expect(compareSemVer(v(a), v(b))).toBe(expected);
  });

  it.each<[string, SemVerOperator, string, boolean]>([
    ['2.0.0', '=', '2.0.0', true],
    ['2.0.1', '!=', '2.0.0', true],
    ['1.9.9', '<', '2.0.0', true],
    ['2.0.0', '<=', '2.0.0', true],
    ['2.1.0', '>', '2.0.0', true],
    ['2.0.0', '>=', '2.0.1', false],
    ['3.9.1', '^', '3.0.0', true],
    ['4.0.0', '^', '3.0.0', false],
    ['3.0.7', '~', '3.0.0', true],
    ['3.1.0', '~', '3.0.0', false],
  ])('%s %s %s is %s', (a, op, b, expected) => {
    expect(semVerMatches(v(a), op, v(b))).toBe(expected);
  });
});
