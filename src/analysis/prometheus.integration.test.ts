import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assessMeasurement, resolve } from '../domain/analysis/index.js';
import type { AnalysisTemplate, ResolvedAnalysis } from '../domain/analysis/index.js';
import { createManualClock } from '../platform/clock.js';
import { createPrometheusProvider } from '../providers/metrics/prometheus.js';
import type { MetricProviderSet } from '../providers/metrics/types.js';
import { requireComponent } from '../testing/components.js';
import { startTestServer } from '../testing/http-test-server.js';
import { startPrometheus } from '../testing/prometheus.js';
import type { TestPrometheus } from '../testing/prometheus.js';
import { loadBuiltinTemplates } from '../templates/load-builtin-templates.js';
import { createRunState } from './run-state.js';
import type { AnalysisRunState } from './run-state.js';
import { stepRun } from './step-run.js';

const component = requireComponent('Prometheus', ['/usr/bin/prometheus'], 'apt-get install -y prometheus');

// Scripted traffic: counters grow linearly with time, so every rate() ratio is exact.
const SERIES = [
  { service: 'checkout', namespace: 'shop', rps: 200, errorRatio: 0.03 },
  { service: 'checkout', namespace: 'staging', rps: 50, errorRatio: 0.2 }, // same service, other namespace
  { service: 'search', namespace: 'shop', rps: 100, errorRatio: 0.5 }, // other service
];
// Latency histogram for checkout/shop: 50% ≤ 0.1 s, 90% ≤ 0.25 s, 99% ≤ 0.5 s, so p95 = 0.25 + 0.25 × 5/9.
const BUCKETS: [string, number][] = [['0.1', 0.5], ['0.25', 0.9], ['0.5', 0.99], ['+Inf', 1]];
const EXPECTED_P95 = 0.25 + 0.25 * (0.05 / 0.09);

function exposition(seconds: number): string {
  const lines = ['# TYPE http_requests_total counter'];
  for (const s of SERIES) {
    const total = s.rps * seconds;
    lines.push(`http_requests_total{service="${s.service}",namespace="${s.namespace}",code="200"} ${total * (1 - s.errorRatio)}`);
    lines.push(`http_requests_total{service="${s.service}",namespace="${s.namespace}",code="503"} ${total * s.errorRatio}`);
  }
  lines.push('# TYPE http_request_duration_seconds histogram');
  const total = SERIES[0]!.rps * seconds;
  for (const [le, share] of BUCKETS) lines.push(`http_request_duration_seconds_bucket{service="checkout",namespace="shop",le="${le}"} ${total * share}`);
  lines.push(`http_request_duration_seconds_count{service="checkout",namespace="shop"} ${total}`);
  return `${lines.join('\n')}\n`;
}

