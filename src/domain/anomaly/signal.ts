import type { AnomalyRule } from './rules.js';

/** One minute of a service's traffic: requests, 5xx and non-cumulative latency bucket counts. */
export interface MinuteCounts {
  requests: number;
  errors: number;
  /** One count per bucket of `bounds`, plus one for +Inf. */
  buckets: readonly number[];
}

/** A rule's reading at one evaluation. `active` is the alert condition; `verdict` says why not when it cannot be judged. */
export interface AnomalySignal {
  active: boolean;
  verdict: 'above' | 'within' | 'insufficient-traffic' | 'no-baseline';
  /** Current windowed value (ratio, or seconds for latency); null when there was no traffic. */
  current: number | null;
  /** Average of the windowed value over the baseline period; null without history. */
  baseline: number | null;
  /** factor × baseline. */
  threshold: number | null;
  requests: number;
  reason: string;
}

/**
 * Evaluates a rule over per-minute counts, oldest first, the last entry being the minute ending
 * now. Like the spec's `avg_over_time(x[1h:])`, the baseline is the mean of the windowed value at
 * each minute of the baseline period (windows with no traffic are skipped, as absent samples are),
 * and it includes the current window. Pure.
 */
export function evaluateSignal(rule: AnomalyRule, minutes: readonly MinuteCounts[], bounds: readonly number[]): AnomalySignal {
  const last = minutes.length - 1;
  const value = (end: number) => windowValue(rule, minutes, end, bounds);
  const now = value(last);
  const label = rule.kind === 'error-rate' ? 'error ratio' : 'p95 latency';
  const show = (v: number) => (rule.kind === 'error-rate' ? `${round(v * 100)}%` : `${round(v * 1000)}ms`);
  const base = { current: now.value, requests: now.requests };
  if (rule.kind === 'error-rate' && now.errors < rule.minErrors && now.value !== null && now.requests >= rule.minRequests) {
    return { ...base, active: false, verdict: 'within', baseline: null, threshold: null, reason: `${now.errors} errors in ${rule.windowMinutes}m, below the ${rule.minErrors} needed to call an anomaly` };
  }
  if (now.requests < rule.minRequests || now.value === null) {
    return { ...base, active: false, verdict: 'insufficient-traffic', baseline: null, threshold: null, reason: `${now.requests} requests in ${rule.windowMinutes}m, below the ${rule.minRequests} needed for a verdict` };
  }
  let sum = 0;
  let n = 0;
  for (let end = Math.max(rule.windowMinutes - 1, last - rule.baselineMinutes + 1); end <= last; end++) {
    const v = value(end).value;
    if (v !== null) {
      sum += v;
      n++;
    }
  }
  // Half the baseline period with traffic, at least: a new service has no "normal" to compare with.
  if (n < Math.ceil(rule.baselineMinutes / 2)) {
    return { ...base, active: false, verdict: 'no-baseline', baseline: null, threshold: null, reason: `only ${n} minutes of history; ${Math.ceil(rule.baselineMinutes / 2)} needed for a baseline` };
  }
  const baseline = sum / n;
  const threshold = baseline * rule.factor;
  const active = now.value > threshold && now.value >= rule.floor;
  const reason = `${label} ${show(now.value)} over ${rule.windowMinutes}m ${active ? 'is above' : 'is within'} ${rule.factor}x its ${rule.baselineMinutes}m average ${show(baseline)} (threshold ${show(threshold)})`;
  return { ...base, active, verdict: active ? 'above' : 'within', baseline, threshold, reason };
}

function windowValue(rule: AnomalyRule, minutes: readonly MinuteCounts[], end: number, bounds: readonly number[]): { value: number | null; requests: number; errors: number } {
  let requests = 0;
  let errors = 0;
  const buckets = new Array<number>(bounds.length + 1).fill(0);
  for (let i = Math.max(0, end - rule.windowMinutes + 1); i <= end; i++) {
    const m = minutes[i]!;
    requests += m.requests;
    errors += m.errors;
    if (rule.kind === 'latency') for (let b = 0; b < buckets.length; b++) buckets[b]! += m.buckets[b] ?? 0;
  }
  if (requests === 0) return { value: null, requests, errors };
  return { errors, value: rule.kind === 'error-rate' ? errors / requests : histogramQuantile(0.95, bounds, buckets), requests };
}

/**
 * The q-quantile of non-cumulative bucket counts, interpolated linearly inside the bucket (the
 * lowest starts at 0; a rank in +Inf answers the highest finite bound), as Prometheus does.
 */
export function histogramQuantile(q: number, bounds: readonly number[], buckets: readonly number[]): number | null {
  const total = buckets.reduce((a, b) => a + b, 0);
  if (total === 0) return null;
  const rank = q * total;
  let below = 0;
  for (let b = 0; b < buckets.length; b++) {
    const here = buckets[b]!;
    if (here > 0 && below + here >= rank) {
      if (b >= bounds.length) return bounds[bounds.length - 1] ?? 0;
      const lower = b === 0 ? 0 : bounds[b - 1]!;
      return lower + (bounds[b]! - lower) * ((rank - below) / here);
    }
    below += here;
  }
  return bounds[bounds.length - 1] ?? 0;
}

function round(v: number): string {
  return String(Math.round(v * 100) / 100);
}
