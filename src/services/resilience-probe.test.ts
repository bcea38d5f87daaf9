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
import { createResilienceProbe } from './resilience-probe.js';
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
