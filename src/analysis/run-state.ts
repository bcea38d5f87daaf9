import type { AnalysisPhase, MeasurementRecord, MetricResult, ResolvedAnalysis } from '../domain/analysis/index.js';
import type { MetricErrorCode } from '../providers/metrics/types.js';
import { decodeValue, encodeValue } from './json-value.js';
import type { JudgeState } from './statistical-step.js';
import type { StoredValue } from './json-value.js';

/** A measurement as persisted: the domain's record, its value JSON-safe, plus the provider's error code. */
export type StoredMeasurement = Omit<MeasurementRecord, 'value'> & { readonly value?: StoredValue; readonly errorCode?: MetricErrorCode };

export type StoredMetricResult = Omit<MetricResult, 'measurements'> & { readonly measurements: readonly StoredMeasurement[] };

/**
 * Everything needed to resume an analysis run after a restart, as plain JSON data:
 * `JSON.parse(JSON.stringify(state))` is the same state (NaN and ±Inf included, see json-value).
 * The resolved analysis is not stored here: it is recomputed from the templates and args.
 * Times are epoch milliseconds.
 */
export interface AnalysisRunState {
  readonly version: 1;
  readonly phase: AnalysisPhase;
  readonly message: string;
  readonly startedAt: number;
  readonly finishedAt?: number;
  /** The non-dry-run metric whose phase became the run's, once one did. */
  readonly decidingMetric?: string;
  /** One sentence explaining the outcome (summarizeRun), once the run ended. */
  readonly summary?: string;
  /** One line per metric, in template order, once the run ended. */
  readonly metricLines?: readonly string[];
  readonly terminate?: { readonly requestedAt: number; readonly reason: string };
  /** One entry per metric that has started, in template order. */
  readonly results: readonly StoredMetricResult[];
  /** The statistical judge's running test, for `judge: statistical`. */
  readonly judge?: JudgeState;
}

/**
 * A fresh run. An analysis with unresolved fields (lint-only placeholders) is never run: the
 * state starts in Error naming them.
 */
export function createRunState(analysis: ResolvedAnalysis, now: number): AnalysisRunState {
  if (analysis.unresolved.length > 0) {
    return { version: 1, phase: 'Error', message: `cannot run: unresolved ${analysis.unresolved.join(', ')}; supply the missing arguments`, startedAt: now, finishedAt: now, results: [] };
  }
  return { version: 1, phase: 'Pending', message: '', startedAt: now, results: [] };
}

/**
 * Asks the run to stop (Argo's `terminate`). Idempotent; a finished run is unchanged. The next
 * stepRun ends it: metrics still running end Successful, as in Argo, unless one already failed.
 */
export function requestTermination(state: AnalysisRunState, now: number, reason = 'terminated by request'): AnalysisRunState {
  if (state.finishedAt !== undefined || state.terminate) return state;
  return { ...state, terminate: { requestedAt: now, reason } };
}

export function toDomainResult(stored: StoredMetricResult): MetricResult {
  return {
    ...stored,
    measurements: stored.measurements.map(({ value, errorCode: _code, ...rest }) => ({ ...rest, ...(value !== undefined ? { value: decodeValue(value) } : {}) })),
  };
}

/** Stores a domain result, keeping error codes of measurements already stored (matched by start time). */
export function toStoredResult(result: MetricResult, previous: StoredMetricResult | undefined, codes: ReadonlyMap<number, MetricErrorCode>): StoredMetricResult {
  const known = new Map((previous?.measurements ?? []).map((m) => [m.startedAt, m.errorCode]));
  return {
    ...result,
    measurements: result.measurements.map(({ value, ...rest }) => {
      const errorCode = codes.get(rest.startedAt) ?? known.get(rest.startedAt);
      return { ...rest, ...(value !== undefined ? { value: encodeValue(value) } : {}), ...(errorCode ? { errorCode } : {}) };
    }),
  };
}
