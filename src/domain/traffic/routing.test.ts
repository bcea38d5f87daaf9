import { describe, expect, it } from 'vitest';
import { compileHeaderMatch, matchesValue } from './header-match.js';
import { chooseRole, cookieValue, defaultRouting, shouldMirror, stickyBucket } from './routing.js';
import { percentToBasisPoints, resetRouting, withHeaderRoute, withMirror, withWeight } from './routing-update.js';

const noHeaders = () => undefined;
const headers = (h: Record<string, string>) => (name: string) => h[name];

describe('percentToBasisPoints', () => {
  it.each([
    [0, 0], [10, 1000], [0.01, 1], [12.34, 1234], [100, 10000], [33.33, 3333],
  ])('%s %% is %s basis points', (percent, bp) => {
    expect(percentToBasisPoints(percent)).toEqual({ ok: true, value: bp });
  });
  it.each([[-1], [100.01], [0.005], [Number.NaN], [Infinity]])('rejects %s', (percent) => {
    expect(percentToBasisPoints(percent).ok).toBe(false);
  });
});

describe('header matching (Argo headerValue)', () => {
  it.each([
    [{ exact: 'beta' }, 'beta', true], [{ exact: 'beta' }, 'beta2', false], [{ exact: 'beta' }, undefined, false],
    [{ prefix: 'be' }, 'beta', true], [{ prefix: 'be' }, 'alpha', false],
    [{ regex: '^(ios|android)-\\d+$' }, 'ios-17', true], [{ regex: '^(ios|android)-\\d+$' }, 'web-1', false],
  ])('%j against %s → %s', (headerValue, actual, expected) => {
    const m = compileHeaderMatch({ headerName: 'X-Client', headerValue }, 'm');
    if (!m.ok) throw new Error(m.message);
    expect(m.value.header).toBe('x-client');
    expect(matchesValue(m.value, actual)).toBe(expected);
  });
  it.each([
    [{ headerName: 'x', headerValue: {} }, 'exactly one'],
    [{ headerName: 'x', headerValue: { exact: 'a', prefix: 'b' } }, 'exactly one'],
    [{ headerName: 'bad name', headerValue: { exact: 'a' } }, 'headerName'],
    [{ headerName: 'x', headerValue: { regex: '(' } }, 'regex'],
  ])('rejects %j naming %s', (spec, word) => {
    const r = compileHeaderMatch(spec, 'match[0]');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(word);
  });
});

describe('chooseRole', () => {
  const at = (percent: number) => {
    const r = withWeight(defaultRouting, percent);
    if (!r.ok) throw new Error(r.message);
    return r.value;
  };
  it.each([
    [10, 999, 'canary'], [10, 1000, 'stable'], [0, 0, 'stable'], [100, 9999, 'canary'], [0.01, 0, 'canary'], [0.01, 1, 'stable'],
  ])('weight %s %% with random bucket %s → %s', (percent, bucket, role) => {
    expect(chooseRole(at(percent), noHeaders, -1, bucket)).toBe(role);
  });

  it('a sticky bucket overrides the random one', () => {
    expect(chooseRole(at(50), noHeaders, 4999, 9999)).toBe('canary');
    expect(chooseRole(at(50), noHeaders, 5000, 0)).toBe('stable');
  });

  it('a matching header route sends to canary at weight 0; a non-matching one does not', () => {
    const r = withHeaderRoute(at(0), { name: 'beta', match: [{ headerName: 'x-beta', headerValue: { exact: 'yes' } }, { headerName: 'x-region', headerValue: { prefix: 'eu-' } }] });
    if (!r.ok) throw new Error(r.message);
    expect(chooseRole(r.value, headers({ 'x-beta': 'yes', 'x-region': 'eu-west' }), -1, 9999)).toBe('canary');
    expect(chooseRole(r.value, headers({ 'x-beta': 'yes' }), -1, 9999)).toBe('stable');
    const removed = withHeaderRoute(r.value, { name: 'beta' });
    if (!removed.ok) throw new Error(removed.message);
    expect(removed.value.headerRoutes).toHaveLength(0);
  });

  it('a user in canary stays there while the weight only grows', () => {
    for (let u = 0; u < 2000; u++) {
      const b = stickyBucket(`user-${u}`);
      let wasCanary = false;
      for (const w of [1, 5, 10, 25, 50, 100]) {
        const role = chooseRole(at(w), noHeaders, b, 0);
        if (wasCanary) expect(role).toBe('canary');
        wasCanary = role === 'canary';
      }
    }
  });

  it('sticky buckets spread users evenly', () => {
    let under1000 = 0;
    for (let u = 0; u < 20000; u++) if (stickyBucket(`u${u}`) < 1000) under1000++;
    expect(under1000 / 20000).toBeGreaterThan(0.09);
    expect(under1000 / 20000).toBeLessThan(0.11);
  });
});

describe('mirror and reset', () => {
  it('mirrors only the configured share of matching requests', () => {
    const r = withMirror(defaultRouting, { name: 'shadow', percentage: 25, match: [{ headerName: 'x-m', headerValue: { exact: '1' } }] });
    if (!r.ok) throw new Error(r.message);
    expect(shouldMirror(r.value, headers({ 'x-m': '1' }), 2499)).toBe(true);
    expect(shouldMirror(r.value, headers({ 'x-m': '1' }), 2500)).toBe(false);
    expect(shouldMirror(r.value, noHeaders, 0)).toBe(false);
    expect(shouldMirror(defaultRouting, noHeaders, 0)).toBe(false);
  });
  it('reset returns every request to stable and drops routes', () => {
    const w = withWeight(defaultRouting, 40);
    if (!w.ok) throw new Error(w.message);
    const reset = resetRouting(w.value);
    expect(reset.canaryWeight).toBe(0);
    expect(Object.isFrozen(reset)).toBe(true);
    expect(w.value.canaryWeight).toBe(4000);
  });
});

describe('cookieValue', () => {
  it.each([
    ['a=1; uid=abc; b=2', 'uid', 'abc'], ['uid=abc', 'uid', 'abc'], ['xuid=1; uid=2', 'uid', '2'], ['a=1', 'uid', undefined], [undefined, 'uid', undefined], ['uid=', 'uid', ''],
  ])('%s has %s=%s', (header, name, value) => {
    expect(cookieValue(header, name)).toBe(value);
  });
});
