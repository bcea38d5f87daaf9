import { describe, it, expect } from 'vitest';
import { compileFeatureConfig } from './feature-config.js';
import type { CompiledFeatureConfig, FeatureConfig } from './feature-config.js';
import { evaluate } from './evaluate.js';
import { bucketV2 } from './fractional.js';
import { murmur3x86_32 } from './murmur3.js';

const NOW = Date.UTC(2026, 0, 5, 10, 0, 0);
const segments = new Map([
  ['beta-testers', ['beta-1', 'beta-2']],
  ['internal-users', ['staff-1']],
]);

/** The spec's example, verbatim. */
const specExample: FeatureConfig = {
  name: 'new-search-algorithm',
  rollout: { type: 'percentage', percentage: 5, sticky: true },
  targeting: {
    allowList: ['beta-testers', 'internal-users'],
    rules: [{ attribute: 'plan', operator: 'in', values: ['enterprise'] }],
  },
  metrics: {
    track: ['search_latency_p95', 'search_relevance_score'],
    successCriteria: {
      search_latency_p95: { operator: 'lt', value: 200 },
      search_relevance_score: { operator: 'gt', value: 0.85 },
    },
  },
  killSwitch: { errorThreshold: 0.05, latencyThreshold: 500 },
};

function compile(config: unknown): CompiledFeatureConfig {
  const result = compileFeatureConfig(config, segments);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  return result.value;
}

function isOn(compiled: CompiledFeatureConfig, context: Record<string, unknown>): boolean {
  const flagSet = { flags: new Map([[compiled.key, compiled.flag]]), metadata: {} };
  return evaluate(flagSet, compiled.key, 'boolean', false, context, NOW).value;
}

/** Is `user` inside a p % sticky rollout of `flag` (v2, basis points)? Computed independently. */
function inRollout(flag: string, user: string, percentage: number): boolean {
  return bucketV2(murmur3x86_32(flag + user), 10_000) < percentage * 100;
}

describe('compileFeatureConfig (the spec example)', () => {
  const compiled = compile(specExample);

  it.each<[string, Record<string, unknown>, boolean]>([
    ['allow-listed beta tester', { targetingKey: 'beta-2' }, true],
    ['allow-listed internal user', { targetingKey: 'staff-1' }, true],
    ['enterprise plan rule', { targetingKey: 'someone', plan: 'enterprise' }, true],
    ['no targeting key, no rule → off', { plan: 'free' }, false],
  ])('%s', (_name, context, expected) => {
    expect(isOn(compiled, context)).toBe(expected);
  });

  it('everyone else is on exactly when inside the sticky 5 % bucket', () => {
    let on = 0;
    for (let i = 0; i < 4000; i++) {
      const user = `user-${i}`;
      const expected = inRollout('new-search-algorithm', user, 5);
      expect(isOn(compiled, { targetingKey: user, plan: 'free' })).toBe(expected);
      if (expected) on++;
    }
    expect(on / 4000).toBeGreaterThan(0.035);
    expect(on / 4000).toBeLessThan(0.065);
  });

  it('produces a plain flagd definition with off as default and v2 fractional over [on, off]', () => {
    expect(compiled.definition).toMatchObject({
      state: 'ENABLED',
      variants: { on: true, off: false },
      defaultVariant: 'off',
      targeting: {
        if: [
          { or: [{ in: [{ var: 'targetingKey' }, ['beta-1', 'beta-2', 'staff-1']] }, { in: [{ var: 'plan' }, ['enterprise']] }] },
          'on',
          { fractional: [['on', 500], ['off', 9500]] },
        ],
      },
    });
    expect(compiled.flag.bucketingVersion).toBe('v2');
  });

  it('keeps metrics and the kill switch for the guard, thresholds also in metadata', () => {
    expect(compiled.guard).toEqual({
      track: ['search_latency_p95', 'search_relevance_score'],
      successCriteria: specExample.metrics?.successCriteria,
      killSwitch: { errorThreshold: 0.05, latencyThresholdMs: 500 },
    });
    expect(compiled.flag.metadata).toMatchObject({ killSwitchErrorThreshold: 0.05, killSwitchLatencyThresholdMs: 500, rolloutPercentage: 5 });
  });
});

