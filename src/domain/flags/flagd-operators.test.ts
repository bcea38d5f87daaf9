import { describe, it, expect } from 'vitest';
import { compileLogic } from './json-logic.js';
import type { JsonValue } from './json-value.js';
import { murmur3x86_32 } from './murmur3.js';
import { bucketV2 } from './fractional.js';

function run(rule: JsonValue, context: Record<string, unknown>, flagKey = 'my-flag'): unknown {
  const compiled = compileLogic(rule, { bucketingVersion: 'v2' });
  if (!compiled.ok) throw new Error(`${compiled.path}: ${compiled.message}`);
  return compiled.evaluate(context, { context, flagKey, timestamp: 1_700_000_000 });
}

describe('starts_with / ends_with', () => {
  it.each<[string, JsonValue, unknown]>([
    ['starts_with match', { starts_with: [{ var: 'id' }, 'abc'] }, true],
    ['starts_with miss', { starts_with: [{ var: 'id' }, 'xyz'] }, false],
    ['ends_with match', { ends_with: [{ var: 'id' }, 'xyz'] }, true],
    ['non-string subject → null', { starts_with: [{ var: 'num' }, 'abc'] }, null],
    ['non-string affix → null', { ends_with: [{ var: 'id' }, 5] }, null],
    ['missing subject → null', { starts_with: [{ var: 'nope' }, 'a'] }, null],
    ['one argument → null', { starts_with: ['abc'] }, null],
    ['three arguments → null', { ends_with: ['abc', 'c', 'x'] }, null],
  ])('%s', (_name, rule, expected) => {
    expect(run(rule, { id: 'abcxyz', num: 123 })).toBe(expected);
  });
});

describe('sem_ver', () => {
  it.each<[string, JsonValue, unknown]>([
    ['>= match', { sem_ver: [{ var: 'version' }, '>=', '1.2.0'] }, true],
    ['< miss', { sem_ver: [{ var: 'version' }, '<', '1.2.0'] }, false],
    ['^ major', { sem_ver: [{ var: 'version' }, '^', 'v1.0.0'] }, true],
    ['~ minor', { sem_ver: [{ var: 'version' }, '~', '1.2.9'] }, true],
    ['numeric context coerced', { sem_ver: [{ var: 'numeric' }, '>', '1.1'] }, true],
    ['invalid version → null', { sem_ver: ['not-a-version', '=', '1.0.0'] }, null],
    ['invalid target → null', { sem_ver: [{ var: 'version' }, '=', '1.0.0.0'] }, null],
    ['unknown operator → null', { sem_ver: [{ var: 'version' }, '===', '1.2.3'] }, null],
    ['two arguments → null', { sem_ver: [{ var: 'version' }, '='] }, null],
    ['missing version → null', { sem_ver: [{ var: 'nope' }, '=', '1.0.0'] }, null],
    ['computed operator and target', { sem_ver: [{ var: 'version' }, { cat: ['>', '='] }, { var: 'floor' }] }, true],
    ['computed invalid operator → null', { sem_ver: [{ var: 'version' }, { cat: ['=', '=='] }, '1.2.3'] }, null],
    ['computed invalid target → null', { sem_ver: [{ var: 'version' }, '=', { var: 'nope' }] }, null],
  ])('%s', (_name, rule, expected) => {
    expect(run(rule, { version: '1.2.3', numeric: 1.2, floor: '1.2.3' })).toBe(expected);
  });
});

describe('fractional', () => {
  const buckets: JsonValue[] = [['a', 50], ['b', 50]];
  const expectedFor = (key: string): string => (bucketV2(murmur3x86_32(key), 100) < 50 ? 'a' : 'b');

  it('without a bucketing expression, hashes $flagd.flagKey + targetingKey', () => {
    for (const user of ['u1', 'u2', 'u3', 'u4', 'u5', 'u6']) {
      expect(run({ fractional: buckets }, { targetingKey: user })).toBe(expectedFor(`my-flag${user}`));
    }
  });

  it('with a bucketing expression, hashes exactly its string value', () => {
    for (const email of ['a@x.io', 'b@x.io', 'c@x.io', 'd@x.io']) {
      expect(run({ fractional: [{ var: 'email' }, ...buckets] }, { email, targetingKey: 'ignored' })).toBe(expectedFor(email));
    }
  });

  it.each<[string, JsonValue, Record<string, unknown>, unknown]>([
    ['no targeting key and no expression → null', { fractional: buckets }, {}, null],
    ['bucketing expression evaluating to null falls back to targetingKey', { fractional: [{ var: 'nope' }, ['only', 1]] }, { targetingKey: 'k' }, 'only'],
    ['null bucketing value without targetingKey → null', { fractional: [{ var: 'nope' }, ...buckets] }, {}, null],
    ['all-zero weights → null', { fractional: [['a', 0], ['b', 0]] }, { targetingKey: 'k' }, null],
    ['negative weight clamps to zero', { fractional: [['a', -50], ['b', 100]] }, { targetingKey: 'k' }, 'b'],
    ['weight omitted defaults to 1 (single entry)', { fractional: [['solo']] }, { targetingKey: 'k' }, 'solo'],
    ['fractional weight → null', { fractional: [['a', 0.5], ['b', 1]] }, { targetingKey: 'k' }, null],
    ['string weight → null', { fractional: [['a', '50'], ['b', 50]] }, { targetingKey: 'k' }, null],
    ['bucket that is not an array → null', { fractional: ['key', 'a'] }, { targetingKey: 'k' }, null],
    ['empty bucket → null', { fractional: ['key', []] }, { targetingKey: 'k' }, null],
    ['object variant → null', { fractional: ['key', [{ a: 1, b: 2 }, 1]] }, { targetingKey: 'k' }, null],
    ['total weight above 2^31-1 → null', { fractional: ['key', ['a', 2_147_483_647], ['b', 1]] }, {}, null],
    ['computed variant name', { fractional: ['key', [{ var: 'color' }, 1]] }, { color: 'red' }, 'red'],
    ['computed weight', { fractional: ['key', ['a', { if: [{ var: 'vip' }, 0, 1] }], ['b', 1]] }, { vip: true }, 'b'],
    ['boolean variants (fractional as a condition)', { fractional: [[false, 0], [true, 1]] }, { targetingKey: 'k' }, true],
  ])('%s', (_name, rule, context, expected) => {
    expect(run(rule, context)).toBe(expected);
  });

  it('v1 and v2 are selected per compile', () => {
    const rule: JsonValue = { fractional: ['jack', ['a', 25], ['b', 25], ['c', 25], ['d', 25]] };
    const v1 = compileLogic(rule, { bucketingVersion: 'v1' });
    const v2 = compileLogic(rule, { bucketingVersion: 'v2' });
    if (!v1.ok || !v2.ok) throw new Error('compile failed');
    const scope = { context: {}, flagKey: 'f', timestamp: 0 };
    const h = murmur3x86_32('jack');
    const v1Index = Math.floor((Math.abs(h | 0) / 2_147_483_647) * 100 / 25);
    expect(v1.evaluate({}, scope)).toBe(['a', 'b', 'c', 'd'][v1Index]);
    expect(v2.evaluate({}, scope)).toBe(['a', 'b', 'c', 'd'][bucketV2(h, 100) / 25 | 0]);
  });
});
