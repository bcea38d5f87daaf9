import { describe, it, expect } from 'vitest';
import { parseFlagSet, parseFlagSetJson } from './parse-flag-set.js';
import { formatFlagIssue } from './flag-model.js';
import type { FlagIssue } from './flag-model.js';

const ok = { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off' };

function errorsOf(input: unknown): FlagIssue[] {
  const result = parseFlagSet(input);
  if (result.ok) throw new Error('expected the set to be rejected');
  return [...result.errors];
}

describe('parseFlagSet errors name the flag and the field', () => {
  it.each<[string, unknown, string | undefined, string]>([
    ['not an object', 'nope', undefined, '(document)'],
    ['flags missing', {}, undefined, 'flags'],
    ['flags not an object', { flags: [] }, undefined, 'flags'],
    ['$evaluators not an object', { flags: {}, $evaluators: 3 }, undefined, '$evaluators'],
    ['set metadata not scalar', { flags: {}, metadata: { a: [1] } }, undefined, 'metadata.a'],
    ['definition not an object', { flags: { f: 1 } }, 'f', '(definition)'],
    ['bad state', { flags: { f: { ...ok, state: 'ON' } } }, 'f', 'state'],
    ['no variants', { flags: { f: { ...ok, variants: {} } } }, 'f', 'variants'],
    ['defaultVariant not a variant', { flags: { f: { ...ok, defaultVariant: 'maybe' } } }, 'f', 'defaultVariant'],
    ['defaultVariant wrong type', { flags: { f: { ...ok, defaultVariant: 3 } } }, 'f', 'defaultVariant'],
    ['targeting not an object', { flags: { f: { ...ok, targeting: 'on' } } }, 'f', 'targeting'],
    ['metadata value not scalar', { flags: { f: { ...ok, metadata: { owner: { team: 'x' } } } } }, 'f', 'metadata.owner'],
    ['bad bucketing version', { flags: { f: { ...ok, bucketingVersion: 'v3' } } }, 'f', 'bucketingVersion'],
    ['empty key', { flags: { '': ok } }, '', '(key)'],
  ])('%s', (_name, input, flagKey, field) => {
    const errors = errorsOf(input);
    expect(errors).toContainEqual(expect.objectContaining({ flagKey, field }));
    expect(formatFlagIssue(errors[0] as FlagIssue)).toContain(field);
  });

  it('reports every faulty flag, not only the first', () => {
    const errors = errorsOf({ flags: { a: { ...ok, state: 'X' }, b: { ...ok, defaultVariant: 'nope' } } });
    expect(errors.map((e) => e.flagKey).sort()).toEqual(['a', 'b']);
  });

  it('turns a JSON syntax error into an issue', () => {
    const result = parseFlagSetJson('{"flags": ');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]?.message).toMatch(/not valid JSON/);
  });
});

describe('parseFlagSet accepts flagd definitions', () => {
  it('keeps null/absent defaultVariant as null, {} targeting as static, metadata as given', () => {
    const result = parseFlagSet({
      $schema: 'https://flagd.dev/schema/v0/flags.json',
      flags: {
        a: { state: 'ENABLED', variants: { x: 1 }, defaultVariant: null, targeting: {} },
        b: { state: 'DISABLED', variants: { x: 1 }, metadata: { owner: 'team', version: 2 } },
      },
      metadata: { flagSetId: 'set-1' },
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.warnings).toEqual([]);
    const a = result.flagSet.flags.get('a');
    expect(a?.defaultVariant).toBeNull();
    expect(a?.compiled.kind).toBe('static');
    expect(a?.bucketingVersion).toBe('v2');
    expect(result.flagSet.flags.get('b')?.metadata).toEqual({ owner: 'team', version: 2 });
    expect(result.flagSet.metadata).toEqual({ flagSetId: 'set-1' });
  });

  it('substitutes $ref from $evaluators, nested refs included, and keeps the resolved rule', () => {
    const result = parseFlagSet({
      flags: { f: { ...ok, targeting: { if: [{ $ref: 'outer' }, 'on', 'off'] } } },
      $evaluators: { outer: { and: [{ $ref: 'inner' }, true] }, inner: { '==': [{ var: 'plan' }, 'pro'] } },
    });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.flagSet.flags.get('f')?.targeting).toEqual({ if: [{ and: [{ '==': [{ var: 'plan' }, 'pro'] }, true] }, 'on', 'off'] });
  });

  it('keeps a flag with an uncompilable rule (PARSE_ERROR at evaluation) and warns, unless strict', () => {
    const input = { flags: { f: { ...ok, targeting: { if: [{ $ref: 'missing' }, 'on'] } } } };
    const lenient = parseFlagSet(input);
    expect(lenient.ok).toBe(true);
    if (lenient.ok) {
      expect(lenient.flagSet.flags.get('f')?.compiled.kind).toBe('invalid');
      expect(lenient.warnings).toContainEqual(expect.objectContaining({ flagKey: 'f', field: 'targeting.if[0].$ref' }));
    }
    const strict = parseFlagSet(input, { strictTargeting: true });
    expect(strict.ok).toBe(false);
  });

  it('reports a $ref cycle', () => {
    const result = parseFlagSet(
      { flags: { f: { ...ok, targeting: { $ref: 'a' } } }, $evaluators: { a: { $ref: 'b' }, b: { $ref: 'a' } } },
      { strictTargeting: true },
    );
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors[0]?.message).toMatch(/cycle: a -> b -> a/);
  });

  it('warns about unknown top-level fields', () => {
    const result = parseFlagSet({ flags: {}, flagz: {} });
    expect(result.ok && result.warnings).toEqual([expect.objectContaining({ field: 'flagz' })]);
  });

  it('honours bucketingVersion per flag and as a default', () => {
    const result = parseFlagSet({ flags: { a: ok, b: { ...ok, bucketingVersion: 'v2' } } }, { defaultBucketingVersion: 'v1' });
    expect(result.ok && result.flagSet.flags.get('a')?.bucketingVersion).toBe('v1');
    expect(result.ok && result.flagSet.flags.get('b')?.bucketingVersion).toBe('v2');
  });
});
