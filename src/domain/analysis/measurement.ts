import type { CompiledCondition } from './condition.js';
import type { AnalysisPhase, TerminalPhase } from './phase.js';
import type { ResolvedMetric } from './resolve.js';
import { formatValue } from './value.js';
import type { MetricValue } from './value.js';

/**
 * What a provider observed for one measurement. Providers fetch; this module judges.
 * - `value`: a number, a vector (list of numbers) or JSON.
 * - `noData`: the query answered but had nothing to judge (Prometheus `[]`, too few samples).
 * - `error`: could not measure (unreachable, timeout, bad response).
 * - `job`: a command finished with an exit code; `output` is its stdout parsed as JSON, if it was.
 */
export type Observation =
  | { readonly kind: 'value'; readonly value: MetricValue; readonly sampleCount?: number; readonly requestCount?: number }
  | { readonly kind: 'noData'; readonly reason: string; readonly sampleCount?: number; readonly requestCount?: number }
  | { readonly kind: 'error'; readonly message: string }
  | { readonly kind: 'job'; readonly exitCode: number; readonly output?: MetricValue };

/** A measurement phase: terminal, or `Pending` when a rampart/v1 metric waits for data. */
export type MeasurementPhase = TerminalPhase | 'Pending';

export interface Assessment {
  readonly phase: MeasurementPhase;
  readonly message: string;
  /** The value the conditions saw, when they were evaluated. */
  readonly value?: MetricValue;
}

/**
 * Judges one observation against a metric's conditions, as Argo's `EvaluateResult`:
 * - neither condition: Successful (unless there is no data, see below);
 * - only successCondition: Successful when true, else Failed;
 * - only failureCondition: Failed when true, else Successful;
 * - both: Failed when failureCondition is true, Successful when only successCondition is, and
 *   Inconclusive when neither is;
 * - an evaluation error: Error.
 * Job metrics follow Argo's job provider: exit code 0 is Successful, anything else Failed. Under
 * rampart/v1, a job with conditions that exits 0 is judged on its JSON stdout.
 * No data: Argo semantics evaluate the conditions against `[]` (what Argo's Prometheus provider
 * passes), except that a metric with no condition at all is Inconclusive, never a silent pass;
 * rampart/v1 applies the metric's `noData` policy (`wait` yields Pending: not counted, retried).
 */
export function assessMeasurement(observation: Observation, metric: ResolvedMetric): Assessment {
  switch (observation.kind) {
    case 'error':
      return { phase: 'Error', message: observation.message };
    case 'job':
      return assessJob(observation.exitCode, observation.output, metric);
    case 'noData':
      return assessNoData(observation.reason, metric);
    case 'value': {
      const { noData } = metric;
      if (noData.policy !== 'evaluate') {
        const samples = observation.sampleCount ?? sampleCountOf(observation.value);
        if (samples < noData.minSamples) return assessNoData(`${samples} sample(s) < minSamples ${noData.minSamples}`, metric);
        if (noData.minRequests > 0) {
          if (observation.requestCount === undefined) return assessNoData('the provider reported no request count (minRequests is set)', metric);
          if (observation.requestCount < noData.minRequests) return assessNoData(`${observation.requestCount} request(s) < minRequests ${noData.minRequests}`, metric);
        }
      }
      return evaluateConditions(observation.value, metric);
    }
  }
}

function assessJob(exitCode: number, output: MetricValue | undefined, metric: ResolvedMetric): Assessment {
  if (exitCode !== 0) return { phase: 'Failed', message: `job exited with code ${exitCode}` };
  const hasConditions = metric.successCondition !== null || metric.failureCondition !== null;
  if (metric.semantics !== 'rampart/v1' || !hasConditions) return { phase: 'Successful', message: 'job exited with code 0' };
  if (output === undefined) return { phase: 'Error', message: 'job exited 0 but its stdout is not JSON, so the conditions cannot be evaluated' };
  return evaluateConditions(output, metric);
}

function assessNoData(reason: string, metric: ResolvedMetric): Assessment {
  const message = `no data: ${reason}`;
  switch (metric.noData.policy) {
    case 'evaluate':
      if (metric.successCondition === null && metric.failureCondition === null) return { phase: 'Inconclusive', message: `${message} (no condition to judge it)` };
      return evaluateConditions([], metric, message);
    case 'fail': return { phase: 'Failed', message: `${message} (noData policy: fail)` };
    case 'inconclusive': return { phase: 'Inconclusive', message: `${message} (noData policy: inconclusive)` };
    case 'pass': return { phase: 'Successful', message: `${message} (noData policy: pass)` };
    case 'wait': return { phase: 'Pending', message: `${message} (noData policy: wait; not counted, retried)` };
  }
}

