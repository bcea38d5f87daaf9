import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolve } from '../domain/analysis/index.js';
import type { MetricSpec, ResolvedAnalysis } from '../domain/analysis/index.js';
import { createPrometheusProvider } from '../providers/metrics/prometheus.js';
import { createWebProvider } from '../providers/metrics/web.js';
import { sendJson, startTestServer } from '../testing/http-test-server.js';
import { runRetrospective } from './retrospective.js';

const FROM = Date.UTC(2026, 0, 5, 10, 0, 0);

describe('runRetrospective over a recorded Prometheus range', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  beforeAll(async () => {
    // query_range answers one point per step; query "bad-after-90s" turns 5% at t ≥ 90 s.
    server = await startTestServer((_req, body, res) => {
      const form = new URLSearchParams(body);
      const start = Number(form.get('start'));
      const end = Number(form.get('end'));
      const step = Number((form.get('step') ?? '30s').replace('s', ''));
      const values: [number, string][] = [];
      for (let t = start; t <= end; t += step) values.push([t, form.get('query') === 'bad-after-90s' && t - start >= 90 ? '0.05' : '0.004']);
      sendJson(res, 200, { status: 'success', data: { resultType: 'matrix', result: [{ metric: {}, values }] } });
    });
  });
  afterAll(() => server.close());

  const analysisOf = (metrics: MetricSpec[]): ResolvedAnalysis => {
    const r = resolve({ kind: 'AnalysisTemplate', name: 't', semantics: 'argo', args: [], dryRun: [], measurementRetention: [], metrics });
    if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('; '));
    return r.analysis;
  };
  const errorRate = (query: string, count = 10): MetricSpec => ({ name: 'error-rate', interval: '30s', count, failureLimit: 3, successCondition: 'result[0] < 0.02', provider: { type: 'prometheus', address: server.url, query } });
  const providers = () => ({ prometheus: createPrometheusProvider({ defaultTimeoutSeconds: 5 }), web: createWebProvider({ defaultTimeoutSeconds: 5 }) });

  it('a healthy past interval passes after the same 10 measurements a live run takes', async () => {
    const state = await runRetrospective(analysisOf([errorRate('good')]), providers(), { from: FROM, to: FROM + 600_000 });
    expect(state.phase).toBe('Successful');
    expect(state.results[0]?.measurements.map((m) => (m.startedAt - FROM) / 1000)).toEqual([0, 30, 60, 90, 120, 150, 180, 210, 240, 270]);
    expect(state.results[0]?.counters.successful).toBe(10);
  });

  it('a past regression fails the run at the 4th failing step, as live', async () => {
    const state = await runRetrospective(analysisOf([errorRate('bad-after-90s')]), providers(), { from: FROM, to: FROM + 600_000 });
    expect(state.phase).toBe('Failed');
    expect(((state.finishedAt ?? 0) - FROM) / 1000).toBe(180);
  });

  it('an interval shorter than the analysis ends terminated at its end', async () => {
    const state = await runRetrospective(analysisOf([errorRate('good')]), providers(), { from: FROM, to: FROM + 100_000 });
    expect([state.phase, state.results[0]?.counters.count, state.finishedAt]).toEqual(['Successful', 4, FROM + 100_000]);
    expect(state.message).toBe('Run Terminated');
  });

  it('a metric without history (web) cannot be judged retrospectively: Error, never a pass', async () => {
    const state = await runRetrospective(analysisOf([{ name: 'health', interval: '30s', count: 3, provider: { type: 'web', url: `${server.url}/health` } }]), providers(), { from: FROM, to: FROM + 600_000 });
    expect(state.phase).toBe('Error');
    expect(state.results[0]?.measurements[0]).toMatchObject({ errorCode: 'misconfigured', message: expect.stringContaining('has no history') });
  });
});
