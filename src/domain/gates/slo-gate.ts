import type { CheckResult, GateResult } from './check.js';
import { gateOf, judgeFact } from './check.js';
import type { GateThresholds } from './config.js';
import type { Evidence } from './evidence.js';

/**
 * Gate 4 (spec "SLO Gates"): error budget remaining at least the minimum, fast burn below its
 * threshold, no active P1 incident, fewer rollbacks in 24 h than the block threshold.
 */
export function sloGate(evidence: Evidence, thresholds: GateThresholds): GateResult {
  const s = evidence.slo;
  const checks: CheckResult[] = [
    judgeFact('slo', 'error_budget', `>= ${thresholds.minErrorBudgetPct}%`, s.errorBudgetRemainingPct, (pct) =>
      pct >= thresholds.minErrorBudgetPct
        ? { result: 'pass', value: pct, detail: `${pct}% of the error budget remains` }
        : { result: 'fail', value: pct, detail: `${pct}% of the error budget remains, below ${thresholds.minErrorBudgetPct}%` }),
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
