import { describe, it, expect } from 'vitest';
import { createFlagSet, withFlag, withoutFlag } from './flag-set.js';
import { parseFlagDefinition } from './parse-flag-set.js';
import { evaluate } from './evaluate.js';
import type { CompiledFlag } from './flag-model.js';

function flag(key: string, value: string): CompiledFlag {
  const result = parseFlagDefinition(key, { state: 'ENABLED', variants: { v: value }, defaultVariant: 'v' }, {});
  if (!result.flag) throw new Error('rejected');
  return result.flag;
}

describe('createFlagSet', () => {
  it('indexes flags by key, later duplicates win, and keeps set metadata', () => {
    const set = createFlagSet([flag('a', '1'), flag('b', '2'), flag('a', '3')], { env: 'prod' });
    expect([...set.flags.keys()]).toEqual(['a', 'b']);
    expect(evaluate(set, 'a', 'string', '', {}, 0)).toMatchObject({ value: '3', flagMetadata: { env: 'prod' } });
  });

  it('derives new sets without touching the original', () => {
    const base = createFlagSet([flag('a', '1')]);
    const added = withFlag(base, flag('b', '2'));
    const removed = withoutFlag(added, 'a');
    expect([...base.flags.keys()]).toEqual(['a']);
    expect([...added.flags.keys()]).toEqual(['a', 'b']);
    expect([...removed.flags.keys()]).toEqual(['b']);
    expect(withoutFlag(base, 'zzz')).toBe(base);
  });
});
