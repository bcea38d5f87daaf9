import { judgeStep } from './build-gate.js';
import type { CheckResult, GateResult, Verdict } from './check.js';
import { gateOf, judgeFact } from './check.js';
import type { GateThresholds } from './config.js';
import type { Evidence, StepResult, TestCounts } from './evidence.js';

/** Test counts pass when something ran and nothing failed or errored. */
export function judgeTests(counts: TestCounts): Verdict {
  const value = `${counts.total} total, ${counts.failed} failed, ${counts.errors} errors, ${counts.skipped} skipped`;
  if (counts.failed > 0 || counts.errors > 0) return { result: 'fail', value, detail: `${counts.failed + counts.errors} tests failed or errored` };
  if (counts.total - counts.skipped <= 0) return { result: 'fail', value, detail: 'no test ran: an empty report is not a pass' };
  return { result: 'pass', value, detail: 'all tests passed' };
}

function judgeStepOrTests(result: StepResult | TestCounts): Verdict {
  return 'outcome' in result ? judgeStep(result) : judgeTests(result);
}

/**
 * Gate 2 (spec "Quality Gates"): unit tests pass, line coverage at least the tier's minimum, e2e
 * green when required (high-risk files or API changed — or unknown changes), golden path green.
 */
export function qualityGate(evidence: Evidence, thresholds: GateThresholds): GateResult {
  const q = evidence.quality;
  const checks: CheckResult[] = [
    judgeFact('quality', 'unit_tests', '0 failed, 0 errors, > 0 run', q.unitTests, judgeTests),
    judgeFact('quality', 'coverage', `>= ${thresholds.coverageMinPct}%`, q.coverage, ({ linesPct }) =>
      linesPct >= thresholds.coverageMinPct
        ? { result: 'pass', value: linesPct, detail: `line coverage ${linesPct}%` }
        : { result: 'fail', value: linesPct, detail: `line coverage ${linesPct}% is below ${thresholds.coverageMinPct}%` }),
    e2eCheck(evidence),
    judgeFact('quality', 'golden_path', 'pass', q.goldenPath, judgeStep),
  ];
  return gateOf('quality', checks);
}

function e2eCheck(evidence: Evidence): CheckResult {
  const { e2e, changes } = evidence.quality;
  const required = changes.state === 'missing' || changes.value.highRiskFilesChanged || changes.value.apiChanged;
  const why = changes.state === 'missing'
    ? 'required: changed files unknown'
    : required ? `required: ${changes.value.highRiskFilesChanged ? 'high-risk files' : 'API'} changed` : 'not required';
  if (e2e.state === 'missing' && !required) {
    return { id: 'quality.e2e', gate: 'quality', check: 'e2e', result: 'pass', value: 'not required', threshold: 'pass when required', source: null, detail: 'no high-risk file or API change' };
  }
  // A supplied e2e result is judged even when not required: a red suite is still a red suite.
  const check = judgeFact('quality', 'e2e', 'pass when required', e2e, judgeStepOrTests);
  return { ...check, detail: `${check.detail} (${why})` };
}
