import { describe, expect, it } from 'vitest';
import { resolve } from '../domain/analysis/index.js';
import type { MetricSpec, ResolvedAnalysis } from '../domain/analysis/index.js';
import type { Semantics } from '../domain/analysis/template.js';
import { createManualClock } from '../platform/clock.js';
import { createStaticProvider } from '../providers/metrics/static.js';
import type { StaticScript } from '../providers/metrics/static.js';
import type { MetricProviderSet } from '../providers/metrics/types.js';
import { createRunState, requestTermination } from './run-state.js';
import type { AnalysisRunState } from './run-state.js';
import { stepRun } from './step-run.js';

const prom = (query: string) => ({ type: 'prometheus' as const, address: 'http://prometheus.monitoring:9090', query });

function analysisOf(metrics: MetricSpec[], semantics: Semantics = 'argo'): ResolvedAnalysis {
  const result = resolve({ kind: 'AnalysisTemplate', name: 'slo-guard', semantics, args: [], dryRun: [], measurementRetention: [], metrics });
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('; '));
  return result.analysis;
}

// The spec's slo-guard error-rate and latency metrics (scalar queries so `result < x` applies).
const sloGuard = () => analysisOf([
  { name: 'error-rate', interval: '30s', count: 10, successCondition: 'result < 0.02', failureLimit: 3, provider: prom('error_ratio') },
  { name: 'latency-p95', interval: '30s', count: 10, successCondition: 'result < 0.5', failureLimit: 3, provider: prom('latency_p95') },
]);

/**
 * Drives a run like the reconciler: step, persist (JSON round trip, as the store will), sleep on
 * the manual clock until nextAt. `script` gets the metric name and the seconds since start.
 */
async function drive(analysis: ResolvedAnalysis, script: (metric: string, seconds: number) => ReturnType<StaticScript>, hooks: { at?: (seconds: number, state: AnalysisRunState) => AnalysisRunState } = {}) {
  const clock = createManualClock();
  const start = clock.now();
  const provider = createStaticProvider((metric, ctx) => script(metric.name, (ctx.now - start) / 1000));
  const providers: MetricProviderSet = { prometheus: provider };
  let state = createRunState(analysis, start);
  const log: string[] = [];
  for (let i = 0; i < 200; i++) {
    state = hooks.at?.((clock.now() - start) / 1000, state) ?? state;
    const step = await stepRun(state, analysis, providers, clock.now());
    for (const name of step.measured) log.push(`${(clock.now() - start) / 1000}s ${name}`);
    state = JSON.parse(JSON.stringify(step.state)) as AnalysisRunState;
    expect(state).toEqual(step.state);
    if (step.nextAt === null) return { state, log, endedAt: (clock.now() - start) / 1000, provider };
    expect(step.nextAt).toBeGreaterThanOrEqual(clock.now());
    clock.set(step.nextAt);
  }
  throw new Error('run did not end');
}

