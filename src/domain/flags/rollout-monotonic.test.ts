/**
 * Property: raising a sticky rollout from 5 % to 50 % never moves a user from on to off.
 *
 * Why it holds for fractional v2 with buckets [on, p] then [off, T − p]:
 * a user's bucket is floor(murmur3(flagKey + targetingKey) × T / 2^32). It depends only on the
 * user's hash and the TOTAL weight T, and T stays the same at every percentage (100 here, 10 000
 * in the featureConfig compiler), so each user keeps one fixed bucket b. The user is on exactly
 * when b < p (the first range, [0, p), belongs to `on`). Raising p only widens [0, p), so every
 * user who was on stays on; new users join from the off range. (Had the weights been written so
 * that T changed with p — e.g. [on, p], [off, 100] — buckets would move and users could flip.)
 */
import { describe, it, expect } from 'vitest';
import { evaluate } from './evaluate.js';
import { parseFlagSet } from './parse-flag-set.js';
import { compileFeatureConfig } from './feature-config.js';
import type { FlagSet } from './flag-model.js';
import { createSeededRandom } from '../analysis/statistical/test-support/seeded-random.js';

const NOW = Date.UTC(2026, 0, 5, 10, 0, 0);

/** The shared seeded PRNG (mulberry32), so every run and every failing seed reproduce. */
const prng = (seed: number): (() => number) => createSeededRandom(seed).next;

function randomUsers(count: number, seed: number): string[] {
  const random = prng(seed);
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789-@.ü';
  return Array.from({ length: count }, () => {
    const length = 1 + Math.floor(random() * 24);
    return Array.from({ length }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
  });
}

function flagdSet(percentage: number): FlagSet {
  const result = parseFlagSet({
    flags: {
      rollout: {
        state: 'ENABLED',
        variants: { on: true, off: false },
        defaultVariant: 'off',
        targeting: { fractional: [['on', percentage], ['off', 100 - percentage]] },
      },
    },
  });
  if (!result.ok) throw new Error('flag set rejected');
  return result.flagSet;
}

function featureConfigSet(percentage: number): FlagSet {
  const result = compileFeatureConfig({ name: 'rollout', rollout: { type: 'percentage', percentage, sticky: true } }, new Map());
  if (!result.ok) throw new Error('featureConfig rejected');
  return { flags: new Map([['rollout', result.value.flag]]), metadata: {} };
}

const percentages = Array.from({ length: 46 }, (_, i) => 5 + i); // 5, 6, …, 50

describe.each([
  ['flagd fractional [on, p], [off, 100 − p]', flagdSet],
  ['featureConfig rollout (basis points)', featureConfigSet],
])('%s', (_name, build) => {
  it.each([1, 2, 3])('never moves a user from on to off while raising 5 % → 50 % (seed %i)', (seed) => {
    const users = randomUsers(2000, seed);
    const wasOn = new Set<string>();
    let previousOn = 0;
    for (const percentage of percentages) {
      const flagSet = build(percentage);
      let onNow = 0;
      const flipped: string[] = [];
      for (const user of users) {
        const on = evaluate(flagSet, 'rollout', 'boolean', false, { targetingKey: user }, NOW).value;
        if (on) {
          wasOn.add(user);
          onNow++;
        } else if (wasOn.has(user)) {
          flipped.push(user);
        }
      }
      expect(flipped, `users moved from on to off at ${percentage} %`).toEqual([]);
      expect(onNow).toBeGreaterThanOrEqual(previousOn);
      previousOn = onNow;
    }
    // Guard against a vacuous pass: exposure really went from about 5 % to about 50 %.
    expect(wasOn.size / users.length).toBeGreaterThan(0.45);
    expect(wasOn.size / users.length).toBeLessThan(0.55);
  });
});
