import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { Pool } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { systemClock } from '../platform/clock.js';
import { requireComponent } from '../testing/components.js';
import { freePort } from '../testing/ports.js';
import { startAdminListener } from './admin-listener.js';
import { createFaultTable } from './faults.js';
import { createMetricsStore } from './metrics-store.js';
import { createServiceProxy } from './service-proxy.js';
import { startPrometheus } from '../testing/prometheus.js';

const prometheus = requireComponent('prometheus', ['/usr/bin/prometheus'], 'apt-get install -y prometheus');
const demo = resolve(process.cwd(), 'examples/demo-service/server.mjs');
const injectedErrorRate = 0.2;

// The spec's slo-guard error-rate query, verbatim with its template arguments filled in.
const sloGuardErrorRate = `sum(rate(http_requests_total{
  service="api",
  namespace="prod",
  code=~"5.."
}[2m]))
/
sum(rate(http_requests_total{
  service="api",
  namespace="prod"
}[2m]))`;
const sloGuardLatencyP95 = `histogram_quantile(0.95,
  sum(rate(http_request_duration_seconds_bucket{
    service="api",
    namespace="prod"
  }[2m])) by (le)
)`;

// The spec's anomaly-detection alert expressions (observability/prometheus/alerts/anomaly-detection.yaml), verbatim.
const errorRateAnomaly = `(
  sum(rate(http_requests_total{code=~"5.."}[5m])) by (service)
  /
  sum(rate(http_requests_total[5m])) by (service)
) >
(
  avg_over_time(
    (sum(rate(http_requests_total{code=~"5.."}[5m])) by (service)
    /
    sum(rate(http_requests_total[5m])) by (service))[1h:]
  ) * 3
)`;
const latencyAnomaly = `histogram_quantile(0.95,
  sum(rate(http_request_duration_seconds_bucket[5m])) by (le, service)
) >
(
  avg_over_time(
    histogram_quantile(0.95,
      sum(rate(http_request_duration_seconds_bucket[5m])) by (le, service)
    )[1h:]
  ) * 2
)`;

async function startDemo(port: number, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, [demo], { env: { ...process.env, PORT: String(port), ...env }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((ok, fail) => {
    child.stdout?.once('data', () => ok());
    child.once('exit', (code) => fail(new Error(`demo service exited with ${code}`)));
  });
  return child;
}

const stops: Array<() => Promise<unknown> | unknown> = [];
afterAll(async () => {
  while (stops.length) await stops.pop()?.();
});

if (prometheus.available) {
  describe('a real Prometheus scraping the proxy', () => {
    it(`answers the spec's slo-guard error-rate query within ±20 % of the injected rate (${injectedErrorRate})`, async () => {
      const demoPort = await freePort();
      const child = await startDemo(demoPort, { VERSION: '2.0.0', ERROR_RATE: String(injectedErrorRate) });
      stops.push(() => child.kill('SIGKILL'));
      const metrics = createMetricsStore({ clock: systemClock });
      const proxy = createServiceProxy({
        service: 'api', namespace: 'prod', stable: { version: '2.0.0', url: `http://127.0.0.1:${demoPort}` },
        clock: systemClock, metrics, faults: createFaultTable(systemClock),
      });
      const { port } = await proxy.start();
      stops.push(() => proxy.close(1000));
      const admin = await startAdminListener(metrics);
      stops.push(() => admin.close());
      const prom = await startPrometheus([`127.0.0.1:${admin.port}`], 1);
      stops.push(() => prom.stop());

      // Steady load in the background until the query answers (bounded: 40 s at most).
      const client = new Pool(`http://127.0.0.1:${port}`, { connections: 8 });
      stops.push(() => client.close());
      let running = true;
      let sent = 0;
      const load = Promise.all(Array.from({ length: 8 }, async () => {
        while (running) {
          const res = await client.request({ path: '/api/items/3', method: 'GET' });
          await res.body.dump();
          sent++;
          await new Promise((r) => setTimeout(r, 2));
        }
      }));
      let answer: number | null = null;
      let p95: number | null = null;
      const deadline = Date.now() + 40_000;
      try {
        while (Date.now() < deadline) {
          await new Promise((r) => setTimeout(r, 1_000));
          const result = await prom.query(sloGuardErrorRate);
          // Wait for a few scrapes past the first sample so rate() rests on enough requests.
          if (result.length === 1 && sent > 2_000) {
            answer = Number(result[0]?.value[1]);
            const latency = await prom.query(sloGuardLatencyP95);
            p95 = latency.length === 1 ? Number(latency[0]?.value[1]) : null;
            break;
          }
        }
      } finally {
        running = false;
        await load;
      }
      expect(answer).not.toBeNull();
      expect(Math.abs((answer as number) - injectedErrorRate) / injectedErrorRate).toBeLessThanOrEqual(0.2);
      // The latency query works as written too: a finite p95 under the spec's 0.5 s threshold.
      expect(p95).not.toBeNull();
      expect(p95 as number).toBeGreaterThan(0);
      expect(p95 as number).toBeLessThan(0.5);
      // The anomaly rules evaluate as written; their per-service inner ratio sees the same error rate.
      await expect(prom.query(errorRateAnomaly)).resolves.toBeInstanceOf(Array);
      await expect(prom.query(latencyAnomaly)).resolves.toBeInstanceOf(Array);
      const byService = await prom.query('sum(rate(http_requests_total{code=~"5.."}[5m])) by (service) / sum(rate(http_requests_total[5m])) by (service)');
      expect(byService.map((r) => r.metric.service)).toEqual(['api']);
      expect(Math.abs(Number(byService[0]?.value[1]) - injectedErrorRate) / injectedErrorRate).toBeLessThanOrEqual(0.2);
      // The builtin provider's direct read agrees with Prometheus.
      const direct = metrics.errorRatio('api', '2.0.0', 120, Date.now());
      expect(direct.requests).toBeGreaterThan(1_000);
      expect(Math.abs((direct.value as number) - injectedErrorRate)).toBeLessThan(0.04);
    }, 90_000);
  });
} else {
  describe('a real Prometheus scraping the proxy', () => {
    it.skip(`needs Prometheus: ${prometheus.reason}`, () => {});
  });
}
