import { describe, expect, it } from 'vitest';
import type { MetricResult } from './metric-result.js';
import type { ResolvedMetric } from './resolve.js';
import { assessRun, isTerminating } from './run-assessment.js';
import { replay, resolvedMetric } from './test-support/metric-fixture.js';

type Row = [name: string, measured: string | null, dryRun?: boolean];

function build(rows: readonly Row[]): { metrics: ResolvedMetric[]; results: MetricResult[] } {
  const metrics = rows.map(([name, , dryRun]) => ({ ...resolvedMetric({ name, interval: '30s', count: 3 }), dryRun: dryRun ?? false }));
  const results = rows.flatMap(([, measured], i) => {
    const metric = metrics[i] as ResolvedMetric;
    if (measured === null) return [];
    const result = replay(metric, measured);
    return [{ ...result, dryRun: metric.dryRun }];
  });
  return { metrics, results };
}

describe('assessRun: worst metric wins, Argo order', () => {
  it.each<[string, Row[], string]>([
    ['all successful', [['a', 'SSS'], ['b', 'SSS']], 'Successful'],
    ['one still running', [['a', 'SSS'], ['b', 'S']], 'Running'],
    ['one not started', [['a', 'SSS'], ['b', null]], 'Running'],
    ['Failed beats Inconclusive', [['a', 'F'], ['b', 'I']], 'Failed'],
    ['Error beats Inconclusive', [['a', 'EEEEE'], ['b', 'I']], 'Error'],
    ['Failed beats Error', [['a', 'EEEEE'], ['b', 'F']], 'Failed'],
    ['a failure ends the run even while others run (terminating)', [['a', 'F'], ['b', 'S']], 'Failed'],
    ['inconclusive ends the run too', [['a', 'I'], ['b', 'S']], 'Inconclusive'],
    ['a failing dry-run metric never fails the run', [['a', 'F', true], ['b', 'SSS']], 'Successful'],
    ['a dry-run metric does not end the run', [['a', 'F', true], ['b', 'S']], 'Running'],
    ['only dry-run metrics completed: Successful', [['a', 'F', true]], 'Successful'],
  ])('%s', (_name, rows, phase) => {
    const { metrics, results } = build(rows);
    expect(assessRun(metrics, results).phase).toBe(phase);
  });

  it('names the deciding metric and the limit in the message, as Argo does', () => {
    const { metrics, results } = build([['error-rate', 'FF'], ['latency', 'SSS']]);
    const run = assessRun(metrics, results);
    expect(run.decidingMetric).toBe('error-rate');
    expect(run.message).toBe('Metric "error-rate" assessed Failed due to failed (2) > failureLimit (0): "Error Message: F"');
  });

  it('tallies run and dry-run metrics apart', () => {
    const { metrics, results } = build([['a', 'F', true], ['b', 'SSS']]);
    const run = assessRun(metrics, results);
    expect(run.summary.run).toEqual({ count: 1, successful: 1, failed: 0, inconclusive: 0, error: 0 });
    expect(run.summary.dryRun).toEqual({ count: 1, successful: 0, failed: 1, inconclusive: 0, error: 0 });
    expect(run.results.find((r) => r.name === 'a')?.message).toBe('Metric assessed Failed due to failed (1) > failureLimit (0)');
  });

  it('a requested termination with nothing measured is Successful', () => {
    const { metrics } = build([['a', null]]);
    expect(assessRun(metrics, [], true)).toMatchObject({ phase: 'Successful', message: 'Run Terminated' });
  });

  it('isTerminating ignores dry-run metrics', () => {
    const { results } = build([['a', 'F', true]]);
    expect(isTerminating(results.map((r) => ({ ...r, phase: 'Failed' })))).toBe(false);
    expect(isTerminating(results.map((r) => ({ ...r, phase: 'Failed', dryRun: false })))).toBe(true);
  });
});
