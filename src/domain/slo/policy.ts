/**
 * The spec's ERROR BUDGET DEPLOYMENT POLICY as two pure functions: which band a remaining budget
 * falls in, and what that band means for one release.
 *
 * Boundaries (remaining as a ratio; 0.5 = 50 %):
 *   remaining > 0.50        normal      ("> 50 %": exactly 50 % is NOT normal)
 *   0.20 ≤ remaining ≤ 0.50 cautious    (exactly 20 % is cautious: the SLO gate passes at >= 20)
 *   0 < remaining < 0.20    protected
 *   remaining ≤ 0           exhausted
 * Values within 1e-9 of a boundary count as the boundary, so 1 − 0.8 (= 0.19999999999999996)
 * is 20 % and cautious, as a person reading "20 %" expects.
 */

export const budgetBands = ['normal', 'cautious', 'protected', 'exhausted'] as const;
export type BudgetBand = (typeof budgetBands)[number];

export type ServiceTier = 1 | 2 | 3;
export type ReleaseKind = 'feature' | 'fix' | 'rollback' | 'emergency' | 'config';
export type Approver = 'sre' | 'vp-engineering';

const EPSILON = 1e-9;

/** The band for a remaining budget ratio (may be negative). NaN is rejected by the type of caller: pass a number. */
export function bandFor(remaining: number): BudgetBand {
  if (remaining <= EPSILON) return 'exhausted';
  if (remaining < 0.2 - EPSILON) return 'protected';
  if (remaining <= 0.5 + EPSILON) return 'cautious';
  return 'normal';
}

export interface ReleasePolicy {
  band: BudgetBand;
  allowed: boolean;
  /** Approvals that must be recorded before the release proceeds (empty when none). */
  requiredApprovals: Approver[];
  /** Parties told about the release; notification does not block. */
  notify: Approver[];
  /** Multiplier for canary pause/observation durations: 1 normal, 2 when budget is short. */
  pauseFactor: number;
  /** Whether canary steps may be shortened (only with a healthy budget). */
  accelerationAllowed: boolean;
  /** A canary strategy is mandatory (no direct or rolling deploy). */
  canaryRequired: boolean;
  /** A blameless postmortem record must exist or be opened. */
  postmortemRequired: boolean;
  reasons: string[];
}

/** Canary pause multiplier of a band: the spec's "extended observation periods" below 50 % remaining. */
export function pauseFactorFor(band: BudgetBand): number {
  return band === 'normal' ? 1 : 2;
}

const pct = { normal: '> 50 %', cautious: '20–50 %', protected: '< 20 %', exhausted: 'exhausted (≤ 0 %)' } as const;

/**
 * What the band allows for a release of `kind` to a service of `tier`.
 * - normal: everything allowed, pauses ×1, acceleration allowed.
 * - cautious: allowed; tier 1 must use a canary; pauses ×2; SRE notified.
 * - protected: only fix, rollback and emergency; SRE approval; tier 1 canary; pauses ×2.
 * - exhausted: freeze; only emergency and rollback, with VP Engineering approval and a postmortem.
 * Emergencies are allowed in protected too: a band that admits them when the budget is gone
 * must not deny them when some is left.
 */
export function releasePolicy(band: BudgetBand, tier: ServiceTier, kind: ReleaseKind): ReleasePolicy {
  const policy: ReleasePolicy = {
    band,
    allowed: true,
    requiredApprovals: [],
    notify: [],
    pauseFactor: pauseFactorFor(band),
    accelerationAllowed: false,
    canaryRequired: false,
    postmortemRequired: false,
    reasons: [],
  };
  const say = (text: string) => policy.reasons.push(`budget ${pct[band]}: ${text}`);

  switch (band) {
    case 'normal':
      policy.accelerationAllowed = true;
      say('normal deployments; all strategies available; canary steps may be accelerated');
      break;
    case 'cautious':
      policy.notify.push('sre');
      say('cautious deployments; observation periods doubled; SRE notified');
      if (tier === 1) {
        policy.canaryRequired = true;
        say('canary required for tier 1');
      }
      break;
    case 'protected':
      policy.notify.push('sre');
      if (kind === 'fix' || kind === 'rollback' || kind === 'emergency') {
        policy.requiredApprovals.push('sre');
        say(`protected mode; a ${kind} is allowed with SRE approval`);
      } else {
        policy.allowed = false;
        say(`protected mode; only fixes and rollbacks are deployed, not a ${kind}`);
      }
      if (tier === 1) policy.canaryRequired = true;
      break;
    case 'exhausted':
      policy.postmortemRequired = true;
      policy.notify.push('sre');
      if (kind === 'emergency' || kind === 'rollback') {
        policy.requiredApprovals.push('vp-engineering');
        say(`deployment freeze; a ${kind} is allowed with VP Engineering approval; blameless postmortem required`);
      } else {
        policy.allowed = false;
        say(`deployment freeze; only emergency fixes are deployed, not a ${kind}`);
      }
      if (tier === 1) policy.canaryRequired = true;
      break;
  }
  return policy;
}
