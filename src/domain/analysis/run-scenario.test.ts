import { describe, expect, it } from 'vitest';
import { recordMeasurement } from './measurement.js';
import type { Observation } from './measurement.js';
import { applyMeasurement, createMetricResult } from './metric-result.js';
import type { MetricResult } from './metric-result.js';
import type { AnalysisPhase } from './phase.js';
import { resolve } from './resolve.js';
import type { ResolvedMetric } from './resolved.js';
import { assessRun, isTerminating } from './run-assessment.js';
import { isMeasurementDue, nextReconcileAt } from './schedule.js';
import { summarizeRun } from './summary.js';
import { metricSpec, template } from './test-support/metric-fixture.js';

/**
 * Drives a run the way the reconciler will: wake at nextReconcileAt, measure what is due,
 * reassess. `observe` scripts the provider. Returns the final phase, when it ended (seconds),
 * and the measurement times.
 */
function runScenario(metrics: readonly ResolvedMetric[], observe: (metric: string, seconds: number) => Observation) {
  const start = 0;
  let results: MetricResult[] = [];
  let now = start;
  const times: number[] = [];
  for (let step = 0; step < 1000; step++) {
    const terminating = isTerminating(results);
    for (const metric of metrics) {
      const current = results.find((r) => r.name === metric.name);
      if (!isMeasurementDue(metric, current, start, now, terminating)) continue;
      const record = recordMeasurement(observe(metric.name, now / 1000), metric, { startedAt: now, finishedAt: now });
      const updated = applyMeasurement(current ?? createMetricResult(metric), record, metric);
      results = [...results.filter((r) => r.name !== metric.name), updated];
      times.push(now / 1000);
    }
    const run = assessRun(metrics, results);
    results = [...run.results];
    if (run.phase !== 'Running') return { phase: run.phase as AnalysisPhase, endedAt: now / 1000, times, summary: summarizeRun(run, metrics) };
    const next = nextReconcileAt(metrics, results, start);
    if (next === null) throw new Error('run stalled');
    now = Math.max(next, now);
  }
  throw new Error('run did not end');
}

// The spec's slo-guard error-rate metric: interval 30 s, count 10, failureLimit 3, result < 0.02.
const sloGuard = (): ResolvedMetric[] => {
  const result = resolve(template([metricSpec({ name: 'error-rate', interval: '30s', count: 10, failureLimit: 3, successCondition: 'result < 0.02' })]));
  if (!result.ok) throw new Error('fixture');
  return [...result.analysis.metrics];
};

describe('a whole run on a manual clock (slo-guard)', () => {
  it('a healthy service passes after 10 measurements, 30 s apart', () => {
    const run = runScenario(sloGuard(), () => ({ kind: 'value', value: 0.004 }));
    expect(run.phase).toBe('Successful');
    expect(run.times).toEqual([0, 30, 60, 90, 120, 150, 180, 210, 240, 270]);
  });

  it('three failures are tolerated, the fourth fails the run', () => {
    const run = runScenario(sloGuard(), (_m, s) => ({ kind: 'value', value: s >= 60 ? 0.05 : 0.004 }));
    expect([run.phase, run.endedAt]).toEqual(['Failed', 150]);
    expect(run.summary.sentence).toMatch(/^Failed: metric "error-rate" failed 4 of 6 measurements, more than its failureLimit of 3/);
  });

  it('with Prometheus down every measurement is Error, retried every 10 s, and the run ends Error after 5 — never Successful', () => {
    const run = runScenario(sloGuard(), () => ({ kind: 'error', message: 'connect ECONNREFUSED 127.0.0.1:9090' }));
    expect(run.phase).toBe('Error');
    expect(run.times).toEqual([0, 10, 20, 30, 40]);
    expect(run.summary.sentence).toMatch(/could not be measured 5 times in a row.*ECONNREFUSED/);
  });

  it('errors in between do not use up the count', () => {
    const run = runScenario(sloGuard(), (_m, s) => (s === 30 || s === 40 ? { kind: 'error', message: 'timeout' } : { kind: 'value', value: 0.001 }));
    expect(run.phase).toBe('Successful');
    expect(run.times).toEqual([0, 30, 40, 50, 80, 110, 140, 170, 200, 230, 260, 290]);
  });
});
