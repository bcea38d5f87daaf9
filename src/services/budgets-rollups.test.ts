import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { parseConfig } from '../config/load.js';
import { type Rampart, createRampart } from '../main.js';
import { createManualClock } from '../platform/clock.js';
import { createSilentLogger } from '../platform/logger.js';
import { createMetricsStore } from '../proxy/metrics-store.js';
import { DEFAULT_LATENCY_BUCKETS } from '../proxy/version-series.js';
import { ROLLUP_LE_COLUMNS } from '../store/rollup-columns.js';
import { openSqliteStore } from '../store/sqlite.js';
import type { Store } from '../store/types.js';
import { startTestServer } from '../testing/http-test-server.js';
import { freePort } from '../testing/ports.js';
import { testAdminToken } from '../testing/rampart.js';
import { createBudgetService } from './budgets.js';
import { createRollupCounts, createRollupWriter } from './budgets-rollups.js';

const T0 = Date.UTC(2030, 5, 1, 10, 0, 0);
const MIN = 60_000;

describe('rollup writer and store-backed budgets', () => {
  let dir: string;
  let store: Store;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rampart-rollups-'));
  });
  afterEach(async () => {
    await store?.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const catalog = 'services:\n  - name: api\n    tier: 1\n    slo: { availability: { target: 99 }, latency: { thresholdMs: 250, target: 90 }, window: 30d }\n';

  it('writes completed minutes only, once each, and budgets read them back exactly', async () => {
    store = await openSqliteStore(join(dir, 'a.db'));
    const clock = createManualClock(T0 + 5_000);
    const metrics = createMetricsStore({ clock });
    const writer = createRollupWriter({ store, clock, metrics, services: () => ['api'], bounds: DEFAULT_LATENCY_BUCKETS });
    const v1 = metrics.series('api', 'v1');
    // Minute 10:00: 200 requests, 4 are 5xx, 20 slower than 250 ms. Minute 10:01: 100 fine ones (v2).
    for (let i = 0; i < 200; i++) v1.record(i < 4 ? 503 : 200, i < 20 ? 0.3 : 0.1, T0 + 10_000 + i);
    expect(await writer.flush()).toBe(T0 + MIN + 1000 - clock.now());
    expect(await store.rollups.sumSegments('minute', [T0, T0 + 10 * MIN])).toEqual(new Map());
    clock.set(T0 + MIN + 1000);
    for (let i = 0; i < 100; i++) metrics.series('api', 'v2').record(200, 0.01, T0 + MIN + 1_500 + i);
    await writer.flush();
    clock.set(T0 + 2 * MIN + 1000);
    await writer.flush();
    await writer.flush();
    const minutes = (await store.rollups.sumSegments('minute', [T0, T0 + MIN, T0 + 2 * MIN], { le: ['le_250ms'] })).get('api');
    expect(minutes).toEqual([
      { requests: 200, errors: 4, samples: 1, le: { le_250ms: 180 } },
      { requests: 100, errors: 0, samples: 1, le: { le_250ms: 100 } },
    ]);

    const cfg = parseConfig(catalog);
    if (!cfg.ok) throw new Error('config');
    const view = await createBudgetService(cfg.config, clock, createRollupCounts(store.rollups)).forService('api');
    const availability = view.slos.find((s) => s.slo === 'availability')!;
    const latency = view.slos.find((s) => s.slo === 'latency')!;
    // 4 errors in 300 requests against a 1 % budget: 1 − (4/300)/0.01 = −33.3 %; latency 20/300 against 10 %: 33.3 %.
    expect(availability).toMatchObject({ state: 'measured', remainingPct: -33.333, band: 'exhausted' });
    expect(latency).toMatchObject({ state: 'measured', remainingPct: 33.333, band: 'cautious' });
    expect(availability.burn.find((b) => b.window === '5m')).toEqual({ window: '5m', state: 'measured', rate: 1.333 });
    expect(view).toMatchObject({ band: 'exhausted', remainingPct: -33.333 });
  });

  it('draws the burndown through the period: each point is what [start, instant] left, the last one is the status', async () => {
    store = await openSqliteStore(join(dir, 'burndown.db'));
    const cfg = parseConfig('services:\n  - name: api\n    tier: 2\n    slo: { availability: { target: 99 }, window: 7d }\n');
    if (!cfg.ok) throw new Error('config');
    const DAY = 86_400_000;
    // Seven days of 60,000 requests an hour (one minute row each): days 1–3 clean, then 0.5 % errors from day 4 on.
    const hours = Array.from({ length: 7 * 24 }, (_, h) => ({
      service: 'api', version: 'v1', startMs: T0 - 7 * DAY + h * 3_600_000, requests: 60_000, errors: h >= 3 * 24 ? 300 : 0, le: ROLLUP_LE_COLUMNS.map(() => 60_000),
    }));
    await store.rollups.writeMinutes(hours);
    const budgets = createBudgetService(cfg.config, createManualClock(T0), createRollupCounts(store.rollups));
    const { slos } = await budgets.burndown('api', 7);
    expect(slos).toHaveLength(1);
    const points = slos[0]!.points;
    expect(points.map((p) => p.at)).toEqual(Array.from({ length: 7 }, (_, i) => new Date(T0 - 7 * DAY + (i + 1) * DAY).toISOString()));
    // Days 1–3 clean: 100 % left; after day d > 3: (d − 3) days at 0.5 % errors over d days, against a 1 % budget.
    expect(points.map((p) => p.remainingPct)).toEqual([100, 100, 100, 87.5, 80, 75, 71.429]);
    expect(points[6]!.requests).toBe(7 * 24 * 60_000);
    expect((await budgets.forService('api')).slos[0]!.remainingPct).toBe(points[6]!.remainingPct);
  });

  it('says why a latency threshold off the proxy buckets, or a service not behind the proxy, cannot be measured', async () => {
    store = await openSqliteStore(join(dir, 'b.db'));
    const cfg = parseConfig('services:\n  - name: api\n    tier: 2\n    slo: { availability: { target: 99 }, latency: { thresholdMs: 300, target: 90 } }\n');
    if (!cfg.ok) throw new Error('config');
    const clock = createManualClock(T0);
    const fronted = await createBudgetService(cfg.config, clock, createRollupCounts(store.rollups, () => true)).forService('api');
    expect(fronted.slos.find((s) => s.slo === 'availability')).toMatchObject({ state: 'no-data' });
    expect(fronted.slos.find((s) => s.slo === 'latency')).toMatchObject({ state: 'error', errors: [expect.stringMatching(/300 ms is not a bucket/)] });
    expect(fronted.band).toBeUndefined();
    const elsewhere = await createBudgetService(cfg.config, clock, createRollupCounts(store.rollups, () => false)).forService('api');
    expect(elsewhere.slos[0]).toMatchObject({ state: 'error', errors: [expect.stringMatching(/not behind the built-in proxy.*slo\.prometheusUrl/)] });
  });

  it('prunes rows past 35 days', async () => {
    store = await openSqliteStore(join(dir, 'c.db'));
    const le = DEFAULT_LATENCY_BUCKETS.map(() => 1);
    await store.rollups.writeMinutes([{ service: 'api', version: 'v1', startMs: T0, requests: 1, errors: 0, le }]);
    const clock = createManualClock(T0 + 35 * 86_400_000 + 65 * MIN);
    await createRollupWriter({ store, clock, metrics: createMetricsStore({ clock }), services: () => [], bounds: DEFAULT_LATENCY_BUCKETS }).flush();
    expect(await store.rollups.sumSegments('hour', [T0, T0 + 3_600_000])).toEqual(new Map());
  });
});

