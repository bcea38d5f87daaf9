import type { CheckResult, Verdict } from './check.js';
import { gateOf, judgeFact } from './check.js';
import type { GateResult } from './check.js';
import type { Evidence, StepResult } from './evidence.js';

/** Judges a step: it fails on a failing exit code or on any counted error. */
export function judgeStep(step: StepResult): Verdict {
  const errors = step.errorCount ?? 0;
  const value = step.errorCount !== undefined ? `${step.outcome} (${errors} errors)` : step.outcome;
  if (step.outcome !== 'pass') return { result: 'fail', value, detail: errors > 0 ? `step failed with ${errors} errors` : 'step failed' };
  if (errors > 0) return { result: 'fail', value, detail: `exit code passed but the report counts ${errors} errors` };
  return { result: 'pass', value, detail: 'step passed' };
}

/** Gate 1 (spec "Build Gates"): typecheck, compile, lint, format — each must pass. */
export function buildGate(evidence: Evidence): GateResult {
  const b = evidence.build;
  const checks: CheckResult[] = [
    judgeFact('build', 'typecheck', 'pass, 0 errors', b.typecheck, judgeStep),
    judgeFact('build', 'compile', 'pass', b.compile, judgeStep),
    judgeFact('build', 'lint', 'pass, 0 errors', b.lint, judgeStep),
    judgeFact('build', 'format', 'pass', b.format, judgeStep),
  ];
  return gateOf('build', checks);
}