function evaluateConditions(value: MetricValue, metric: ResolvedMetric, prefix?: string): Assessment {
  const shown = formatValue(value);
  const lead = prefix ? `${prefix}; ` : '';
  const run = (condition: CompiledCondition | null): boolean | string | undefined => {
    if (!condition) return undefined;
    const outcome = condition.evaluate(value);
    return outcome.ok ? outcome.value : outcome.message;
  };
  const success = run(metric.successCondition);
  const failure = run(metric.failureCondition);
  for (const outcome of [success, failure]) {
    if (typeof outcome === 'string') return { phase: 'Error', message: `${lead}${outcome}`, value };
  }
  const s = metric.successCondition?.source;
  const f = metric.failureCondition?.source;
  if (success === undefined && failure === undefined) return { phase: 'Successful', message: `${lead}value ${shown}; no condition, so Successful`, value };
  if (failure === undefined) {
    return success
      ? { phase: 'Successful', message: `${lead}value ${shown} met successCondition ${s}`, value }
      : { phase: 'Failed', message: `${lead}value ${shown} did not meet successCondition ${s}`, value };
  }
  if (success === undefined) {
    return failure
      ? { phase: 'Failed', message: `${lead}value ${shown} met failureCondition ${f}`, value }
      : { phase: 'Successful', message: `${lead}value ${shown} did not meet failureCondition ${f}`, value };
  }
  if (failure) return { phase: 'Failed', message: `${lead}value ${shown} met failureCondition ${f}`, value };
  if (success) return { phase: 'Successful', message: `${lead}value ${shown} met successCondition ${s}`, value };
  return { phase: 'Inconclusive', message: `${lead}value ${shown} met neither successCondition ${s} nor failureCondition ${f}`, value };
}

/** A vector's length, 1 for any other value: the sample count when the provider gave none. */
function sampleCountOf(value: MetricValue): number {
  return Array.isArray(value) ? value.length : 1;
}

/**
 * One measurement as stored on a run: everything needed to explain it later.
 * Times are epoch milliseconds.
 */
export interface MeasurementRecord {
  readonly phase: MeasurementPhase | Extract<AnalysisPhase, 'Running'>;
  readonly message: string;
  readonly startedAt: number;
  /** Absent while the measurement is in flight (a job still running). */
  readonly finishedAt?: number;
  /** When to resume an in-flight measurement (Argo's `resumeAt`). */
  readonly resumeAt?: number;
  readonly value?: MetricValue;
  /** The conditions used, as written and as CEL. */
  readonly condition?: { readonly success?: string; readonly failure?: string; readonly cel?: { readonly success?: string; readonly failure?: string } };
  /** The query (or URL, or command) after argument substitution. */
  readonly query?: string;
  /** The look-back window the query covered, e.g. "2m". */
  readonly window?: string;
  readonly sampleCount?: number;
  readonly requestCount?: number;
}

/**
 * Builds the stored record for a finished measurement: the assessment plus the explanation
 * fields (condition used, resolved query, window, sample count).
 */
export function recordMeasurement(
  observation: Observation,
  metric: ResolvedMetric,
  times: { readonly startedAt: number; readonly finishedAt: number },
  context: { readonly query?: string; readonly window?: string } = {},
): MeasurementRecord {
  const assessment = assessMeasurement(observation, metric);
  const success = metric.successCondition;
  const failure = metric.failureCondition;
  const counts = observation.kind === 'value' || observation.kind === 'noData' ? observation : undefined;
  return {
    phase: assessment.phase,
    message: assessment.message,
    startedAt: times.startedAt,
    finishedAt: times.finishedAt,
    ...(assessment.value !== undefined ? { value: assessment.value } : {}),
    ...(success || failure
      ? {
          condition: {
            ...(success ? { success: success.source } : {}),
            ...(failure ? { failure: failure.source } : {}),
            cel: { ...(success ? { success: success.cel } : {}), ...(failure ? { failure: failure.cel } : {}) },
          },
        }
      : {}),
    ...(context.query !== undefined ? { query: context.query } : {}),
    ...(context.window !== undefined ? { window: context.window } : {}),
    ...(counts?.sampleCount !== undefined ? { sampleCount: counts.sampleCount } : observation.kind === 'value' ? { sampleCount: sampleCountOf(observation.value) } : {}),
    ...(counts?.requestCount !== undefined ? { requestCount: counts.requestCount } : {}),
  };
}
