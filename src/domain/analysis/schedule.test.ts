import { describe, expect, it } from 'vitest';
import { applyMeasurement, createMetricResult } from './metric-result.js';
import type { MetricResult } from './metric-result.js';
import type { MeasurementPhase } from './measurement.js';
import type { ResolvedMetric } from './resolve.js';
import { isMeasurementDue, nextMeasurementAt, nextReconcileAt } from './schedule.js';
import { resolvedMetric } from './test-support/metric-fixture.js';

const START = 1_000_000;

function after(metric: ResolvedMetric, phase: MeasurementPhase, finishedAt: number): MetricResult {
  return applyMeasurement(createMetricResult(metric), { phase, message: '', startedAt: finishedAt - 50, finishedAt }, metric);
}

describe('nextMeasurementAt (Argo calculateNextReconcileTime)', () => {
  it.each<[string, ResolvedMetric, MetricResult | undefined, number | null]>([
    ['first measurement at once', resolvedMetric({ interval: '30s' }), undefined, START],
    ['first measurement after initialDelay', resolvedMetric({ interval: '30s', initialDelay: '1m' }), undefined, START + 60_000],
    ['next after the interval', resolvedMetric({ interval: '30s', count: 3 }), after(resolvedMetric({ interval: '30s', count: 3 }), 'Successful', START + 100), START + 30_100],
    ['errors retry after 10 s whatever the interval', resolvedMetric({ interval: '5m', count: 3 }), after(resolvedMetric({ interval: '5m', count: 3 }), 'Error', START + 100), START + 10_100],
    ['count reached: nothing more', resolvedMetric({ interval: '30s', count: 1 }), after(resolvedMetric({ interval: '30s', count: 1 }), 'Successful', START), null],
    ['single measurement done: nothing more', resolvedMetric({}), after(resolvedMetric({}), 'Successful', START), null],
    ['a single measurement that errored retries after 10 s', resolvedMetric({}), after(resolvedMetric({}), 'Error', START), START + 10_000],
  ])('%s', (_name, metric, result, expected) => {
    expect(nextMeasurementAt(metric, result, START)).toBe(expected);
  });

  it('is due at the due time, not before; terminating runs start nothing new', () => {
    const metric = resolvedMetric({ interval: '30s', count: 3 });
    const result = after(metric, 'Successful', START);
    expect(isMeasurementDue(metric, result, START, START + 29_999)).toBe(false);
    expect(isMeasurementDue(metric, result, START, START + 30_000)).toBe(true);
    expect(isMeasurementDue(metric, result, START, START + 30_000, true)).toBe(false);
  });

  it('the run requeues at the earliest metric', () => {
    const fast = resolvedMetric({ name: 'fast', interval: '10s', count: 3 });
    const slow = resolvedMetric({ name: 'slow', interval: '1m', count: 3 });
    const results = [after(fast, 'Successful', START), after(slow, 'Successful', START)];
    expect(nextReconcileAt([slow, fast], results, START)).toBe(START + 10_000);
  });
});