describe('stepRun on a manual clock', () => {
  it('a healthy canary passes slo-guard after 10 measurements of each metric, 30 s apart', async () => {
    const run = await drive(sloGuard(), (m) => ({ kind: 'value', value: m === 'error-rate' ? 0.004 : 0.21, query: m }));
    expect(run.state.phase).toBe('Successful');
    expect(run.endedAt).toBe(270);
    expect(run.log.filter((l) => l.endsWith('error-rate')).map((l) => l.split(' ')[0])).toEqual(['0s', '30s', '60s', '90s', '120s', '150s', '180s', '210s', '240s', '270s']);
    expect(run.state.results.map((r) => [r.name, r.counters.successful])).toEqual([['error-rate', 10], ['latency-p95', 10]]);
  });

  it('the fourth failure fails the run and the summary says which metric and why', async () => {
    const run = await drive(sloGuard(), (m, s) => ({ kind: 'value', value: m === 'error-rate' ? (s >= 60 ? 0.05 : 0.004) : 0.2, query: 'q', window: '2m' }));
    expect([run.state.phase, run.endedAt, run.state.decidingMetric]).toEqual(['Failed', 150, 'error-rate']);
    expect(run.state.summary).toMatch(/^Failed: metric "error-rate" failed 4 of 6 measurements/);
    const last = run.state.results[0]?.measurements.at(-1);
    expect(last).toMatchObject({ phase: 'Failed', value: 0.05, query: 'q', window: '2m', condition: { success: 'result < 0.02' } });
  });

  it('with the metrics backend down, measurements are Error every 10 s and the run is Error after consecutiveErrorLimit — never Successful', async () => {
    const run = await drive(sloGuard(), () => ({ kind: 'error', errorCode: 'unavailable', message: 'http://prometheus:9090 is unreachable: ECONNREFUSED' }));
    expect([run.state.phase, run.endedAt]).toEqual(['Error', 40]);
    const errors = run.state.results[0]?.measurements ?? [];
    expect(errors.map((m) => [m.phase, m.errorCode])).toEqual(Array.from({ length: 5 }, () => ['Error', 'unavailable']));
    expect(run.state.summary).toMatch(/could not be measured 5 times in a row/);
  });

  it('NaN (no traffic) survives persistence as NaN and does not pass result < 0.02', async () => {
    const analysis = analysisOf([{ name: 'error-rate', interval: '30s', count: 2, successCondition: 'result < 0.02', provider: prom('x') }]);
    const run = await drive(analysis, () => ({ kind: 'value', value: Number.NaN }));
    expect(run.state.phase).toBe('Failed');
    expect(run.state.results[0]?.measurements[0]?.value).toEqual({ $float: 'NaN' });
  });

  it('termination ends a running analysis at the next step without measuring again', async () => {
    const run = await drive(sloGuard(), () => ({ kind: 'value', value: 0.001 }), {
      at: (s, state) => (s === 60 ? requestTermination(state, 60_000, 'rollout aborted by operator') : state),
    });
    expect([run.state.phase, run.endedAt]).toEqual(['Successful', 60]);
    expect(run.state.message).toBe('Run Terminated');
    expect(run.state.results[0]?.counters.count).toBe(2);
    expect(run.provider.calls.get('error-rate')).toBe(2);
  });

  it('a metric whose provider is not configured errors (misconfigured) and ends the run in Error', async () => {
    const analysis = analysisOf([{ name: 'smoke', interval: '10s', count: 3, provider: { type: 'web', url: 'http://svc/health' } }]);
    const clock = createManualClock();
    let state = createRunState(analysis, clock.now());
    let step = await stepRun(state, analysis, {}, clock.now());
    expect(step.state.results[0]?.measurements[0]).toMatchObject({ phase: 'Error', errorCode: 'misconfigured', message: expect.stringContaining('no web metric provider is configured') });
    for (let i = 0; i < 10 && step.nextAt !== null; i++) {
      state = step.state;
      clock.set(step.nextAt);
      step = await stepRun(state, analysis, {}, clock.now());
    }
    expect(step.state.phase).toBe('Error');
  });

  it('rampart/v1 noData "wait" holds the verdict without using up the count', async () => {
    const analysis = analysisOf([{ name: 'error-rate', interval: '30s', count: 2, successCondition: 'result < 0.02', noData: { policy: 'wait', minRequests: 100 }, provider: prom('x') }], 'rampart/v1');
    const run = await drive(analysis, (_m, s) => ({ kind: 'value', value: 0.001, requestCount: s < 60 ? 20 : 500 }));
    expect(run.state.phase).toBe('Successful');
    expect(run.state.results[0]?.measurements.map((m) => m.phase)).toEqual(['Pending', 'Pending', 'Successful', 'Successful']);
    expect(run.endedAt).toBe(90);
  });

  it('an analysis with unresolved placeholders never runs', async () => {
    const result = resolve({ kind: 'AnalysisTemplate', name: 't', semantics: 'argo', args: [{ name: 'service' }], dryRun: [], measurementRetention: [], metrics: [{ name: 'm', provider: prom('up{service="{{args.service}}"}') }] }, { keepPlaceholders: true });
    if (!result.ok) throw new Error('fixture');
    const state = createRunState(result.analysis, 0);
    expect([state.phase, state.message]).toEqual(['Error', 'cannot run: unresolved args.service; supply the missing arguments']);
    expect((await stepRun(state, result.analysis, {}, 10)).nextAt).toBeNull();
  });

  it('calling early measures nothing and returns the same wake-up time; a finished run is left alone', async () => {
    const analysis = sloGuard();
    const provider = createStaticProvider(() => ({ kind: 'value', value: 0.001 }));
    const first = await stepRun(createRunState(analysis, 0), analysis, { prometheus: provider }, 0);
    const early = await stepRun(first.state, analysis, { prometheus: provider }, 5_000);
    expect([first.nextAt, early.nextAt, early.measured.length]).toEqual([30_000, 30_000, 0]);
    const done = { ...early.state, phase: 'Successful' as const, finishedAt: 6_000 };
    expect(await stepRun(done, analysis, { prometheus: provider }, 60_000)).toEqual({ state: done, nextAt: null, measured: [] });
  });

  it('a provider that rejects (breaking its contract) still becomes an Error measurement', async () => {
    const analysis = analysisOf([{ name: 'm', provider: prom('x') }]);
    const broken = { type: 'prometheus' as const, measure: () => Promise.reject(new Error('socket hang up')) };
    const step = await stepRun(createRunState(analysis, 0), analysis, { prometheus: broken }, 0);
    expect(step.state.results[0]?.measurements[0]).toMatchObject({ phase: 'Error', errorCode: 'unavailable', message: expect.stringContaining('socket hang up') });
  });
});
