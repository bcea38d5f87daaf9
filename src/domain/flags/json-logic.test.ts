import { describe, it, expect } from 'vitest';
import { compileLogic, supportedOperators, truthy } from './json-logic.js';
import type { JsonValue } from './json-value.js';

function run(rule: JsonValue, data: unknown = {}, flagKey = 'flag-1'): unknown {
  const compiled = compileLogic(rule, { bucketingVersion: 'v2' });
  if (!compiled.ok) throw new Error(`${compiled.path}: ${compiled.message}`);
  return compiled.evaluate(data, { context: data, flagKey, timestamp: 1_700_000_000 });
}

const user = { name: 'ada', age: 36, plan: 'pro', tags: ['a', 'b'], nested: { deep: { x: 0 } }, empty: '', nothing: null };

describe('JsonLogic operators', () => {
  it.each<[string, JsonValue, unknown]>([
    ['literal', 42, 42],
    ['literal object with two keys is data', { a: 1, b: 2 }, { a: 1, b: 2 }],
    ['var simple', { var: 'name' }, 'ada'],
    ['var array form', { var: ['name'] }, 'ada'],
    ['var dotted', { var: 'nested.deep.x' }, 0],
    ['var missing → null', { var: 'nope' }, null],
    ['var default', { var: ['nope', 'dflt'] }, 'dflt'],
    ['var default not used for null value', { var: ['nothing', 'dflt'] }, null],
    ['var array index', { var: 'tags.1' }, 'b'],
    ['var empty path → whole data is returned', { '!!': { var: '' } }, true],
    ['var ignores prototype members', { var: 'constructor' }, null],
    ['var computed path', { var: { cat: ['na', 'me'] } }, 'ada'],
    ['== coerces', { '==': [1, '1'] }, true],
    ['=== does not', { '===': [1, '1'] }, false],
    ['!= coerces', { '!=': [0, ''] }, false],
    ['!== strict', { '!==': [0, ''] }, true],
    ['<', { '<': [1, 2] }, true],
    ['< between', { '<': [1, { var: 'age' }, 40] }, true],
    ['< between excludes edge', { '<': [1, 40, 40] }, false],
    ['<= between includes edge', { '<=': [1, 40, 40] }, true],
    ['>', { '>': [{ var: 'age' }, 30] }, true],
    ['>= on strings coerced', { '>=': ['10', 9] }, true],
    ['!', { '!': [[]] }, true],
    ['! scalar argument', { '!': false }, true],
    ['!! empty array is false', { '!!': [[]] }, false],
    ['and returns first falsy', { and: [1, 0, 2] }, 0],
    ['and returns last', { and: [1, 'x'] }, 'x'],
    ['or returns first truthy', { or: [0, '', 'y', 'z'] }, 'y'],
    ['or returns last', { or: [0, false] }, false],
    ['if then', { if: [true, 'a', 'b'] }, 'a'],
    ['if else', { if: [false, 'a', 'b'] }, 'b'],
    ['if chain', { if: [false, 'a', { '==': [{ var: 'plan' }, 'pro'] }, 'b', 'c'] }, 'b'],
    ['if without else → null', { if: [false, 'a'] }, null],
    ['?: alias', { '?:': [true, 1, 2] }, 1],
    ['in string', { in: ['da', { var: 'name' }] }, true],
    ['in array', { in: ['b', { var: 'tags' }] }, true],
    ['in literal list (Set)', { in: [{ var: 'plan' }, ['free', 'pro']] }, true],
    ['in literal list miss', { in: [{ var: 'plan' }, ['free']] }, false],
    ['in non-container', { in: ['a', 5] }, false],
    ['cat', { cat: ['a', 1, null, true] }, 'a1true'],
    ['substr', { substr: ['jsonlogic', 4] }, 'logic'],
    ['substr negative start', { substr: ['jsonlogic', -5] }, 'logic'],
    ['substr length', { substr: ['jsonlogic', 1, 3] }, 'son'],
    ['substr negative length', { substr: ['jsonlogic', 4, -2] }, 'log'],
    ['+ parses', { '+': [1, '2', 3.5] }, 6.5],
    ['- binary', { '-': [5, 2] }, 3],
    ['- unary', { '-': [5] }, -5],
    ['*', { '*': [2, '3', 4] }, 24],
    ['/', { '/': [7, 2] }, 3.5],
    ['%', { '%': [7, 3] }, 1],
    ['min', { min: [3, 1, 2] }, 1],
    ['max', { max: [3, 1, 2] }, 3],
    ['merge', { merge: [[1, 2], 3, [4]] }, [1, 2, 3, 4]],
    ['map', { map: [[1, 2, 3], { '*': [{ var: '' }, 2] }] }, [2, 4, 6]],
    ['map non-array', { map: [5, { var: '' }] }, []],
    ['filter', { filter: [[1, 2, 3, 4], { '%': [{ var: '' }, 2] }] }, [1, 3]],
    ['reduce', { reduce: [[1, 2, 3], { '+': [{ var: 'current' }, { var: 'accumulator' }] }, 10] }, 16],
    ['all', { all: [[1, 2], { '>': [{ var: '' }, 0] }] }, true],
    ['all of empty is false', { all: [[], { '>': [{ var: '' }, 0] }] }, false],
    ['some', { some: [[1, -1], { '<': [{ var: '' }, 0] }] }, true],
    ['none', { none: [[1, 2], { '<': [{ var: '' }, 0] }] }, true],
    ['missing', { missing: ['name', 'zip', 'empty'] }, ['zip', 'empty']],
    ['missing with array argument', { missing: [['age', 'zip']] }, ['zip']],
    ['missing_some satisfied', { missing_some: [1, ['name', 'zip']] }, []],
    ['missing_some unsatisfied', { missing_some: [2, ['name', 'zip']] }, ['zip']],
    ['arrays are evaluated element-wise', [{ var: 'name' }, 1], ['ada', 1]],
    ['$flagd.flagKey', { var: '$flagd.flagKey' }, 'flag-1'],
    ['$flagd.timestamp', { var: ['$flagd.timestamp'] }, 1_700_000_000],
    ['$flagd object', { var: '$flagd' }, { flagKey: 'flag-1', timestamp: 1_700_000_000 }],
    ['$flagd unknown property → default', { var: ['$flagd.nope', 'd'] }, 'd'],
    ['$flagd inside map scope', { map: [[1], { var: '$flagd.flagKey' }] }, ['flag-1']],
    ['missing sees $flagd', { missing: ['$flagd.flagKey', '$flagd.nope'] }, ['$flagd.nope']],
  ])('%s', (_name, rule, expected) => {
    expect(run(rule, user)).toEqual(expected);
  });

  it.each<[string, JsonValue, string]>([
    ['unknown operator', { nope: [1] }, 'targeting.nope'],
    ['unresolved $ref', { if: [{ $ref: 'x' }, 'a'] }, 'targeting.if[0].$ref'],
    ['nested unknown', { and: [true, { or: [{ bogus: 1 }] }] }, 'targeting.and[1].or[0].bogus'],
  ])('rejects %s at compile time with its path', (_name, rule, path) => {
    const compiled = compileLogic(rule, { bucketingVersion: 'v2' });
    expect(compiled.ok).toBe(false);
    if (!compiled.ok) expect(compiled.path).toBe(path);
  });

  it('short-circuits: the untaken branch is never evaluated', () => {
    // A getter counts how often `var` actually reads the property.
    let calls = 0;
    const spy = { get x() { calls++; return 1; } };
    expect(run({ or: [true, { var: 'x' }] }, spy)).toBe(true);
    expect(run({ and: [false, { var: 'x' }] }, spy)).toBe(false);
    expect(run({ if: [true, 'a', { var: 'x' }] }, spy)).toBe('a');
    expect(calls).toBe(0);
    expect(run({ var: 'x' }, spy)).toBe(1);
    expect(calls).toBe(1);
  });

  it('compiles once: evaluating does not re-read the rule', () => {
    const rule: { [k: string]: JsonValue } = { '==': [{ var: 'plan' }, 'pro'] };
    const compiled = compileLogic(rule, { bucketingVersion: 'v2' });
    if (!compiled.ok) throw new Error('compile failed');
    rule['=='] = [1, 2]; // mutate the source after compiling
    expect(compiled.evaluate(user, { context: user, flagKey: 'f', timestamp: 0 })).toBe(true);
  });

  it('lists the operators it supports, including flagd custom ones', () => {
    expect(supportedOperators).toEqual(expect.arrayContaining(['fractional', 'sem_ver', 'starts_with', 'ends_with', 'var', 'missing_some']));
  });

  it.each<[unknown, boolean]>([[[], false], [[0], true], [0, false], ['', false], ['0', true], [null, false], [{}, true]])(
    'truthy(%j) is %s',
    (value, expected) => expect(truthy(value)).toBe(expected),
  );
});
