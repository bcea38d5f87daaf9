import { bandFor, releasePolicy } from '../slo/policy.js';
import type { Approver } from '../slo/policy.js';
import type { CheckResult, GateResult } from './check.js';
import { gateOf, judgeFact } from './check.js';
import type { GateThresholds } from './config.js';
import type { Evidence } from './evidence.js';
import { usableValue } from './evidence.js';
import type { ReleaseRequest } from './request.js';

/** How the budget policy treats a release below the minimum budget: admitted (with its approvals) or not, and why. */
export interface BudgetAdmission {
  admitted: boolean;
  detail: string;
}

const approverName: Record<Approver, string> = { sre: 'SRE', 'vp-engineering': 'VP Engineering' };

/**
 * The spec's budget bands applied to one release below the minimum budget (`minErrorBudgetPct`,
 * 20 % by default): under 20 % (protected) only a `fix` or `rollback` may go, with an SRE
 * approval; at 0 % or below (exhausted) only a `rollback`, with VP Engineering approval (and a
 * postmortem). A release without a kind is judged as a feature. Undefined when the budget is
 * at or above the minimum, or not known (those are judged by the check itself).
 */
export function budgetAdmission(evidence: Evidence, thresholds: GateThresholds, kind: ReleaseRequest['kind']): BudgetAdmission | undefined {
  const pct = usableValue(evidence.slo.errorBudgetRemainingPct);
  if (pct === undefined || pct >= thresholds.minErrorBudgetPct) return undefined;
  const band = bandFor(pct / 100);
  const below = `${pct}% of the error budget remains, below ${thresholds.minErrorBudgetPct}%`;
  // A stricter configured minimum than the bands' 20 %: the bands admit nothing extra there.
  if (band === 'normal' || band === 'cautious') return { admitted: false, detail: below };
  const policy = releasePolicy(band, 1, kind ?? 'feature');
  if (!policy.allowed) return { admitted: false, detail: `${below}: ${policy.reasons.join('; ')}` };
  const facts = { sre: evidence.approval.sre, 'vp-engineering': evidence.approval.vpEngineering };
  const given = policy.requiredApprovals.map((a) => ({ a, value: facts[a] && usableValue(facts[a]) }));
  const lacking = given.filter((g) => !g.value).map((g) => approverName[g.a]);
  if (lacking.length > 0) return { admitted: false, detail: `${below}: a ${kind} needs ${lacking.join(' and ')} approval, none recorded` };
  const by = given.map((g) => `${approverName[g.a]} approval by ${g.value!.approver}`).join(', ');
  return { admitted: true, detail: `${below}: a ${kind} is allowed in ${band} mode with ${by}${policy.postmortemRequired ? '; a blameless postmortem is required' : ''}` };
}

/**
 * Gate 4 (spec "SLO Gates"): error budget remaining at least the minimum — or, below it, a release
 * the budget bands admit (`budgetAdmission`: a fix or rollback with its approvals) — fast burn
 * below its threshold, no active P1 incident, fewer rollbacks in 24 h than the block threshold.
 */
export function sloGate(evidence: Evidence, thresholds: GateThresholds, kind?: ReleaseRequest['kind']): GateResult {
  const s = evidence.slo;
  const admission = budgetAdmission(evidence, thresholds, kind);
  const checks: CheckResult[] = [
    judgeFact('slo', 'error_budget', `>= ${thresholds.minErrorBudgetPct}%`, s.errorBudgetRemainingPct, (pct) =>
      pct >= thresholds.minErrorBudgetPct
        ? { result: 'pass', value: pct, detail: `${pct}% of the error budget remains` }
        : { result: admission?.admitted ? 'pass' : 'fail', value: pct, detail: admission?.detail ?? `${pct}% of the error budget remains, below ${thresholds.minErrorBudgetPct}%` }),
    judgeFact('slo', 'fast_burn', `< ${thresholds.fastBurnMax}`, s.fastBurnRate, (rate) =>
      rate < thresholds.fastBurnMax
        ? { result: 'pass', value: rate, detail: `burn rate ${rate}x` }
        : { result: 'fail', value: rate, detail: `burn rate ${rate}x is at or above ${thresholds.fastBurnMax}x` }),
    judgeFact('slo', 'active_p1', `<= ${thresholds.maxActiveP1}`, s.activeP1Incidents, (p1) =>
      p1.count <= thresholds.maxActiveP1
        ? { result: 'pass', value: p1.count, detail: 'no active P1 incident' }
        : { result: 'fail', value: p1.count, detail: `${p1.count} active P1 incidents${p1.ids.length ? `: ${p1.ids.join(', ')}` : ''}` }),
    judgeFact('slo', 'rollbacks_24h', `< ${thresholds.rollbacks24hBlockAt}`, s.rollbacksLast24h, ({ count }) =>
      count < thresholds.rollbacks24hBlockAt
        ? { result: 'pass', value: count, detail: `${count} rollbacks in the last 24 h` }
        : { result: 'fail', value: count, detail: `${count} rollbacks in the last 24 h (blocks at ${thresholds.rollbacks24hBlockAt})` }),
  ];
  return gateOf('slo', checks);
}
