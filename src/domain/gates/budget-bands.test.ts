import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateRelease } from './decision.js';
import { present } from './evidence.js';
import type { Evidence } from './evidence.js';
import { compilePolicy } from './policy-engine.js';
import type { ReleaseRequest } from './request.js';
import { passingEvidence } from './test-fixtures.js';

const POLICY_FILE = 'policies/release-gate.yaml';
const compiled = compilePolicy(readFileSync(path.resolve(process.cwd(), POLICY_FILE), 'utf8'), POLICY_FILE);
if (!compiled.ok) throw new Error(compiled.issues.map((i) => i.message).join('\n'));
const policy = compiled.policy;
const MONDAY_10 = Date.parse('2026-01-05T10:00:00Z');
const src = { kind: 'api' as const, ref: 'test' };

type Kind = NonNullable<ReleaseRequest['kind']>;
type Approvals = Array<'sre' | 'vp'>;

function decide(kind: Kind | undefined, remainingPct: number, approvals: Approvals = [], fastBurn = 0.5) {
  const evidence: Evidence = passingEvidence();
  evidence.slo.errorBudgetRemainingPct = present(remainingPct, src);
  evidence.slo.fastBurnRate = present(fastBurn, src);
  if (approvals.includes('sre')) evidence.approval.sre = present({ approver: 'sre-bob' }, src);
  if (approvals.includes('vp')) evidence.approval.vpEngineering = present({ approver: 'vp-carol' }, src);
  const request: ReleaseRequest = { id: 'dec-band', service: 'api', version: '2.0.1', environment: 'production', tier: '1', ...(kind ? { kind } : {}) };
  const d = evaluateRelease(request, evidence, {}, policy, MONDAY_10);
  const budget = d.checks.flatMap((g) => g.checks).find((c) => c.id === 'slo.error_budget')!;
  return { allow: d.allow, budget: budget.result, detail: budget.detail, policyAllow: d.policy.allow, violations: d.violations };
}

/**
 * The spec's budget bands decide by release kind below 20 %: a tier-1 feature is denied, a fix is
 * allowed with SRE approval (and only with it); once the budget is exhausted only a rollback goes,
 * with VP Engineering approval. Above 20 % the kind does not matter.
 */
describe('release gates follow the budget bands by kind', () => {
  it.each([
    // kind, remaining %, approvals, allowed, error_budget check, detail
    ['feature', 15, ['sre'], false, 'fail', /below 20%: budget < 20 %: protected mode; only fixes and rollbacks are deployed, not a feature/],
    [undefined, 15, ['sre'], false, 'fail', /not a feature/],
    ['fix', 15, [], false, 'fail', /a fix needs SRE approval, none recorded/],
    ['fix', 15, ['sre'], true, 'pass', /a fix is allowed in protected mode with SRE approval by sre-bob/],
    ['rollback', 0.5, ['sre'], true, 'pass', /a rollback is allowed in protected mode with SRE approval by sre-bob/],
    ['fix', -5, ['sre', 'vp'], false, 'fail', /deployment freeze; only emergency fixes are deployed, not a fix/],
    ['rollback', -5, ['sre'], false, 'fail', /a rollback needs VP Engineering approval, none recorded/],
    ['rollback', 0, ['vp'], true, 'pass', /allowed in exhausted mode with VP Engineering approval by vp-carol; a blameless postmortem is required/],
    ['feature', 35, [], true, 'pass', /^35% of the error budget remains$/],
    ['fix', 20, [], true, 'pass', /^20% of the error budget remains$/],
  ] as const)('%s at %d %% with %j: allowed %s', (kind, pct, approvals, allowed, result, detail) => {
    const d = decide(kind, pct, [...approvals]);
    expect(d.budget).toBe(result);
    expect(d.detail).toMatch(detail);
    expect(d.allow).toBe(allowed);
    expect(d.policyAllow).toBe(allowed);
  });

  it('denies the feature with the policy\'s own message too', () => {
    expect(decide('feature', 15).violations).toContain('Error budget exhausted (15% remaining)');
  });

  it('an admitted fix still has to pass the burn-rate check', () => {
    const d = decide('fix', 15, ['sre'], 20);
    expect(d.budget).toBe('pass');
    expect(d.allow).toBe(false);
    expect(d.violations.some((v) => v.startsWith('slo.fast_burn: fail'))).toBe(true);
  });
});
