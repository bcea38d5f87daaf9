import { describe, it, expect } from 'vitest';
import { evaluate } from './evaluate.js';
import { parseFlagSet } from './parse-flag-set.js';
import type { CompiledFlag, FlagSet } from './flag-model.js';
import type { FlagValueType, RequestedType } from './resolution.js';

const NOW = Date.UTC(2026, 0, 5, 10, 0, 0);

function flagSetOf(input: unknown): FlagSet {
  const result = parseFlagSet(input);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.flagSet;
}

const set = flagSetOf({
  flags: {
    bool: { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'on', metadata: { owner: 'web' } },
    str: { state: 'ENABLED', variants: { a: 'A', b: 'B' }, defaultVariant: 'a' },
    int: { state: 'ENABLED', variants: { one: 1, half: 1.5 }, defaultVariant: 'one', targeting: { if: [{ var: 'half' }, 'half'] } },
    obj: { state: 'ENABLED', variants: { o: { x: 1 }, list: [1, 2] }, defaultVariant: 'o', targeting: { if: [{ var: 'list' }, 'list'] } },
    off: { state: 'DISABLED', variants: { on: true }, defaultVariant: 'on' },
    nodefault: { state: 'ENABLED', variants: { on: true }, defaultVariant: null },
    targeted: {
      state: 'ENABLED',
      variants: { a: 'A', b: 'B', t: 'T' },
      defaultVariant: 'a',
      targeting: { if: [{ '==': [{ var: 'plan' }, 'pro'] }, 'b', { var: 'pick' }] },
    },
    clock: {
      state: 'ENABLED',
      variants: { before: 'before', after: 'after' },
      defaultVariant: 'before',
      targeting: { if: [{ '>=': [{ var: '$flagd.timestamp' }, NOW / 1000] }, 'after', 'before'] },
    },
    whoami: { state: 'ENABLED', variants: { 'whoami': 'me' }, defaultVariant: null, targeting: { var: '$flagd.flagKey' } },
    broken: { state: 'ENABLED', variants: { a: 'A' }, defaultVariant: 'a', targeting: { nope: [] } },
  },
  metadata: { set: 'demo', owner: 'platform' },
});

describe('evaluate', () => {
  it.each<[string, string, RequestedType, unknown, Record<string, unknown> | undefined, Record<string, unknown>]>([
    ['static', 'bool', 'boolean', false, {}, { value: true, variant: 'on', reason: 'STATIC' }],
    ['targeting match', 'targeted', 'string', 'x', { plan: 'pro' }, { value: 'B', variant: 'b', reason: 'TARGETING_MATCH' }],
    ['targeting computes a variant name', 'targeted', 'string', 'x', { pick: 't' }, { value: 'T', variant: 't', reason: 'TARGETING_MATCH' }],
    ['targeting null → default variant', 'targeted', 'string', 'x', {}, { value: 'A', variant: 'a', reason: 'DEFAULT' }],
    ['targeting names no variant → default variant', 'targeted', 'string', 'x', { pick: 'zzz' }, { value: 'A', variant: 'a', reason: 'DEFAULT' }],
    ['targeting returns an object → default variant', 'targeted', 'string', 'x', { pick: { a: 1, b: 2 } }, { value: 'A', reason: 'DEFAULT' }],
    ['disabled → caller default', 'off', 'boolean', false, {}, { value: false, reason: 'DISABLED' }],
    ['null defaultVariant → caller default', 'nodefault', 'boolean', false, {}, { value: false, reason: 'DEFAULT' }],
    ['$flagd.timestamp is seconds from now', 'clock', 'string', 'x', {}, { value: 'after' }],
    ['$flagd.flagKey is the key', 'whoami', 'string', 'x', {}, { value: 'me', variant: 'whoami' }],
    ['context may be undefined', 'str', 'string', 'x', undefined, { value: 'A', reason: 'STATIC' }],
    ['float accepts an integer value', 'int', 'float', 0, {}, { value: 1, reason: 'DEFAULT' }],
    ['object accepts an array', 'obj', 'object', {}, { list: true }, { value: [1, 2] }],
    ['any serves a string', 'str', 'any', null, {}, { value: 'A', variant: 'a' }],
    ['any serves a number', 'int', 'any', null, { half: true }, { value: 1.5, variant: 'half' }],
  ])('%s', (_name, key, type, fallback, context, expected) => {
    expect(evaluate(set, key, type, fallback as never, context, NOW)).toMatchObject(expected);
  });

  it.each<[string, string]>([
    ['disabled', 'off'],
    ['null defaultVariant', 'nodefault'],
  ])('%s: no variant and no error code', (_name, key) => {
    const details = evaluate(set, key, 'boolean', false, {}, NOW);
    expect(details).not.toHaveProperty('variant');
    expect(details).not.toHaveProperty('errorCode');
  });

  it.each<[string, string, FlagValueType, unknown, unknown, string]>([
    ['unknown flag', 'missing', 'string', 'dflt', {}, 'FLAG_NOT_FOUND'],
    ['string flag read as boolean', 'str', 'boolean', true, {}, 'TYPE_MISMATCH'],
    ['boolean flag read as string', 'bool', 'string', 'dflt', {}, 'TYPE_MISMATCH'],
    ['1.5 read as integer', 'int', 'integer', 7, { half: true }, 'TYPE_MISMATCH'],
    ['number read as object', 'int', 'object', {}, {}, 'TYPE_MISMATCH'],
    ['rule did not compile', 'broken', 'string', 'dflt', {}, 'PARSE_ERROR'],
    ['context is an array', 'targeted', 'string', 'dflt', ['x'], 'INVALID_CONTEXT'],
  ])('%s → ERROR %s with the caller default', (_name, key, type, fallback, context, code) => {
    const details = evaluate(set, key, type, fallback as never, context as never, NOW);
    expect(details).toMatchObject({ value: fallback, reason: 'ERROR', errorCode: code });
    expect(details.variant).toBeUndefined();
    expect(details.errorMessage).toContain(key);
  });

  it('a rule that throws becomes GENERAL, never an exception', () => {
    const flag = set.flags.get('str') as CompiledFlag;
    const exploding: CompiledFlag = { ...flag, compiled: { kind: 'rule', evaluate: () => { throw new Error('boom'); } } };
    const details = evaluate({ flags: new Map([['str', exploding]]), metadata: {} }, 'str', 'string', 'dflt', {}, NOW);
    expect(details).toMatchObject({ value: 'dflt', reason: 'ERROR', errorCode: 'GENERAL' });
    expect(details.errorMessage).toContain('boom');
  });

  it('merges flag-set metadata under the flag metadata', () => {
    expect(evaluate(set, 'bool', 'boolean', false, {}, NOW).flagMetadata).toEqual({ set: 'demo', owner: 'web' });
    expect(evaluate(set, 'str', 'string', '', {}, NOW).flagMetadata).toEqual({ set: 'demo', owner: 'platform' });
    expect(evaluate(set, 'missing', 'string', '', {}, NOW).flagMetadata).toEqual({ set: 'demo', owner: 'platform' });
  });

  it('does not let the caller forge $flagd', () => {
    const details = evaluate(set, 'whoami', 'string', 'x', { $flagd: { flagKey: 'other' } }, NOW);
    expect(details.value).toBe('me');
  });
});
