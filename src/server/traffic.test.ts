import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../testing/ports.js';
import { createTestRampart } from '../testing/rampart.js';

const demo = resolve(import.meta.dirname, '../../examples/demo-service/server.mjs');

async function waitHealthy(url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} never became healthy`);
}

describe('built-in proxy wired into rampart up', () => {
  let app: ChildProcess;
  let r: Awaited<ReturnType<typeof createTestRampart>>;
  let proxyUrl: string;

  beforeAll(async () => {
    const appPort = await freePort();
    app = spawn(process.execPath, [demo], { env: { ...process.env, PORT: String(appPort), VERSION: 'v1' }, stdio: 'ignore' });
    await waitHealthy(`http://127.0.0.1:${appPort}`);
    const proxyPort = await freePort();
    proxyUrl = `http://127.0.0.1:${proxyPort}`;
    r = await createTestRampart({ configYaml: `traffic:\n  services:\n    - service: api\n      namespace: prod\n      port: ${proxyPort}\n      stable: { version: v1, url: "http://127.0.0.1:${appPort}" }\n` });
  });
  afterAll(async () => {
    await r?.cleanup();
    app?.kill('SIGTERM');
  });

  it('serves traffic through the proxy and exposes per-version metrics at /metrics', async () => {
    for (let i = 0; i < 20; i++) expect((await fetch(`${proxyUrl}/api/items`)).status).toBe(200);
    const metrics = await (await r.request('/metrics', { token: null })).text();
    expect(metrics).toMatch(/http_requests_total\{[^}]*service="api"[^}]*version="v1"[^}]*\} 20/);
    expect(metrics).toMatch(/http_request_duration_seconds_bucket\{[^}]*service="api"/);
  });

  it('injects a time-limited fault through the API, audited, and clears it', async () => {
    const viewer = ((await (await r.request('/api/v1/tokens', { method: 'POST', body: JSON.stringify({ name: 'v', roles: ['viewer'] }) })).json()) as { token: string }).token;
    expect((await r.request('/api/v1/services/api/faults', { method: 'POST', token: viewer, body: JSON.stringify({ version: 'v1', abortShare: 1, abortStatus: 503, durationMs: 60_000 }) })).status).toBe(403);
    const bad = await r.request('/api/v1/services/api/faults', { method: 'POST', body: JSON.stringify({ version: 'v1', abortShare: 2 }) });
    expect(bad.status).toBe(400);
    const set = await r.request('/api/v1/services/api/faults', { method: 'POST', body: JSON.stringify({ version: 'v1', abortShare: 1, abortStatus: 503, durationMs: 60_000 }) });
    expect(set.status).toBe(201);
    expect((await fetch(`${proxyUrl}/api/items`)).status).toBe(503);
    expect(((await (await r.request('/api/v1/services/api/faults')).json()) as { faults: unknown[] }).faults).toHaveLength(1);
    expect((await r.request('/api/v1/services/api/faults/v1', { method: 'DELETE' })).status).toBe(200);
    expect((await fetch(`${proxyUrl}/api/items`)).status).toBe(200);
    await r.deps.audit.drain();
    const audit = (await (await r.request('/api/v1/audit?service=api')).json()) as { events: Array<{ action: string }> };
    expect(audit.events.map((e) => e.action).slice(0, 2)).toEqual(['fault.clear', 'fault.inject']);
  });
});
