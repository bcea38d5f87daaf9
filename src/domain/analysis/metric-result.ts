import type { MeasurementRecord } from './measurement.js';
import { isTerminal } from './phase.js';
import type { AnalysisPhase } from './phase.js';
import type { ResolvedMetric } from './resolve.js';

/**
 * Counters kept per metric (Argo's MetricResult). They are kept apart from the measurement list
 * because the list is trimmed to `measurementRetention` while the counters must not forget.
 */
export interface MetricCounters {
  /** Successful + Failed + Inconclusive measurements; Error (and Pending) ones do not count. */
  readonly count: number;
  readonly successful: number;
  readonly failed: number;
  readonly inconclusive: number;
  readonly error: number;
  readonly consecutiveError: number;
}

export interface MetricResult {
  readonly name: string;
  readonly phase: AnalysisPhase;
  readonly dryRun: boolean;
  readonly counters: MetricCounters;
  /** The most recent measurements, oldest first, at most `measurementRetention` of them. */
  readonly measurements: readonly MeasurementRecord[];
  readonly message?: string;
}

export const ZERO_COUNTERS: MetricCounters = Object.freeze({ count: 0, successful: 0, failed: 0, inconclusive: 0, error: 0, consecutiveError: 0 });

/** A fresh result for a metric that has not measured yet. */
export function createMetricResult(metric: ResolvedMetric): MetricResult {
  return { name: metric.name, phase: 'Pending', dryRun: metric.dryRun, counters: ZERO_COUNTERS, measurements: [] };
}

/**
 * Adds a measurement to a result (Argo's `runMeasurements` bookkeeping). A finished record
 * updates the counters; an in-flight one (phase Running) replaces nothing and counts nothing.
 * If the previous record was in flight, `record` completes it in place. The list is trimmed to
 * the metric's retention. The phase is not reassessed here: call assessMetric.
 */
export function applyMeasurement(result: MetricResult, record: MeasurementRecord, metric: ResolvedMetric): MetricResult {
  const c = result.counters;
  let counters = c;
  switch (record.phase) {
    case 'Successful': counters = { ...c, successful: c.successful + 1, count: c.count + 1, consecutiveError: 0 }; break;
    case 'Failed': counters = { ...c, failed: c.failed + 1, count: c.count + 1, consecutiveError: 0 }; break;
    case 'Inconclusive': counters = { ...c, inconclusive: c.inconclusive + 1, count: c.count + 1, consecutiveError: 0 }; break;
    case 'Error': counters = { ...c, error: c.error + 1, consecutiveError: c.consecutiveError + 1 }; break;
    default: break;
  }
  const last = result.measurements.at(-1);
  const kept = last !== undefined && last.finishedAt === undefined ? result.measurements.slice(0, -1) : result.measurements;
  const measurements = [...kept, record].slice(-Math.max(1, metric.measurementRetention));
  return { ...result, counters, measurements };
}

export interface MetricAssessment {
  readonly phase: AnalysisPhase;
  /** Why, e.g. "failed (3) > failureLimit (2)" or "count (10) reached". */
  readonly reason: string;
}

/**
 * A metric's phase from its counters and latest measurement (Argo's `assessMetricStatus`).
 * A completed phase is final. Limits are compared with `>`: failureLimit 0 fails on the first
 * Failed measurement. Under Argo semantics, when several limits are exceeded at once the last
 * check wins: Error over Inconclusive over Failed (a quirk). rampart/v1 ranks them like runs:
 * Failed over Error over Inconclusive. `terminating` (the run was told to stop, or another metric
 * already failed) turns a still-running metric Successful, as Argo does.
 */
export function assessMetric(result: MetricResult, metric: ResolvedMetric, terminating = false): MetricAssessment {
  if (isTerminal(result.phase)) return { phase: result.phase, reason: result.message ?? `already ${result.phase}` };
  const last = result.measurements.at(-1);
  if (last === undefined) {
    return terminating ? { phase: 'Successful', reason: 'run terminated before any measurement' } : { phase: 'Pending', reason: 'no measurement yet' };
  }
  if (last.phase === 'Running') return { phase: 'Running', reason: 'measurement in progress' };
  const limit = limitBreach(result.counters, metric);
  if (limit) return limit;
  if (metric.count !== null && result.counters.count >= metric.count) return { phase: 'Successful', reason: `count (${metric.count}) reached` };
  if (terminating) return { phase: 'Successful', reason: 'run terminated' };
  return { phase: 'Running', reason: metric.count === null ? 'measuring until terminated' : `${result.counters.count} of ${metric.count} measurements` };
}

/** Argo's `assessMetricFailureInconclusiveOrError`: which limit is exceeded, if any. */
export function limitBreach(c: MetricCounters, metric: ResolvedMetric): MetricAssessment | undefined {
  const failed = c.failed > metric.failureLimit ? { phase: 'Failed' as const, reason: `failed (${c.failed}) > failureLimit (${metric.failureLimit})` } : undefined;
  const inconclusive = c.inconclusive > metric.inconclusiveLimit ? { phase: 'Inconclusive' as const, reason: `inconclusive (${c.inconclusive}) > inconclusiveLimit (${metric.inconclusiveLimit})` } : undefined;
  const error = c.consecutiveError > metric.consecutiveErrorLimit ? { phase: 'Error' as const, reason: `consecutiveErrors (${c.consecutiveError}) > consecutiveErrorLimit (${metric.consecutiveErrorLimit})` } : undefined;
  return metric.semantics === 'rampart/v1' ? failed ?? error ?? inconclusive : error ?? inconclusive ?? failed;
}
