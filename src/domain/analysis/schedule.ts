import type { MetricResult } from './metric-result.js';
import { isTerminal } from './phase.js';
import type { ResolvedMetric } from './resolve.js';

/**
 * When a metric's next measurement is due (epoch ms), or null when it needs none: Argo's
 * `generateMetricTasks` and `calculateNextReconcileTime` for one metric.
 * - never measured: run start + initialDelay;
 * - in flight: its resumeAt (or its start, meaning "resume now");
 * - completed phase or count reached: null;
 * - last measurement Error: its finish + 10 s (errorRetryMs), whatever the interval;
 * - otherwise: its finish + interval; no interval means no further measurement.
 * A rampart/v1 `wait` (Pending) measurement without an interval retries after errorRetryMs.
 * Rampart measures when `now >= due`; Argo compares with a strict "after", which only differs
 * at the exact millisecond.
 */
export function nextMeasurementAt(metric: ResolvedMetric, result: MetricResult | undefined, runStartedAt: number): number | null {
  if (result && isTerminal(result.phase)) return null;
  const last = result?.measurements.at(-1);
  if (!result || last === undefined) return runStartedAt + metric.initialDelayMs;
  if (last.finishedAt === undefined) return last.resumeAt ?? last.startedAt;
  if (metric.count !== null && result.counters.count >= metric.count) return null;
  if (last.phase === 'Error') return last.finishedAt + metric.errorRetryMs;
  if (metric.intervalMs !== null) return last.finishedAt + metric.intervalMs;
  if (last.phase === 'Pending') return last.finishedAt + metric.errorRetryMs;
  return null;
}

/**
 * Whether to take (or resume) a measurement for this metric now. While the run is terminating
 * only in-flight measurements are resumed (to terminate them), as in Argo.
 */
export function isMeasurementDue(metric: ResolvedMetric, result: MetricResult | undefined, runStartedAt: number, now: number, terminating = false): boolean {
  const due = nextMeasurementAt(metric, result, runStartedAt);
  if (due === null) return false;
  const inFlight = result?.measurements.at(-1)?.finishedAt === undefined && (result?.measurements.length ?? 0) > 0;
  if (terminating && !inFlight) return false;
  return now >= due;
}

/** The earliest time any metric needs attention (the run's requeue time), or null for none. */
export function nextReconcileAt(metrics: readonly ResolvedMetric[], results: readonly MetricResult[], runStartedAt: number): number | null {
  let earliest: number | null = null;
  for (const metric of metrics) {
    const due = nextMeasurementAt(metric, results.find((r) => r.name === metric.name), runStartedAt);
    if (due !== null && (earliest === null || due < earliest)) earliest = due;
  }
  return earliest;
}
