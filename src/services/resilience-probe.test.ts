import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../platform/clock.js';
import { type DataPlane, createDataPlane } from '../proxy/index.js';
import { openSqliteStore } from '../store/sqlite.js';
import type { Store } from '../store/types.js';
import { freePort } from '../testing/ports.js';
import { createAuditLog } from './audit-log.js';
import { createResilienceProbe, resilienceProbeReading } from './resilience-probe.js';
import { type FaultPort, createTrafficService } from './traffic.js';

const demo = resolve(import.meta.dirname, '../../examples/demo-service/server.mjs');

async function startDemo(): Promise<{ url: string; proc: ChildProcess }> {
  const port = await freePort();
  // A long reset keeps an opened breaker open until the probe reads it.
  const proc = spawn(process.execPath, [demo], { env: { ...process.env, PORT: String(port), VERSION: 'v2', BREAKER_RESET_MS: '60000' }, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${url}/health`)).ok) return { url, proc };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('demo never became healthy');
}

/** Canary traffic through the proxy until `stop` is set: the probe judges a service under load. */
function load(proxyUrl: string, state: { stop: boolean }): Promise<void> {
  const loop = async (path: string) => {
    while (!state.stop) await fetch(`${proxyUrl}${path}`).then((r) => r.arrayBuffer(), () => undefined);
  };
  return Promise.all(['/api/items', '/api/items', '/api/search?q=1', '/api/search?q=2'].map(loop)).then(() => undefined);
}

describe('chaos-lite resilience probe with real processes', () => {
  let dataPlane: DataPlane;
  let store: Store;
  let dir: string;
  const apps: Array<{ url: string; proc: ChildProcess }> = [];
  const proxies: Record<string, string> = {};

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rampart-probe-'));
    store = await openSqliteStore(join(dir, 'r.db'));
    dataPlane = createDataPlane({ clock: systemClock });
    for (const service of ['api', 'copilot']) {
      const app = await startDemo();
      apps.push(app);
      const port = await freePort();
      const added = await dataPlane.addService({ service, namespace: 'default', host: '127.0.0.1', port, stable: { version: 'v2', url: app.url } });
      expect(added.ok).toBe(true);
      proxies[service] = `http://127.0.0.1:${port}`;
    }
  });
  afterAll(async () => {
    await dataPlane?.close(0);
    await store?.close();
    for (const a of apps) a.proc.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  const probeWith = async (service: string, latencyMs: number) => {
    const traffic = createTrafficService(dataPlane.faults as unknown as FaultPort, createAuditLog(store, systemClock), systemClock);
    const probe = createResilienceProbe({ traffic, clock: systemClock });
    const state = { stop: false };
    const running = load(proxies[service]!, state);
    try {
      return await probe({ service, version: 'v2', url: apps[service === 'api' ? 0 : 1]!.url, latencyMs, waitSeconds: 2 }, { actor: 'test' });
    } finally {
      state.stop = true;
      await running;
    }
  };

  it('500 ms toward the dependency opens the breakers: the probe fails, and the fault is gone afterwards', async () => {
    const r = await probeWith('api', 500);
    expect(r.phase).toBe('Failed');
    expect(r.value).toBe(0);
    expect(r.explanation).toMatch(/^after 500ms latency for 2s: circuit breakers? .*inventory is open/);
    expect(r.faultCleared).toBe(true);
    expect(dataPlane.faults.list()).toEqual([]);
    const started = performance.now();
    expect((await fetch(`${proxies.api}/health`)).status).toBe(200);
    expect(performance.now() - started).toBeLessThan(400);
  }, 20_000);

  it('latency under the breaker timeout keeps them closed: the probe passes', async () => {
    const r = await probeWith('copilot', 50);
    expect(r.phase).toBe('Successful');
    expect(r.breakers.map((b) => b.state)).toEqual(['closed', 'closed']);
    expect(dataPlane.faults.list()).toEqual([]);
  }, 20_000);

  it('an unreachable /health/detailed is inconclusive, never a pass, and still removes the fault', async () => {
    const traffic = createTrafficService(dataPlane.faults as unknown as FaultPort, createAuditLog(store, systemClock), systemClock);
    const r = await createResilienceProbe({ traffic, clock: systemClock })({ service: 'api', version: 'v2', url: `http://127.0.0.1:${await freePort()}`, waitSeconds: 0.1 }, { actor: 'test' });
    expect(r.phase).toBe('Inconclusive');
    expect(r.value).toBeNull();
    expect(dataPlane.faults.list()).toEqual([]);
  });

  it('the fault is time-limited: left behind (Rampart killed mid-probe), it expires by itself', async () => {
    const traffic = createTrafficService(dataPlane.faults as unknown as FaultPort, createAuditLog(store, systemClock), systemClock);
    await traffic.inject('copilot', 'v2', { latencyMs: 500, latencyShare: 1, durationMs: 300 }, { actor: 'test' });
    expect(dataPlane.faults.list()).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 500));
    expect(dataPlane.faults.list()).toEqual([]);
  });
});

describe('the resilience-probe reading (builtin metric) across a crash', () => {
  it('probes once per call; a probe cut short by a crash is not re-applied when its analysis resumes, and the next one runs', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rampart-probe-reading-'));
    const store = await openSqliteStore(join(dir, 'r.db'));
    try {
      const audit = createAuditLog(store, systemClock);
      const injected: string[] = [];
      const traffic = {
        inject: async (service: string, version: string) => void injected.push(`${service} ${version}`),
        clear: async (service: string, version: string) => ({ service, version, cleared: true }),
      };
      const probe = createResilienceProbe({ traffic: traffic as never, clock: systemClock, audit });
      const closedPort = await freePort();
      const targets = () => [{ version: 'v2', url: `http://127.0.0.1:${closedPort}` }];
      const reading = resilienceProbeReading(probe, targets, audit);

      // A probe Rampart started before it was killed: a start, no end.
      await audit.record({ actor: 'auto-controller', action: 'resilience-probe.start', subject: { kind: 'service', id: 'api' }, service: 'api', payload: { version: 'v2', faultExpiresAt: '2026-01-05T10:00:25.000Z' } });
      const resumed = await reading('api', 'v2', 0.05);
      expect(resumed.value).toBeNull();
      expect(resumed.explanation).toMatch(/was cut short .*\(it would have expired at 2026-01-05T10:00:25.000Z\) and is not re-applied$/);
      expect(injected).toEqual([]);

      // The interruption is recorded: the next probe injects and reads (here: no /health/detailed, so no verdict).
      const next = await reading('api', 'v2', 0.05);
      expect(injected).toEqual(['api v2']);
      expect(next).toMatchObject({ value: null, explanation: expect.stringMatching(/\/health\/detailed failed: ECONNREFUSED; fault removed$/) });
      const actions = (await audit.list({ service: 'api', limit: 10 })).map((e) => e.action).reverse();
      expect(actions).toEqual(['resilience-probe.start', 'resilience-probe.end', 'resilience-probe.start', 'resilience-probe.end']);
      expect(await reading('api', 'v9', 1)).toEqual({ value: null, explanation: "api v9 is not behind Rampart's proxy: nothing to inject latency into" });
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
