import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManualClock } from '../platform/clock.js';
import { freePort } from '../testing/ports.js';
import { createTestRampart } from '../testing/rampart.js';

describe('service health API', () => {
  let r: Awaited<ReturnType<typeof createTestRampart>>;
  let proxyUrl: string;

  beforeAll(async () => {
    const proxyPort = await freePort();
    const deadPort = await freePort();
    proxyUrl = `http://127.0.0.1:${proxyPort}`;
    // The upstream is not listening: every request through the proxy is a 502, a 5xx.
    r = await createTestRampart({ configYaml: `traffic:\n  services:\n    - service: api\n      port: ${proxyPort}\n      stable: { version: v1, url: "http://127.0.0.1:${deadPort}" }\n` });
  });
  afterAll(async () => {
    await r?.cleanup();
  });

  it('a service without traffic is unknown, with the reasons', async () => {
    const res = await r.request('/api/v1/services/copilot/health');
    expect(res.status).toBe(200);
    const body = await res.json() as { status: string; reasons: string[]; tier: number };
    expect(body.status).toBe('unknown');
    expect(body.tier).toBe(1);
    expect(body.reasons).toHaveLength(5);
  });

  it('5xx through the built-in proxy make the service critical', async () => {
    for (let i = 0; i < 10; i++) expect((await fetch(`${proxyUrl}/x`)).status).toBeGreaterThanOrEqual(500);
    const body = await (await r.request('/api/v1/services/api/health')).json() as { status: string; reasons: string[] };
    expect(body.status).toBe('critical');
    expect(body.reasons[0]).toMatch(/^error rate \(5xx\) 100% is above the critical bound 5%/);
  });

  it('lists every concrete catalog service, and answers 404 for an unknown one', async () => {
    const all = await (await r.request('/api/v1/service-health')).json() as { services: Array<{ service: string }> };
    expect(all.services.map((s) => s.service)).toContain('api');
    expect(all.services.some((s) => s.service.includes('*'))).toBe(false);
    expect((await r.request('/api/v1/services/nope/health')).status).toBe(404);
    expect((await r.request('/api/v1/services/api/health', { token: null })).status).toBe(401);
  });

  it('GET /api/v1/alerts lists stored alerts newest first and validates its query', async () => {
    await r.deps.store.alerts.insert({ id: 'al_a', service: 'api', rule: 'LatencyAnomaly', severity: 'warning', state: 'resolved', openedAt: '2026-01-05T09:00:00.000Z', resolvedAt: '2026-01-05T09:10:00.000Z', summary: 'old', detail: {} });
    await r.deps.store.alerts.insert({ id: 'al_b', service: 'api', rule: 'ErrorRateAnomaly', severity: 'warning', state: 'firing', openedAt: '2026-01-05T10:00:00.000Z', resolvedAt: null, summary: 'new', detail: {} });
    const all = await (await r.request('/api/v1/alerts')).json() as { alerts: Array<{ id: string }>; rules: unknown[] };
    expect(all.alerts.map((a) => a.id)).toEqual(['al_b', 'al_a']);
    const firing = await (await r.request('/api/v1/alerts?state=firing')).json() as { alerts: Array<{ id: string }> };
    expect(firing.alerts.map((a) => a.id)).toEqual(['al_b']);
    expect((await r.request('/api/v1/alerts?state=open')).status).toBe(400);
  });

  it('POST /api/v1/services/:name/resilience-probe validates its body and needs a role', async () => {
    const bad = await r.request('/api/v1/services/api/resilience-probe', { method: 'POST', body: JSON.stringify({ version: 'v1' }) });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/^url: /);
    expect((await r.request('/api/v1/services/api/resilience-probe', { method: 'POST', body: '{}', token: null })).status).toBe(401);
  });

  it.runIf(existsSync('/proc/self/stat'))('CPU and memory of a tracked version feed health and /metrics', async () => {
    r.saturation.track('copilot', 'v1', process.pid);
    r.saturation.sample();
    (r.deps.clock as ManualClock).advance(1000);
    r.saturation.sample();
    const body = await (await r.request('/api/v1/services/copilot/health')).json() as { metrics: Array<{ metric: string; value: number | null }> };
    expect(body.metrics.find((m) => m.metric === 'memory')?.value).toBeGreaterThan(0);
    expect(body.metrics.find((m) => m.metric === 'cpu')?.value).not.toBeNull();
    expect(await (await r.request('/metrics')).text()).toMatch(/^process_memory_ratio\{service="copilot",version="v1"\} [\d.e-]+$/m);
  });
});