/**
 * A whole Rampart with the built-in proxy in front of a test server: requests go through the
 * proxy, a minute passes on the manual clock, Rampart stops, a new Rampart starts on the same data
 * directory two hours later and still sees those minutes in the budget.
 */
describe('budgets survive a restart', () => {
  let upstream: Awaited<ReturnType<typeof startTestServer>>;
  let dir: string;
  const running: Rampart[] = [];
  beforeAll(async () => {
    upstream = await startTestServer((req, _body, res) => {
      res.writeHead(req.url === '/fail' ? 500 : 200);
      res.end('ok');
    });
    dir = mkdtempSync(join(tmpdir(), 'rampart-restart-'));
  });
  afterAll(async () => {
    for (const r of running) await r.close();
    await upstream?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads the earlier minutes from the store after a restart', async () => {
    const port = await freePort();
    const configYaml = [
      'services:', '  - name: api', '    tier: 1', '    slo: { availability: { target: 99 }, window: 30d }',
      'traffic:', '  services:', '    - service: api', `      port: ${port}`, `      stable: { version: v1, url: "${upstream.url}" }`, '',
    ].join('\n');
    const configFile = join(dir, 'rampart.yaml');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(configFile, configYaml);
    const clock = createManualClock(T0 + 1000);
    const start = async () => {
      const r = await createRampart({ configFile, env: { adminToken: testAdminToken }, dataDir: dir, clock, logger: createSilentLogger() });
      running.push(r);
      return r;
    };
    const budgetOf = async (r: Rampart) => {
      const res = await r.app.request('/api/v1/services/api/budget', { headers: { authorization: `Bearer ${testAdminToken}` } });
      expect(res.status).toBe(200);
      return res.json() as Promise<{ remainingPct?: number; band?: string; slos: Array<{ state: string; burn: Array<{ window: string; state: string }> }> }>;
    };

    const first = await start();
    // 400 requests through the proxy, 1 of them a 500: 0.25 % errors against a 1 % budget.
    for (let i = 0; i < 400; i++) {
      const res = await fetch(`http://127.0.0.1:${port}/${i === 0 ? 'fail' : 'ok'}`);
      await res.arrayBuffer();
    }
    // Manual time moves a second per poll until the flush of minute 10:00 has run.
    await vi.waitFor(async () => {
      clock.advance(1000);
      expect((await budgetOf(first)).remainingPct).toBe(75);
    }, { timeout: 10_000 });
    await first.close();
    running.pop();

    clock.advance(2 * 3_600_000);
    const second = await start();
    const after = await budgetOf(second);
    expect(after).toMatchObject({ remainingPct: 75, band: 'normal' });
    // Two hours on, the short windows hold no minutes; the period still holds the earlier ones.
    expect(after.slos[0]!.burn.find((b) => b.window === '5m')).toMatchObject({ state: 'no-data' });
    expect(after.slos[0]!.burn.find((b) => b.window === '1d')).toMatchObject({ state: 'measured' });
  });
});
