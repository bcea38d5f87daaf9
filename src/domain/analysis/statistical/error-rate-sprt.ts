/**
 * Sequential test of a canary's error rate against the stable version's (Wald's SPRT on the
 * conditional binomial).
 *
 * Model. In a window, the canary serves n_c requests with error rate p_c and the stable n_s
 * with p_s. For rare errors (Poisson), given the window's total errors x, the number y that
 * came from the canary is Binomial(x, π) with
 *     π = n_c·p_c / (n_c·p_c + n_s·p_s) = n_c·θ / (n_c·θ + n_s),   θ = p_c / p_s.
 * So the unknown stable rate drops out and only the rate ratio θ matters. Hypotheses:
 *     H0: θ = θ0 = 1 + tolerance   (the canary is no worse than stable, up to a tolerance)
 *     H1: θ = k                    (the canary's error rate is k times the stable's)
 * Each window adds to the log-likelihood ratio
 *     Λ += y·ln(π1/π0) + (x − y)·ln((1 − π1)/(1 − π0)),
 * with π0, π1 computed from that window's n_c and n_s (traffic weights may change).
 * Wald's boundaries: abort (accept H1) when Λ ≥ A = ln((1 − β)/α); pass (accept H0) when
 * Λ ≤ B = ln(β/(1 − α)). The false-abort probability is then at most about α/(1 − β) ≈ α
 * (Wald's inequality; overshoot only makes it smaller). Stopping early without a decision
 * (truncation) can only lower it further, so `finalize` may pass an undecided test safely.
 */

export interface SprtConfig {
  /** Bound on the false-abort rate for a canary as good as stable. Default 0.01. */
  readonly alpha: number;
  /** Bound on missing a canary at k× the stable error rate. Default 0.05. */
  readonly beta: number;
  /** Rate ratio the test must detect. Default 2. */
  readonly k: number;
  /** Relative degradation still considered good (θ0 = 1 + tolerance). Default 0. */
  readonly tolerance: number;
}

export const DEFAULT_SPRT: SprtConfig = Object.freeze({ alpha: 0.01, beta: 0.05, k: 2, tolerance: 0 });

/** Request and error counts for one window (not cumulative). */
export interface ErrorWindow {
  readonly canaryRequests: number;
  readonly canaryErrors: number;
  readonly stableRequests: number;
  readonly stableErrors: number;
}

export type SequentialDecision = 'fail' | 'pass' | 'continue';

export interface SprtState {
  readonly llr: number;
  readonly decision: SequentialDecision;
  readonly totals: ErrorWindow;
  readonly windows: number;
}

export interface SprtBoundaries {
  /** Abort when llr >= upper. */
  readonly upper: number;
  /** Pass when llr <= lower. */
  readonly lower: number;
}

export function sprtBoundaries(config: SprtConfig = DEFAULT_SPRT): SprtBoundaries {
  return { upper: Math.log((1 - config.beta) / config.alpha), lower: Math.log(config.beta / (1 - config.alpha)) };
}

export function createSprtState(): SprtState {
  return { llr: 0, decision: 'continue', totals: { canaryRequests: 0, canaryErrors: 0, stableRequests: 0, stableErrors: 0 }, windows: 0 };
}

/** π for a rate ratio θ given the window's traffic. */
export function canaryShareOfErrors(theta: number, canaryRequests: number, stableRequests: number): number {
  return (canaryRequests * theta) / (canaryRequests * theta + stableRequests);
}

/**
 * Adds one window of counts. A decided test stays decided (the verdict is sticky). A window
 * with no canary or no stable traffic carries no information about the ratio and is skipped
 * (its counts still add to the totals).
 */
