import { describe, expect, it } from 'vitest';
import { assessMeasurement, recordMeasurement } from './measurement.js';
import type { Observation } from './measurement.js';
import { resolvedMetric } from './test-support/metric-fixture.js';
import type { MetricSpec } from './template.js';
import type { MetricValue } from './value.js';

const value = (v: MetricValue): Observation => ({ kind: 'value', value: v });

describe('assessMeasurement: the four condition combinations (Argo EvaluateResult)', () => {
  it.each<[string, Partial<MetricSpec>, number, string]>([
    ['no conditions', {}, 5, 'Successful'],
    ['success only, met', { successCondition: 'result < 1' }, 0.5, 'Successful'],
    ['success only, not met', { successCondition: 'result < 1' }, 2, 'Failed'],
    ['failure only, met', { failureCondition: 'result > 1' }, 2, 'Failed'],
    ['failure only, not met', { failureCondition: 'result > 1' }, 0.5, 'Successful'],
    ['both, success met', { successCondition: 'result < 1', failureCondition: 'result > 5' }, 0.5, 'Successful'],
    ['both, failure met', { successCondition: 'result < 1', failureCondition: 'result > 5' }, 6, 'Failed'],
    ['both, neither met', { successCondition: 'result < 1', failureCondition: 'result > 5' }, 3, 'Inconclusive'],
    ['both met: failure wins', { successCondition: 'result > 0', failureCondition: 'result > 5' }, 6, 'Failed'],
    ['NaN never meets a comparison (success only)', { successCondition: 'result < 1' }, Number.NaN, 'Failed'],
    ['NaN with both conditions', { successCondition: 'result < 1', failureCondition: 'result >= 1' }, Number.NaN, 'Inconclusive'],
  ])('%s', (_name, spec, v, phase) => {
    expect(assessMeasurement(value(v), resolvedMetric(spec)).phase).toBe(phase);
  });

  it('a vector is a list: result[0] works', () => {
    expect(assessMeasurement(value([0.995, 0.2]), resolvedMetric({ successCondition: 'result[0] >= 0.99' })).phase).toBe('Successful');
  });

  it('an evaluation error is Error, with the cause in the message', () => {
    const a = assessMeasurement(value('text'), resolvedMetric({ successCondition: 'result < 1' }));
    expect(a.phase).toBe('Error');
    expect(a.message).toMatch(/result < 1/);
  });

  it('a provider error is Error', () => {
    expect(assessMeasurement({ kind: 'error', message: 'connection refused' }, resolvedMetric()).phase).toBe('Error');
  });
});

describe('assessMeasurement: no data', () => {
  it.each<[string, Partial<MetricSpec>, string]>([
    ['argo: conditions see [] and result[0] errors', { successCondition: 'result[0] < 1' }, 'Error'],
    ['argo: an explicit len(result) == 0 check passes', { successCondition: 'len(result) == 0' }, 'Successful'],
    ['argo: no condition at all is Inconclusive, never a pass', {}, 'Inconclusive'],
  ])('%s', (_name, spec, phase) => {
    expect(assessMeasurement({ kind: 'noData', reason: 'empty vector' }, resolvedMetric(spec)).phase).toBe(phase);
  });

  it.each([
    ['fail', 'Failed'],
    ['inconclusive', 'Inconclusive'],
    ['pass', 'Successful'],
    ['wait', 'Pending'],
  ] as const)('rampart/v1 policy %s → %s', (policy, phase) => {
    const metric = resolvedMetric({ successCondition: 'result < 1', noData: { policy } }, 'rampart/v1');
    expect(assessMeasurement({ kind: 'noData', reason: 'empty vector' }, metric).phase).toBe(phase);
  });

  it('rampart/v1: fewer samples or requests than the minimum is no data', () => {
    const metric = resolvedMetric({ successCondition: 'result[0] < 1', noData: { policy: 'fail', minSamples: 3, minRequests: 100 } }, 'rampart/v1');
    expect(assessMeasurement({ kind: 'value', value: [0.1, 0.2] }, metric).phase).toBe('Failed');
    expect(assessMeasurement({ kind: 'value', value: [0.1, 0.2, 0.3], requestCount: 50 }, metric).phase).toBe('Failed');
    expect(assessMeasurement({ kind: 'value', value: [0.1, 0.2, 0.3] }, metric).message).toMatch(/request count/);
    expect(assessMeasurement({ kind: 'value', value: [0.1, 0.2, 0.3], requestCount: 100 }, metric).phase).toBe('Successful');
  });
});

describe('assessMeasurement: jobs', () => {
  it.each<[string, number, unknown, 'argo' | 'rampart/v1', string]>([
    ['exit 0 passes', 0, undefined, 'argo', 'Successful'],
    ['non-zero exit fails', 2, undefined, 'argo', 'Failed'],
    ['argo ignores conditions on jobs', 0, 5, 'argo', 'Successful'],
    ['rampart/v1 judges JSON stdout', 0, 5, 'rampart/v1', 'Failed'],
    ['rampart/v1 with non-JSON stdout is Error', 0, undefined, 'rampart/v1', 'Error'],
  ])('%s', (_name, exitCode, output, semantics, phase) => {
    const metric = resolvedMetric({ provider: { type: 'job', command: ['true'] }, successCondition: 'result == 1' }, semantics);
    const observation = { kind: 'job', exitCode, ...(output === undefined ? {} : { output }) } as Observation;
    expect(assessMeasurement(observation, metric).phase).toBe(phase);
  });
});

describe('recordMeasurement', () => {
  it('keeps value, both forms of the condition, query, window and sample count', () => {
    const metric = resolvedMetric({ successCondition: 'result < 0.02' });
    const record = recordMeasurement({ kind: 'value', value: 0.01, sampleCount: 1 }, metric, { startedAt: 1000, finishedAt: 1200 }, { query: 'sum(rate(x[2m]))', window: '2m' });
    expect(record).toMatchObject({
      phase: 'Successful', value: 0.01, startedAt: 1000, finishedAt: 1200, query: 'sum(rate(x[2m]))', window: '2m', sampleCount: 1,
      condition: { success: 'result < 0.02', cel: { success: '(result < 0.02)' } },
    });
    expect(record.message).toMatch(/0\.01 met successCondition result < 0\.02/);
  });
});

describe('NaN in records and messages', () => {
  it('spells NaN out so a reader sees why a comparison failed', () => {
    const metric = resolvedMetric({ successCondition: 'result < 0.02' });
    const record = recordMeasurement({ kind: 'value', value: Number.NaN }, metric, { startedAt: 0, finishedAt: 1 });
    expect([record.phase, record.message]).toEqual(['Failed', 'value NaN did not meet successCondition result < 0.02']);
  });
});
