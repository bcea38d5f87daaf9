import {
  applyMeasurement, assessRun, createMetricResult, isMeasurementDue, isTerminal, isTerminating, nextReconcileAt, recordMeasurement, summarizeRun,
} from '../domain/analysis/index.js';
import type { MetricResult, ResolvedAnalysis, ResolvedMetric } from '../domain/analysis/index.js';
import type { MetricErrorCode, MetricProviderSet, ProviderMeasurement } from '../providers/metrics/types.js';
import { toDomainResult, toStoredResult } from './run-state.js';
import type { AnalysisRunState } from './run-state.js';
import { stepStatisticalJudge } from './statistical-step.js';
import type { CanaryComparison } from './statistical-step.js';

export interface StepOptions {
  /** Cancels in-flight measurements (they become `aborted` errors). */
  readonly signal?: AbortSignal;
  /** Reads the time a measurement finished; defaults to `now` (manual-clock tests). */
  readonly finishedAt?: () => number;
  /** Called as each measurement lands, before the run is reassessed (CLI live output). */
  readonly onMeasurement?: (metric: string, measurement: AnalysisRunState['results'][number]['measurements'][number]) => void;
  /** Canary and stable counts for `judge: statistical`; such a run ends in Error without them. */
  readonly canaryComparison?: CanaryComparison;
}

export interface StepResult {
  readonly state: AnalysisRunState;
  /** When to call stepRun again (epoch ms); null once the run has ended. */
  readonly nextAt: number | null;
  /** Names of the metrics measured in this step, in template order. */
  readonly measured: readonly string[];
}

/**
 * One reconcile of an analysis run: measures every metric that is due at `now` (concurrently),
 * records each observation with its explanation, applies Argo's phase rules through the domain,
 * and returns the new state and when to wake up next. Never sleeps or loops; never throws for a
 * provider failure (those are Error measurements). Idempotent for a finished run. Calling it
 * early is harmless: nothing is due, the state is reassessed and nextAt is returned again.
 */
export async function stepRun(state: AnalysisRunState, analysis: ResolvedAnalysis, providers: MetricProviderSet, now: number, options: StepOptions = {}): Promise<StepResult> {
  if (state.finishedAt !== undefined || isTerminal(state.phase)) return { state, nextAt: null, measured: [] };
  const metrics = analysis.metrics;
  const terminateRequested = state.terminate !== undefined;
  let results: MetricResult[] = state.results.map(toDomainResult);
  const terminating = isTerminating(results, terminateRequested);
  const due = metrics.filter((m) => isMeasurementDue(m, results.find((r) => r.name === m.name), state.startedAt, now, terminating));

  const observed = await Promise.all(due.map(async (metric) => ({ metric, observation: await observe(metric, providers, now, options.signal) })));
  const codes = new Map<string, Map<number, MetricErrorCode>>();
  for (const { metric, observation } of observed) {
    const finishedAt = Math.max(now, options.finishedAt?.() ?? now);
    const record = recordMeasurement(observation, metric, { startedAt: now, finishedAt }, {
      ...(observation.query !== undefined ? { query: observation.query } : {}),
      ...(observation.window !== undefined ? { window: observation.window } : {}),
    });
    const current = results.find((r) => r.name === metric.name) ?? createMetricResult(metric);
    const updated = applyMeasurement(current, record, metric);
    results = ordered(metrics, [...results.filter((r) => r.name !== metric.name), updated]);
    if (observation.errorCode) codes.set(metric.name, new Map([[now, observation.errorCode]]));
  }

  const run = assessRun(metrics, results, terminateRequested);
  const stored = run.results.map((r) => toStoredResult(r, state.results.find((s) => s.name === r.name), codes.get(r.name) ?? new Map()));
  if (options.onMeasurement) {
    for (const { metric } of observed) {
      const landed = stored.find((r) => r.name === metric.name)?.measurements.at(-1);
      if (landed) options.onMeasurement(metric.name, landed);
    }
  }
  const measured = observed.map((o) => o.metric.name);
  const judged = stepStatisticalJudge(analysis, state.judge, state.startedAt, now, options.canaryComparison);
  const base = { ...state, results: stored, ...(judged.kind === 'judged' ? { judge: judged.judge } : {}) };
  const end = (phase: AnalysisRunState['phase'], message: string, summary: string, lines: readonly string[], decidingMetric?: string): StepResult => ({
    state: { ...base, phase, message, finishedAt: now, summary, metricLines: lines, ...(decidingMetric ? { decidingMetric } : {}) },
    nextAt: null,
    measured,
  });
  if (judged.kind === 'missing') return end('Error', judged.message, `Error: ${judged.message}`, []);
  if (judged.kind === 'judged' && judged.failed && run.phase !== 'Failed' && run.phase !== 'Error') {
    const why = `statistical judge: ${judged.judge.message}`;
    return end('Failed', why, `Failed: ${why}`, summarizeRun(run, metrics).metrics, 'judge:error-rate');
  }
  if (!isTerminal(run.phase)) {
    const next = nextReconcileAt(metrics, run.results, state.startedAt);
    const wake = judged.kind === 'judged' ? Math.min(next ?? Infinity, judged.nextAt) : next;
    return { state: { ...base, phase: 'Running', message: run.message }, nextAt: wake === null || wake === Infinity ? null : Math.max(wake, now), measured };
  }
  const summary = summarizeRun(run, metrics);
  const message = run.message !== '' ? run.message : terminateRequested ? `Run Terminated: ${state.terminate?.reason ?? ''}`.trim() : '';
  return end(run.phase, message, summary.sentence, summary.metrics, run.decidingMetric);
}

async function observe(metric: ResolvedMetric, providers: MetricProviderSet, now: number, signal: AbortSignal | undefined): Promise<ProviderMeasurement> {
  const provider = providers[metric.provider.type];
  if (!provider) {
    const known = Object.keys(providers).join(', ') || 'none';
    return { kind: 'error', errorCode: 'misconfigured', message: `no ${metric.provider.type} metric provider is configured (configured: ${known})` };
  }
  try {
    return await provider.measure(metric, { now, ...(signal ? { signal } : {}) });
  } catch (error) {
    // Providers promise never to reject; one that does still becomes data, not a crashed run.
    return { kind: 'error', errorCode: 'unavailable', message: `the ${metric.provider.type} provider failed: ${(error as Error).message}` };
  }
}

function ordered(metrics: readonly ResolvedMetric[], results: MetricResult[]): MetricResult[] {
  const index = new Map(metrics.map((m, i) => [m.name, i]));
  return results.sort((a, b) => (index.get(a.name) ?? 0) - (index.get(b.name) ?? 0));
}
