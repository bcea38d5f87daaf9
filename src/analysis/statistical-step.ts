import { errorRateVerdict, updateSprt } from '../domain/analysis/index.js';
import type { ResolvedAnalysis, SprtState } from '../domain/analysis/index.js';
import type { BuiltinMetricsSource } from '../providers/metrics/types.js';

/** Where the statistical judge reads canary and stable traffic: the built-in proxy's counters. */
export interface CanaryComparison {
  readonly source: BuiltinMetricsSource;
  readonly service: string;
  readonly canaryVersion: string;
  readonly stableVersion: string;
  /** How often the judge takes a window of counts; default 10 s. */
  readonly everyMs?: number;
}

/** The judge's durable part of a run: all finite numbers, so plain JSON. */
export interface JudgeState {
  readonly lastAt: number;
  readonly sprt: SprtState;
  readonly message: string;
}

export type JudgeStep =
  | { readonly kind: 'none' }
  | { readonly kind: 'missing'; readonly message: string }
  | { readonly kind: 'judged'; readonly judge: JudgeState; readonly failed: boolean; readonly nextAt: number };

/**
 * For `judge: statistical`: adds the canary and stable counts since the last look to the error-rate
 * SPRT (src/domain/analysis/statistical) and says whether it decided the canary is worse. The
 * threshold metrics still run; a SPRT "fail" fails the run at once, and an undecided test at the
 * end of the run counts as a pass (truncation only lowers the false-abort rate). Without a
 * CanaryComparison the judge cannot run, and the run must not quietly fall back to thresholds.
 * (The latency half of the judge needs raw latency samples, which BuiltinMetricsSource does not
 * expose; it is not applied here.)
 */
export function stepStatisticalJudge(analysis: ResolvedAnalysis, previous: JudgeState | undefined, startedAt: number, now: number, comparison: CanaryComparison | undefined): JudgeStep {
  const judge = analysis.judge;
  if (judge.type !== 'statistical') return { kind: 'none' };
  if (!comparison) return { kind: 'missing', message: 'judge: statistical needs canary and stable request counts (the built-in proxy\'s metrics source, and the canary and stable versions); none were given, so the run cannot be judged' };
  const everyMs = comparison.everyMs ?? 10_000;
  const lastAt = previous?.lastAt ?? startedAt;
  let sprt: SprtState = previous?.sprt ?? { llr: 0, decision: 'continue', totals: { canaryRequests: 0, canaryErrors: 0, stableRequests: 0, stableErrors: 0 }, windows: 0 };
  if (now > lastAt) {
    const seconds = (now - lastAt) / 1000;
    const canary = comparison.source.countsOver(comparison.service, comparison.canaryVersion, seconds, now);
    const stable = comparison.source.countsOver(comparison.service, comparison.stableVersion, seconds, now);
    sprt = updateSprt(sprt, { canaryRequests: canary.requests, canaryErrors: canary.errors, stableRequests: stable.requests, stableErrors: stable.errors }, judge.errorRate);
  }
  const verdict = errorRateVerdict(sprt, judge.errorRate);
  return { kind: 'judged', judge: { lastAt: Math.max(lastAt, now), sprt, message: verdict.message }, failed: verdict.decision === 'fail', nextAt: Math.max(lastAt, now) + everyMs };
}
