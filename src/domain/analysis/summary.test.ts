import { describe, expect, it } from 'vitest';
import { recordMeasurement } from './measurement.js';
import { applyMeasurement, createMetricResult } from './metric-result.js';
import type { MetricResult } from './metric-result.js';
import type { ResolvedMetric } from './resolve.js';
import { assessRun } from './run-assessment.js';
import { summarizeRun } from './summary.js';
import { replay, resolvedMetric } from './test-support/metric-fixture.js';

function measure(metric: ResolvedMetric, values: readonly number[]): MetricResult {
  return values.reduce<MetricResult>((result, value, i) => {
    const record = recordMeasurement({ kind: 'value', value, sampleCount: 1 }, metric, { startedAt: i * 30_000, finishedAt: i * 30_000 + 5 }, { query: 'sum(rate(errors[2m])) / sum(rate(requests[2m]))', window: '2m' });
    return applyMeasurement(result, record, metric);
  }, createMetricResult(metric));
}

describe('summarizeRun', () => {
  it('names the deciding metric, the limit, the last value, condition, query and window', () => {
    const errorRate = resolvedMetric({ name: 'error-rate', interval: '30s', count: 10, failureLimit: 1, successCondition: 'result < 0.02' });
    const latency = resolvedMetric({ name: 'latency', interval: '30s', count: 10, successCondition: 'result < 0.5' });
    const results = [measure(errorRate, [0.01, 0.03, 0.034]), measure(latency, [0.2, 0.3])];
    const summary = summarizeRun(assessRun([errorRate, latency], results), [errorRate, latency]);
    expect(summary.phase).toBe('Failed');
    expect(summary.decidingMetric).toBe('error-rate');
    expect(summary.sentence).toBe(
      'Failed: metric "error-rate" failed 2 of 3 measurements, more than its failureLimit of 1; last measurement: value 0.034 did not meet successCondition result < 0.02 (query sum(rate(errors[2m])) / sum(rate(requests[2m])), window 2m, 1 sample).',
    );
  });

  it('explains an Error run by consecutive errors', () => {
    const metric = resolvedMetric({ name: 'error-rate', interval: '30s', count: 10 });
    const summary = summarizeRun(assessRun([metric], [replay(metric, 'EEEEE')]), [metric]);
    expect(summary.sentence).toMatch(/^Error: metric "error-rate" could not be measured 5 times in a row, more than its consecutiveErrorLimit of 4/);
  });

  it('a success lists each metric and flags dry-run metrics that would have failed', () => {
    const live = resolvedMetric({ name: 'error-rate', interval: '30s', count: 2 });
    const dry = { ...resolvedMetric({ name: 'latency', interval: '30s', count: 2 }), dryRun: true };
    const summary = summarizeRun(assessRun([live, dry], [replay(live, 'SS'), { ...replay(dry, 'F'), dryRun: true }]), [live, dry]);
    expect(summary.phase).toBe('Successful');
    expect(summary.sentence).toMatch(/^Successful: all 1 metric passed: "error-rate" Successful, 2 of 2 measured/);
    expect(summary.sentence).toMatch(/dry-run metric "latency" would have been Failed \(dry runs never decide\)/);
    expect(summary.metrics[1]).toMatch(/^\[dry run\] "latency" Failed/);
  });

  it('a running run reports progress', () => {
    const metric = resolvedMetric({ name: 'error-rate', interval: '30s', count: 10 });
    expect(summarizeRun(assessRun([metric], [replay(metric, 'SS')]), [metric]).sentence).toMatch(/^Running: "error-rate" Running, 2 of 10 measured/);
  });
});
