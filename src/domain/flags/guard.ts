import { type SprtConfig, type SprtState, createSprtState, updateSprt } from '../analysis/statistical/error-rate-sprt.js';

/**
 * The kill switch: judges a flag's "on" traffic (any variant but the default) against its "off"
 * traffic (the default variant) from metric reports, and says when to switch the flag off.
 *
 * Three independent triggers, any of which kills:
 * - error threshold (the spec's `errorThreshold`, 0.05): the on-path error ratio over the window
 *   is above the threshold with confidence — the Wilson lower bound at z (3.09, one-sided 0.1 %)
 *   is above it — and at least `minRequests` on-path requests were seen;
 * - on versus off: the analysis engine's sequential log-likelihood ratio (on-path error rate `k`
 *   times the off-path's, against equal), run as Page's CUSUM — the ratio is floored at 0 rather
 *   than ever accepting "no worse" — so the guard watches for the flag's whole life while its false
 *   alarms stay rare (a restarting SPRT would get a fresh α chance every few windows);
 * - latency threshold (the spec's `latencyThreshold`, 500 ms): the median of the last three
 *   reported on-path p95 latencies is above it, with `minRequests` behind them.
 * Pure: state in, state out; the caller persists it.
 */
export interface GuardConfig {
  errorThreshold: number | undefined;
  latencyThresholdMs: number | undefined;
  windowSeconds: number;
  minRequests: number;
  z: number;
  sprt: SprtConfig;
}

export const defaultGuardConfig: Omit<GuardConfig, 'errorThreshold' | 'latencyThresholdMs'> = {
  windowSeconds: 300,
  minRequests: 200,
  z: 3.09,
  // The CUSUM threshold is ln((1 − β)/α) ≈ 11.5: about one false alarm per 10^5 quiet windows.
  sprt: { alpha: 0.00001, beta: 0.05, k: 3, tolerance: 0 },
};

/** One report from an application: counts since its previous report. */
export interface GuardReport {
  at: number;
  on: { requests: number; errors: number; latencyP95Ms?: number };
  off: { requests: number; errors: number };
}

export interface GuardState {
  windows: Array<{ at: number; onRequests: number; onErrors: number; onP95?: number }>;
  sprt: SprtState;
  killed?: GuardVerdict;
}

export interface GuardVerdict {
  trigger: 'error-threshold' | 'on-vs-off' | 'latency-threshold';
  /** A sentence: value, condition, window and samples. */
  reason: string;
  value: number;
  threshold: number;
  samples: number;
  at: number;
}

export function createGuardState(): GuardState {
  return { windows: [], sprt: createSprtState() };
}

/** Wilson score interval's lower bound for `errors` in `n`. */
export function wilsonLower(errors: number, n: number, z: number): number {
  if (n === 0) return 0;
  const p = errors / n;
  const z2 = z * z;
  const centre = p + z2 / (2 * n);
  const margin = z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return Math.max(0, (centre - margin) / (1 + z2 / n));
}

const pct = (x: number) => `${(x * 100).toFixed(2)}%`;

export function observe(state: GuardState, report: GuardReport, config: GuardConfig): GuardState {
  if (state.killed) return state;
  const since = report.at - config.windowSeconds * 1000;
  const windows = [...state.windows.filter((w) => w.at > since), {
    at: report.at, onRequests: report.on.requests, onErrors: report.on.errors,
    ...(report.on.latencyP95Ms === undefined ? {} : { onP95: report.on.latencyP95Ms }),
  }];
  const updated = updateSprt(state.sprt, {
    canaryRequests: report.on.requests, canaryErrors: report.on.errors,
    stableRequests: report.off.requests, stableErrors: report.off.errors,
  }, config.sprt);
  const sprt: SprtState = updated.llr < 0 ? { ...updated, llr: 0, decision: 'continue' } : updated;
  const windowText = `over the last ${config.windowSeconds} s`;

  const onRequests = windows.reduce((s, w) => s + w.onRequests, 0);
  const onErrors = windows.reduce((s, w) => s + w.onErrors, 0);
  let killed: GuardVerdict | undefined;
  if (config.errorThreshold !== undefined && onRequests >= config.minRequests) {
    const lower = wilsonLower(onErrors, onRequests, config.z);
    if (lower > config.errorThreshold) {
      killed = {
        trigger: 'error-threshold', value: onErrors / onRequests, threshold: config.errorThreshold, samples: onRequests, at: report.at,
        reason: `on-path error ratio ${pct(onErrors / onRequests)} (lower bound ${pct(lower)}) > errorThreshold ${pct(config.errorThreshold)} ${windowText}, ${onRequests} requests`,
      };
    }
  }
  if (!killed && sprt.decision === 'fail') {
    const t = sprt.totals;
    const onRate = t.canaryRequests ? t.canaryErrors / t.canaryRequests : 0;
    const offRate = t.stableRequests ? t.stableErrors / t.stableRequests : 0;
    killed = {
      trigger: 'on-vs-off', value: onRate, threshold: offRate * config.sprt.k, samples: t.canaryRequests, at: report.at,
      reason: `on-path error rate ${pct(onRate)} vs off-path ${pct(offRate)}: sequential test accepted "on is ${config.sprt.k}× worse" (log-likelihood ratio ${sprt.llr.toFixed(2)}, α ${config.sprt.alpha}) after ${t.canaryRequests} on / ${t.stableRequests} off requests`,
    };
  }
  if (!killed && config.latencyThresholdMs !== undefined) {
    const recent = windows.filter((w) => w.onP95 !== undefined).slice(-3);
    const samples = recent.reduce((s, w) => s + w.onRequests, 0);
    if (recent.length === 3 && samples >= config.minRequests) {
      const median = recent.map((w) => w.onP95!).sort((a, b) => a - b)[1]!;
      if (median > config.latencyThresholdMs) {
        killed = {
          trigger: 'latency-threshold', value: median, threshold: config.latencyThresholdMs, samples, at: report.at,
          reason: `on-path p95 latency ${median} ms (median of the last 3 reports) > latencyThreshold ${config.latencyThresholdMs} ms, ${samples} requests`,
        };
      }
    }
  }
  return { windows, sprt, ...(killed ? { killed } : {}) };
}