if (component.available) {
  describe('slo-guard against a real Prometheus scraping a scripted service', () => {
    let app: Awaited<ReturnType<typeof startTestServer>>;
    let prometheus: TestPrometheus;
    let analysis: ResolvedAnalysis;
    let providers: MetricProviderSet;
    const started = Date.now();

    beforeAll(async () => {
      app = await startTestServer((_req, _body, res) => {
        res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
        res.end(exposition((Date.now() - started) / 1000 + 10));
      });
      prometheus = await startPrometheus([app.url.replace('http://', '')], 1);
      // The spec's slo-guard exactly as shipped; only the address is replaced, by the provider's config.
      const shipped = loadBuiltinTemplates().find('slo-guard', 'prometheus');
      if (!shipped) throw new Error('slo-guard not shipped');
      const resolved = resolve(shipped.template, { args: { service: 'checkout', namespace: 'shop' } });
      if (!resolved.ok) throw new Error(resolved.problems.map((p) => p.message).join('; '));
      analysis = resolved.analysis;
      providers = { prometheus: createPrometheusProvider({ defaultTimeoutSeconds: 5, address: prometheus.url }) };
      // rate() needs two samples in its window: a few 1 s scrapes. The spec's [2m] windows are
      // kept: rate() extrapolates over whatever part of the window holds samples.
      await prometheus.waitForData(queryOf('error-rate'), 20_000);
    }, 40_000);

    afterAll(async () => {
      await prometheus?.stop();
      await app?.close();
    });

    const metric = (name: string) => {
      const found = analysis.metrics.find((m) => m.name === name);
      if (!found) throw new Error(name);
      return found;
    };
    const queryOf = (name: string) => {
      const p = metric(name).provider;
      return p.type === 'prometheus' ? p.query : '';
    };

    it('the error-rate query evaluates to the scripted ratio (3%), filtered by service and namespace', async () => {
      const m = await providers.prometheus!.measure(metric('error-rate'), { now: Date.now() });
      expect(m).toMatchObject({ kind: 'value', sampleCount: 1, window: '2m' });
      expect(m.query).toContain('service="checkout"');
      expect(m.kind === 'value' && (m.value as number[])[0]).toBeCloseTo(0.03, 6);
    });

    it('the latency-p95 query evaluates to the histogram\'s p95', async () => {
      const m = await providers.prometheus!.measure(metric('latency-p95'), { now: Date.now() });
      expect(m.kind === 'value' && (m.value as number[])[0]).toBeCloseTo(EXPECTED_P95, 6);
    });

    it('cpu-saturation has no series here: no data, which `result < 0.8` does not pass', async () => {
      const m = await providers.prometheus!.measure(metric('cpu-saturation'), { now: Date.now() });
      expect(m.kind).toBe('noData');
      expect(assessMeasurement(m, metric('cpu-saturation')).phase).not.toBe('Successful');
    });

    it('verbatim, `result < 0.02` meets a one-element vector and is an evaluation Error (as in Argo: use result[0])', async () => {
      const m = await providers.prometheus!.measure(metric('error-rate'), { now: Date.now() });
      expect(assessMeasurement(m, metric('error-rate'))).toMatchObject({ phase: 'Error', message: expect.stringContaining('result < 0.02') });
    });

    it('a run of the error-rate query (test copy: result[0], 1 s interval, count 3) ends Failed for 3% errors against 2%, Successful against 5%', async () => {
      const copy = (threshold: number): ResolvedAnalysis => {
        const template: AnalysisTemplate = {
          kind: 'AnalysisTemplate', name: 'slo-guard-test-copy', semantics: 'argo', args: [], dryRun: [], measurementRetention: [],
          metrics: [{ name: 'error-rate', interval: '1s', count: 3, failureLimit: 1, successCondition: `result[0] < ${threshold}`, provider: metric('error-rate').provider }],
        };
        const r = resolve(template);
        if (!r.ok) throw new Error('copy');
        return r.analysis;
      };
      for (const [threshold, phase, measurements] of [[0.02, 'Failed', 2], [0.05, 'Successful', 3]] as const) {
        const run = copy(threshold);
        let state: AnalysisRunState = createRunState(run, Date.now());
        for (let i = 0; i < 20; i++) {
          const step = await stepRun(state, run, providers, Date.now(), { finishedAt: () => Date.now() });
          state = step.state;
          if (step.nextAt === null) break;
          await new Promise((r) => setTimeout(r, Math.max(0, step.nextAt! - Date.now())));
        }
        expect(state.phase).toBe(phase);
        expect(state.results[0]?.measurements.length).toBe(measurements);
        expect(state.results[0]?.measurements[0]).toMatchObject({ window: '2m', condition: { success: `result[0] < ${threshold}` } });
      }
    }, 20_000);

    it('with Prometheus stopped, every measurement is Error and the run ends Error after consecutiveErrorLimit — never Successful', async () => {
      await prometheus.stop();
      // Time is an argument: a manual clock walks the 10 s error retries without waiting for them.
      const clock = createManualClock(Date.now());
      let state: AnalysisRunState = createRunState(analysis, clock.now());
      for (let i = 0; i < 50; i++) {
        const step = await stepRun(state, analysis, providers, clock.now());
        state = step.state;
        if (step.nextAt === null) break;
        clock.set(step.nextAt);
      }
      expect(state.phase).toBe('Error');
      const errorRate = state.results.find((r) => r.name === 'error-rate');
      expect(errorRate?.counters).toMatchObject({ error: 5, consecutiveError: 5, count: 0 });
      expect(errorRate?.measurements.every((m) => m.phase === 'Error' && m.errorCode === 'unavailable' && /ECONNREFUSED/.test(m.message))).toBe(true);
      expect(state.summary).toMatch(/^Error: metric "(error-rate|latency-p95|cpu-saturation)" could not be measured 5 times in a row/);
    }, 20_000);
  });
} else {
  describe('slo-guard against a real Prometheus', () => {
    it.skip(`needs Prometheus: ${component.reason}`, () => {});
  });
}
