import type { MeasurementPhase, MeasurementRecord } from '../measurement.js';
import { applyMeasurement, createMetricResult } from '../metric-result.js';
import type { MetricResult } from '../metric-result.js';
import { resolve } from '../resolve.js';
import type { ResolvedMetric } from '../resolve.js';
import type { AnalysisTemplate, MetricSpec, Semantics } from '../template.js';

/** A Prometheus metric spec with the given overrides, for tests. */
export function metricSpec(overrides: Partial<MetricSpec> = {}): MetricSpec {
  return { name: 'm', provider: { type: 'prometheus', address: 'http://prom:9090', query: 'up' }, ...overrides };
}

/** A one-template wrapper, for tests. */
export function template(metrics: readonly MetricSpec[], extra: Partial<AnalysisTemplate> = {}): AnalysisTemplate {
  return { kind: 'AnalysisTemplate', name: 't', semantics: 'argo', args: [], dryRun: [], measurementRetention: [], metrics, ...extra };
}

/** Resolves one metric or throws: test set-up only. */
export function resolvedMetric(overrides: Partial<MetricSpec> = {}, semantics: Semantics = 'argo'): ResolvedMetric {
  const result = resolve(template([metricSpec(overrides)], { semantics }));
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('; '));
  const metric = result.analysis.metrics[0];
  if (!metric) throw new Error('no metric');
  return metric;
}

const LETTER: Record<string, MeasurementPhase> = { S: 'Successful', F: 'Failed', I: 'Inconclusive', E: 'Error', P: 'Pending' };

/** Applies measurements written as letters ("SFE…") one per 30 s. */
export function replay(metric: ResolvedMetric, letters: string): MetricResult {
  return [...letters].reduce<MetricResult>((result, letter, i) => {
    const record: MeasurementRecord = { phase: LETTER[letter] ?? 'Error', message: letter, startedAt: i * 30_000, finishedAt: i * 30_000 + 100 };
    return applyMeasurement(result, record, metric);
  }, createMetricResult(metric));
}