describe('compileFeatureConfig variants of the form', () => {
  it.each<[string, FeatureConfig, Record<string, unknown>, boolean]>([
    ['no rollout, no targeting → on for all', { name: 'f' }, { targetingKey: 'x' }, true],
    ['targeting only → 0 % for the rest', { name: 'f', targeting: { allowList: ['beta-testers'] } }, { targetingKey: 'x' }, false],
    ['100 % → on', { name: 'f', rollout: { type: 'percentage', percentage: 100 } }, {}, true],
    ['0 % → off', { name: 'f', rollout: { type: 'percentage', percentage: 0 } }, { targetingKey: 'x' }, false],
    ['disabled → caller default', { name: 'f', enabled: false }, { targetingKey: 'x' }, false],
    ['eq rule', { name: 'f', targeting: { rules: [{ attribute: 'country', operator: 'eq', values: ['NL'] }] } }, { country: 'NL' }, true],
    ['not_in rule', { name: 'f', targeting: { rules: [{ attribute: 'country', operator: 'not_in', values: ['NL'] }] } }, { country: 'BE' }, true],
    ['gte rule', { name: 'f', targeting: { rules: [{ attribute: 'age', operator: 'gte', values: [18] }] } }, { age: 17 }, false],
    ['ends_with rule', { name: 'f', targeting: { rules: [{ attribute: 'email', operator: 'ends_with', values: ['@corp.io'] }] } }, { email: 'a@corp.io' }, true],
    ['semver rule', { name: 'f', targeting: { rules: [{ attribute: 'app.version', operator: 'semver_gte', values: ['2.1.0'] }] } }, { app: { version: '2.3.0' } }, true],
  ])('%s', (_name, config, context, expected) => {
    expect(isOn(compile(config), context)).toBe(expected);
  });

  it('sticky: false re-rolls with $flagd.timestamp in the bucketing key', () => {
    const compiled = compile({ name: 'f', rollout: { type: 'percentage', percentage: 50, sticky: false } });
    expect(compiled.definition['targeting']).toEqual({
      fractional: [{ cat: [{ var: '$flagd.flagKey' }, { var: 'targetingKey' }, { var: '$flagd.timestamp' }] }, ['on', 5000], ['off', 5000]],
    });
  });

  it.each<[string, unknown, string]>([
    ['unknown segment', { name: 'f', targeting: { allowList: ['nobody'] } }, 'targeting.allowList.0'],
    ['percentage above 100', { name: 'f', rollout: { type: 'percentage', percentage: 150 } }, 'rollout.percentage'],
    ['percentage finer than 0.01', { name: 'f', rollout: { type: 'percentage', percentage: 1.234 } }, 'rollout.percentage'],
    ['unknown rollout type', { name: 'f', rollout: { type: 'linear', percentage: 5 } }, 'rollout.type'],
    ['unknown operator', { name: 'f', targeting: { rules: [{ attribute: 'a', operator: 'like', values: ['x'] }] } }, 'targeting.rules.0.operator'],
    ['eq with two values', { name: 'f', targeting: { rules: [{ attribute: 'a', operator: 'eq', values: ['x', 'y'] }] } }, 'targeting.rules.0.values'],
    ['error threshold above 1', { name: 'f', killSwitch: { errorThreshold: 5 } }, 'killSwitch.errorThreshold'],
    ['unknown field', { name: 'f', rolout: {} }, '(config)'],
    ['bad name', { name: 'has space' }, 'name'],
  ])('rejects %s, naming the field', (_name, config, field) => {
    const result = compileFeatureConfig(config, segments);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.errors).toContainEqual(expect.objectContaining({ field }));
  });
});
