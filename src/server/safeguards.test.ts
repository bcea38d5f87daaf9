import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
});