export function updateSprt(state: SprtState, window: ErrorWindow, config: SprtConfig = DEFAULT_SPRT): SprtState {
  const totals: ErrorWindow = {
    canaryRequests: state.totals.canaryRequests + window.canaryRequests,
    canaryErrors: state.totals.canaryErrors + window.canaryErrors,
    stableRequests: state.totals.stableRequests + window.stableRequests,
    stableErrors: state.totals.stableErrors + window.stableErrors,
  };
  if (state.decision !== 'continue') return { ...state, totals, windows: state.windows + 1 };
  let llr = state.llr;
  if (window.canaryRequests > 0 && window.stableRequests > 0) {
    const pi0 = canaryShareOfErrors(1 + config.tolerance, window.canaryRequests, window.stableRequests);
    const pi1 = canaryShareOfErrors(config.k, window.canaryRequests, window.stableRequests);
    llr += window.canaryErrors * Math.log(pi1 / pi0) + window.stableErrors * Math.log((1 - pi1) / (1 - pi0));
  }
  const { upper, lower } = sprtBoundaries(config);
  const decision: SequentialDecision = llr >= upper ? 'fail' : llr <= lower ? 'pass' : 'continue';
  return { llr, decision, totals, windows: state.windows + 1 };
}

/**
 * Wald's approximate average sample number (ASN): the expected number of errors (canary plus
 * stable, the test's "samples") before the SPRT decides, when the true rate ratio is θ and the
 * canary takes `canaryShare` of the traffic. Uses Wald's operating characteristic L(θ), from the
 * non-zero root h of E[exp(h·z)] = 1, and E[N] = (L·B + (1 − L)·A) / E[z]; at E[z] = 0 the
 * limit −A·B / E[z²]. Excess over the boundaries is ignored, so real tests run a little longer.
 */
export function waldAsn(theta: number, canaryShare: number, config: SprtConfig = DEFAULT_SPRT): number {
  const ratio = canaryShare / (1 - canaryShare);
  const pi0 = canaryShareOfErrors(1 + config.tolerance, ratio, 1);
  const pi1 = canaryShareOfErrors(config.k, ratio, 1);
  const pi = canaryShareOfErrors(theta, ratio, 1);
  const up = Math.log(pi1 / pi0);
  const down = Math.log((1 - pi1) / (1 - pi0));
  const { upper: a, lower: b } = sprtBoundaries(config);
  const drift = pi * up + (1 - pi) * down;
  if (Math.abs(drift) < 1e-12) return (-a * b) / (pi * up * up + (1 - pi) * down * down);
  const h = operatingRoot(pi, up, down);
  // L(θ): probability of ending at the pass boundary.
  const accept = (Math.exp(h * a) - 1) / (Math.exp(h * a) - Math.exp(h * b));
  return (accept * b + (1 - accept) * a) / drift;
}

/** Solves π·e^{h·up} + (1 − π)·e^{h·down} = 1 for h ≠ 0 (sign opposite to the drift). */
function operatingRoot(pi: number, up: number, down: number): number {
  const f = (h: number): number => pi * Math.exp(h * up) + (1 - pi) * Math.exp(h * down) - 1;
  const drift = pi * up + (1 - pi) * down;
  const sign = drift > 0 ? -1 : 1;
  let lo = sign * 1e-9;
  let hi = sign;
  while (f(hi) < 0) hi *= 2;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (f(mid) < 0) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Expected seconds for the SPRT to decide given per-second traffic and error rates: Wald's ASN
 * (in errors) divided by the errors per second both versions produce. The benchmark's bound.
 */
export function expectedSecondsToDecide(
  traffic: { readonly canaryRps: number; readonly stableRps: number; readonly canaryErrorRate: number; readonly stableErrorRate: number },
  config: SprtConfig = DEFAULT_SPRT,
): number {
  const theta = traffic.canaryErrorRate / traffic.stableErrorRate;
  const share = traffic.canaryRps / (traffic.canaryRps + traffic.stableRps);
  const errorsPerSecond = traffic.canaryRps * traffic.canaryErrorRate + traffic.stableRps * traffic.stableErrorRate;
  return waldAsn(theta, share, config) / errorsPerSecond;
}
