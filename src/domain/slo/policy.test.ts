import { describe, expect, it } from 'vitest';
import { bandFor, releasePolicy } from './policy.js';
import type { BudgetBand, ReleaseKind, ServiceTier } from './policy.js';

describe('bandFor: the boundaries are exact', () => {
  it.each([
    [1, 'normal'],
    [0.500001, 'normal'],
    [0.5, 'cautious'], // "> 50 %" is normal, so 50 % itself is cautious
    [1 - 0.5, 'cautious'],
    [0.35, 'cautious'],
    [0.2, 'cautious'], // the SLO gate passes at error_budget_remaining >= 20
    [1 - 0.8, 'cautious'], // 0.19999999999999996 reads as 20 %
    [0.199999, 'protected'],
    [0.05, 'protected'],
    [0.000001, 'protected'],
    [0, 'exhausted'],
    [-0.3, 'exhausted'],
    [-13.4, 'exhausted'],
  ])('remaining %s → %s', (remaining, band) => {
    expect(bandFor(remaining)).toBe(band);
  });
});

describe('releasePolicy', () => {
  it.each<[BudgetBand, ServiceTier, ReleaseKind, boolean, string[], number, boolean, boolean, boolean]>([
    // band, tier, kind, allowed, approvals, pause factor, acceleration, canary required, postmortem
    ['normal', 1, 'feature', true, [], 1, true, false, false],
    ['normal', 3, 'config', true, [], 1, true, false, false],
    ['cautious', 1, 'feature', true, [], 2, false, true, false],
    ['cautious', 2, 'feature', true, [], 2, false, false, false],
    ['protected', 1, 'feature', false, [], 2, false, true, false],
    ['protected', 2, 'config', false, [], 2, false, false, false],
    ['protected', 1, 'fix', true, ['sre'], 2, false, true, false],
    ['protected', 2, 'rollback', true, ['sre'], 2, false, false, false],
    ['protected', 1, 'emergency', true, ['sre'], 2, false, true, false],
    ['exhausted', 1, 'feature', false, [], 2, false, true, true],
    ['exhausted', 2, 'fix', false, [], 2, false, false, true],
    ['exhausted', 1, 'emergency', true, ['vp-engineering'], 2, false, true, true],
    ['exhausted', 3, 'rollback', true, ['vp-engineering'], 2, false, false, true],
  ])('%s, tier %i, %s → allowed %s', (band, tier, kind, allowed, approvals, pause, accel, canary, postmortem) => {
    const p = releasePolicy(band, tier, kind);
    expect(p).toMatchObject({
      band,
      allowed,
      requiredApprovals: approvals,
      pauseFactor: pause,
      accelerationAllowed: accel,
      canaryRequired: canary,
      postmortemRequired: postmortem,
    });
    expect(p.reasons.length).toBeGreaterThan(0);
  });

  it('notifies SRE from the cautious band down, and says why', () => {
    expect(releasePolicy('normal', 1, 'feature').notify).toEqual([]);
    const cautious = releasePolicy('cautious', 1, 'feature');
    expect(cautious.notify).toEqual(['sre']);
    expect(cautious.reasons.join(' ')).toContain('observation periods doubled');
    expect(releasePolicy('protected', 1, 'feature').reasons.join(' ')).toContain('not a feature');
  });

  it('chains with bandFor: a tier-1 feature is denied at 19 %, a fix passes with SRE approval', () => {
    expect(releasePolicy(bandFor(0.19), 1, 'feature').allowed).toBe(false);
    expect(releasePolicy(bandFor(0.19), 1, 'fix')).toMatchObject({ allowed: true, requiredApprovals: ['sre'] });
    expect(releasePolicy(bandFor(0.2), 1, 'feature')).toMatchObject({ allowed: true, pauseFactor: 2 });
  });
});
