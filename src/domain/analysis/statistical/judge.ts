import { DEFAULT_SPRT, sprtBoundaries } from './error-rate-sprt.js';
import type { ErrorWindow, SprtConfig, SprtState } from './error-rate-sprt.js';
import { DEFAULT_LATENCY_TEST, judgeLatency } from './mann-whitney.js';
import type { LatencyTestConfig, LatencyVerdict } from './mann-whitney.js';

/** Verdict of the statistical judge: the analysis phases map as fail→Failed, pass→Successful, continue→Running, inconclusive→Inconclusive. */
export type JudgeDecision = 'fail' | 'pass' | 'continue' | 'inconclusive';

export interface ErrorRateVerdict {
  readonly decision: 'fail' | 'pass' | 'continue';
  readonly statistic: { readonly llr: number };
  readonly boundary: { readonly upper: number; readonly lower: number; readonly alpha: number; readonly beta: number; readonly k: number; readonly tolerance: number };
  readonly samples: ErrorWindow;
  readonly message: string;
}

export interface CanaryVerdict {
  readonly decision: JudgeDecision;
  readonly errorRate?: ErrorRateVerdict;
  readonly latency?: LatencyVerdict;
  readonly message: string;
}

export interface JudgeConfig {
  readonly errorRate: SprtConfig;
  readonly latency: LatencyTestConfig;
}

export const DEFAULT_JUDGE: JudgeConfig = Object.freeze({ errorRate: DEFAULT_SPRT, latency: DEFAULT_LATENCY_TEST });

/** Explains an SPRT state as a verdict carrying the statistic, the samples and the boundaries. */
export function errorRateVerdict(state: SprtState, config: SprtConfig = DEFAULT_SPRT, final = false): ErrorRateVerdict {
  const { upper, lower } = sprtBoundaries(config);
  // Truncating an undecided SPRT at the end of the analysis only lowers its false-abort rate.
  const decision = state.decision === 'continue' && final ? 'pass' : state.decision;
  const t = state.totals;
  const rate = (e: number, n: number): string => (n > 0 ? `${((100 * e) / n).toFixed(2)}%` : 'n/a');
  const counts = `canary ${t.canaryErrors}/${t.canaryRequests} (${rate(t.canaryErrors, t.canaryRequests)}) vs stable ${t.stableErrors}/${t.stableRequests} (${rate(t.stableErrors, t.stableRequests)})`;
  const where = `log-likelihood ratio ${state.llr.toFixed(2)}, abort at ≥ ${upper.toFixed(2)}, pass at ≤ ${lower.toFixed(2)}`;
  const what = decision === 'fail'
    ? `canary error rate is ${config.k}× stable's or worse`
    : decision === 'pass'
      ? state.decision === 'pass' ? 'canary error rate is no worse than stable\'s' : 'no evidence the canary is worse when the analysis ended'
      : 'not decided yet';
  return {
    decision,
    statistic: { llr: state.llr },
    boundary: { upper, lower, alpha: config.alpha, beta: config.beta, k: config.k, tolerance: config.tolerance },
    samples: t,
    message: `error rate: ${what}; ${where}; ${counts}`,
  };
}

/**
 * Combines the error-rate SPRT and the latency test: any fail fails; then any continue or
 * inconclusive holds the decision; pass only when every judged metric passes. A metric that
 * was not supplied is not judged; with neither supplied the verdict is inconclusive (no data is
 * never a pass).
 */
export function judgeCanary(
  input: { readonly errorRate?: SprtState; readonly latency?: { readonly canary: readonly number[]; readonly stable: readonly number[] } },
  config: JudgeConfig = DEFAULT_JUDGE,
  final = false,
): CanaryVerdict {
  const errorRate = input.errorRate ? errorRateVerdict(input.errorRate, config.errorRate, final) : undefined;
  const latency = input.latency ? judgeLatency(input.latency.canary, input.latency.stable, config.latency) : undefined;
  const decisions = [errorRate?.decision, latency?.decision].filter((d): d is JudgeDecision => d !== undefined);
  const decision: JudgeDecision = decisions.length === 0
    ? 'inconclusive'
    : decisions.includes('fail') ? 'fail'
      : decisions.includes('continue') ? 'continue'
        : decisions.includes('inconclusive') ? 'inconclusive' : 'pass';
  const parts = [errorRate?.message, latency?.message].filter((m): m is string => m !== undefined);
  return { decision, ...(errorRate ? { errorRate } : {}), ...(latency ? { latency } : {}), message: parts.length > 0 ? parts.join('; ') : 'no canary data to judge' };
}

