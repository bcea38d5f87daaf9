import { describe, expect, it } from 'vitest';
import { applyMeasurement, assessMetric, createMetricResult } from './metric-result.js';
import type { Semantics, MetricSpec } from './template.js';
import { replay, resolvedMetric } from './test-support/metric-fixture.js';

describe('assessMetric: Argo phase rules', () => {
  it.each<[string, Partial<MetricSpec>, string, string, Semantics?]>([
    // failureLimit (default 0), compared with ">"
    ['first failure fails with the default failureLimit 0', { interval: '30s', count: 5 }, 'F', 'Failed'],
    ['failures up to failureLimit keep running', { interval: '30s', count: 5, failureLimit: 2 }, 'SFF', 'Running'],
    ['failureLimit + 1 failures fail', { interval: '30s', count: 5, failureLimit: 2 }, 'SFFF', 'Failed'],
    ['count reached with failures within the limit is Successful', { interval: '30s', count: 3, failureLimit: 1 }, 'SFS', 'Successful'],
    // inconclusiveLimit (default 0)
    ['first inconclusive is Inconclusive with the default limit', { interval: '30s', count: 5 }, 'I', 'Inconclusive'],
    ['inconclusive within the limit keeps running', { interval: '30s', count: 5, inconclusiveLimit: 1 }, 'SI', 'Running'],
    // consecutiveErrorLimit (default 4), errors not counted toward count
    ['4 consecutive errors are tolerated', { interval: '30s', count: 5 }, 'EEEE', 'Running'],
    ['the 5th consecutive error is Error', { interval: '30s', count: 5 }, 'EEEEE', 'Error'],
    ['a success resets the consecutive errors', { interval: '30s', count: 10 }, 'EEEESEEEE', 'Running'],
    ['consecutiveErrorLimit 0 errors on the first error', { interval: '30s', count: 5, consecutiveErrorLimit: 0 }, 'E', 'Error'],
    ['errors do not count toward count', { interval: '30s', count: 2 }, 'SEE', 'Running'],
    ['count is reached by non-error measurements only', { interval: '30s', count: 2 }, 'SEES', 'Successful'],
    // count semantics (EffectiveCount)
    ['no count and no interval means one measurement', {}, 'S', 'Successful'],
    ['interval without count runs until terminated', { interval: '30s' }, 'SSSSSSSSSSSS', 'Running'],
    // several limits exceeded at once: Argo's last check wins (Error > Inconclusive > Failed) …
    ['argo: failed and inconclusive both over → Inconclusive', { interval: '30s', count: 5 }, 'FI', 'Inconclusive'],
    ['argo: failed and errors both over → Error', { interval: '30s', count: 9, consecutiveErrorLimit: 1 }, 'FEE', 'Error'],
    // … rampart/v1 ranks them like runs: Failed > Error > Inconclusive
    ['rampart/v1: failed and inconclusive both over → Failed', { interval: '30s', count: 5 }, 'FI', 'Failed', 'rampart/v1'],
    ['rampart/v1: errors and inconclusive both over → Error', { interval: '30s', count: 9, consecutiveErrorLimit: 1 }, 'IEE', 'Error', 'rampart/v1'],
    // rampart/v1 wait: Pending measurements count for nothing
    ['rampart/v1: waiting measurements neither count nor error', { interval: '30s', count: 2 }, 'PPPPPPS', 'Running', 'rampart/v1'],
  ])('%s', (_name, spec, letters, phase, semantics = 'argo') => {
    const metric = resolvedMetric(spec, semantics);
    expect(assessMetric(replay(metric, letters), metric).phase).toBe(phase);
  });

  it('counts by phase, errors apart from count', () => {
    const metric = resolvedMetric({ interval: '30s', count: 10, failureLimit: 5 });
    expect(replay(metric, 'SFIEES').counters).toEqual({ count: 4, successful: 2, failed: 1, inconclusive: 1, error: 2, consecutiveError: 0 });
  });

  it('no measurement yet is Pending; terminated before any is Successful', () => {
    const metric = resolvedMetric({ interval: '30s' });
    expect(assessMetric(createMetricResult(metric), metric).phase).toBe('Pending');
    expect(assessMetric(createMetricResult(metric), metric, true).phase).toBe('Successful');
  });

  it('a running metric becomes Successful when the run terminates', () => {
    const metric = resolvedMetric({ interval: '30s' });
    expect(assessMetric(replay(metric, 'SS'), metric, true)).toEqual({ phase: 'Successful', reason: 'run terminated' });
  });

  it('an in-flight measurement keeps the metric Running', () => {
    const metric = resolvedMetric({ provider: { type: 'job', command: ['sleep', '5'] } });
    const result = applyMeasurement(createMetricResult(metric), { phase: 'Running', message: 'started', startedAt: 0 }, metric);
    expect(assessMetric(result, metric).phase).toBe('Running');
  });

  it('a completed phase is final', () => {
    const metric = resolvedMetric({ interval: '30s', count: 5 });
    expect(assessMetric({ ...replay(metric, 'S'), phase: 'Failed' }, metric).phase).toBe('Failed');
  });

  it('the reason names the exceeded limit', () => {
    const metric = resolvedMetric({ interval: '30s', count: 10, failureLimit: 3 });
    expect(assessMetric(replay(metric, 'FFFF'), metric).reason).toBe('failed (4) > failureLimit (3)');
  });

  it('keeps only measurementRetention records but never forgets counts', () => {
    const metric = resolvedMetric({ interval: '30s' });
    const result = replay(metric, 'S'.repeat(25));
    expect(result.measurements).toHaveLength(10);
    expect(result.counters.count).toBe(25);
  });

  it('a finished record completes an in-flight one in place', () => {
    const metric = resolvedMetric({ provider: { type: 'job', command: ['true'] } });
    const running = applyMeasurement(createMetricResult(metric), { phase: 'Running', message: '', startedAt: 0 }, metric);
    const done = applyMeasurement(running, { phase: 'Successful', message: 'exit 0', startedAt: 0, finishedAt: 10 }, metric);
    expect(done.measurements).toHaveLength(1);
    expect(assessMetric(done, metric).phase).toBe('Successful');
  });
});
