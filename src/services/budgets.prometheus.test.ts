import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { systemClock } from '../platform/clock.js';
import { createPrometheusCounts } from '../providers/metrics/prometheus-counts.js';
import { requireComponent } from '../testing/components.js';
import { startTestServer } from '../testing/http-test-server.js';
import { prometheusBin, startPrometheus, type TestPrometheus } from '../testing/prometheus.js';
import { createBudgetService } from './budgets.js';

const prom = requireComponent('Prometheus', [prometheusBin], 'apt-get install -y prometheus');

/**
 * A test server whose counters grow in a known proportion: each scrape sees 1,000 more requests of
 * which 20 failed (2 %) and 100 took longer than 500 ms (10 %). With objectives of 95 % (availability)
 * and 85 % (latency), the budgets are 1 − 0.02/0.05 = 60 % and 1 − 0.10/0.15 ≈ 33.3 % remaining,
 * and the burn rates 0.4 and 0.667, whatever window Prometheus extrapolates over.
 */
describe.runIf(prom.available)('error budgets from a real Prometheus', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let prometheus: TestPrometheus;
  let ticks = 0;

  beforeAll(async () => {
    server = await startTestServer((_req, _body, res) => {
      ticks++;
      const total = 1000 * ticks;
      const lines = [
        `http_requests_total{service="api",code="200"} ${total - 20 * ticks}`,
        `http_requests_total{service="api",code="500"} ${20 * ticks}`,
        `http_request_duration_seconds_bucket{service="api",le="0.1"} ${500 * ticks}`,
        `http_request_duration_seconds_bucket{service="api",le="0.5"} ${900 * ticks}`,
        `http_request_duration_seconds_bucket{service="api",le="+Inf"} ${total}`,
        `http_request_duration_seconds_count{service="api"} ${total}`,
        `http_request_duration_seconds_sum{service="api"} ${100 * ticks}`,
      ];
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(`${lines.join('\n')}\n`);
    });
    prometheus = await startPrometheus([server.url.replace('http://', '')], 1);
    await prometheus.waitForData('sum(increase(http_requests_total{service="api"}[1m])) > 0', 30_000);
  }, 60_000);
  afterAll(async () => {
    await prometheus?.stop();
    await server?.close();
  });

  it('matches the budget and burn computed from the known counts within 2 %', async () => {
    const cfg = parseConfig('services:\n  - name: api\n    tier: 1\n    slo: { availability: { target: 95 }, latency: { thresholdMs: 500, target: 85 }, window: 7d }\n');
    if (!cfg.ok) throw new Error('config');
    const budgets = createBudgetService(cfg.config, systemClock, createPrometheusCounts(prometheus.url), 10);
    const view = await budgets.forService('api');
    const availability = view.slos.find((s) => s.slo === 'availability')!;
    const latency = view.slos.find((s) => s.slo === 'latency')!;
    expect(availability.state).toBe('measured');
    expect(availability.remainingPct).toBeGreaterThan(60 * 0.98);
    expect(availability.remainingPct).toBeLessThan(60 * 1.02);
    const burn5m = availability.burn.find((b) => b.window === '5m')!;
    expect(burn5m.rate).toBeGreaterThan(0.4 * 0.98);
    expect(burn5m.rate).toBeLessThan(0.4 * 1.02);
    expect(latency.remainingPct).toBeGreaterThan(33.333 * 0.98);
    expect(latency.remainingPct).toBeLessThan(33.333 * 1.02);
    expect(view).toMatchObject({ band: 'cautious', remainingPct: latency.remainingPct });
  });

  it('reports no data for a service Prometheus has never seen, never a pass', async () => {
    const cfg = parseConfig('services:\n  - name: ghost\n    tier: 2\n');
    if (!cfg.ok) throw new Error('config');
    const view = await createBudgetService(cfg.config, systemClock, createPrometheusCounts(prometheus.url)).forService('ghost');
    expect(view.slos[0]).toMatchObject({ state: 'no-data' });
    expect(view.slos[0]!.band).toBeUndefined();
    expect(view.remainingPct).toBeUndefined();
  });

  it('says so when Prometheus cannot be reached', async () => {
    const cfg = parseConfig('services:\n  - name: api\n    tier: 2\n');
    if (!cfg.ok) throw new Error('config');
    const view = await createBudgetService(cfg.config, systemClock, createPrometheusCounts('http://127.0.0.1:9', 500)).forService('api');
    expect(view.slos[0]).toMatchObject({ state: 'error', errors: [expect.stringMatching(/127\.0\.0\.1:9/)] });
  });
});
