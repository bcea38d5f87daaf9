import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { loadRolloutSpecs } from '../config/rollout/index.js';
import { createManualClock } from '../platform/clock.js';
import { createEventBus } from '../platform/event-bus.js';
import { createSilentLogger } from '../platform/logger.js';
import { ROLLUP_LE_COLUMNS } from '../store/rollup-columns.js';
import { openSqliteStore } from '../store/sqlite.js';
import type { Store } from '../store/types.js';
import type { AnalysisRunService } from './analysis-runs.js';
import { createAuditLog } from './audit-log.js';
import { createBudgetService } from './budgets.js';
import { createRollupCounts } from './budgets-rollups.js';
import type { ReleaseService } from './releases.js';
import { createRolloutService } from './rollouts.js';

const T0 = Date.UTC(2030, 5, 1, 10, 0, 0);
const MIN = 60_000;

/**
 * The spec's cautious band (20–50 % of the budget left) doubles observation periods: measured
 * counts in the store → budget band → the rollout's pause. Three services differ only in their
 * error counts: 80 % left (normal) keeps a 60 s pause at 60 s; 35 % (cautious) and 10 % left
 * (protected) make it 120 s.
 */
describe('the budget band paces rollouts', () => {
  let dir: string;
  let store: Store;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rampart-pauses-'));
    store = await openSqliteStore(join(dir, 'rampart.db'));
    // 100,000 requests over the last 100 minutes; a 99 % SLO allows 1,000 errors.
    const minutes = (service: string, errors: (i: number) => number) => Array.from({ length: 100 }, (_, i) => ({
      service, version: 'v1', startMs: T0 - (100 - i) * MIN, requests: 1000, errors: errors(i), le: ROLLUP_LE_COLUMNS.map(() => 1000),
    }));
    // 200 errors (20 % of the budget spent), 650 (65 % spent) and 900 (90 % spent).
    await store.rollups.writeMinutes([...minutes('calm', () => 2), ...minutes('strained', (i) => (i < 50 ? 7 : 6)), ...minutes('tight', () => 9)]);
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['calm', 80, 'normal', 60_000],
    ['strained', 35, 'cautious', 120_000],
    ['tight', 10, 'protected', 120_000],
  ])('%s: %s percent left, band %s, a 60 s pause lasts %s ms', async (service, remaining, band, pauseMs) => {
    const cfg = parseConfig(`services:\n  - name: ${service}\n    tier: 2\n    slo: { availability: { target: 99 }, window: 30d }\n`);
    if (!cfg.ok) throw new Error('config');
    const clock = createManualClock(T0 + 5_000);
    const budgets = createBudgetService(cfg.config, clock, createRollupCounts(store.rollups));
    expect(await budgets.forService(service)).toMatchObject({ remainingPct: remaining, band });
    const rollouts = createRolloutService({
      store, audit: createAuditLog(store, clock), clock, logger: createSilentLogger(), config: cfg.config, events: createEventBus(),
      traffic: {
        has: () => true, stable: () => ({ version: 'v1', url: 'http://127.0.0.1:9' }),
        setUpstreams: async () => undefined, setWeight: () => undefined, setHeaderRoute: () => undefined, setMirror: () => undefined,
      },
      versions: { start: async () => 'http://127.0.0.1:9', stop: async () => undefined, healthy: async () => true },
      analysis: {} as AnalysisRunService,
      releases: { get: async (id: string) => ({ id, service, version: 'v2', allow: true }) } as unknown as ReleaseService,
      enqueue: () => undefined,
      band: async (s) => (await budgets.forService(s)).band,
    });
    const spec = loadRolloutSpecs('strategy:\n  canary:\n    steps:\n      - setWeight: 10\n      - pause: { duration: 60 }\n      - setWeight: 100\n', 's').rollouts[0]!.spec;
    const { id } = await rollouts.setVersion(service, 'v2', { actor: 'test' }, { releaseId: `rel_${service}`, spec });
    for (let i = 0; i < 10 && !(await rollouts.status(service)).status.pause; i++) await rollouts.reconcile(id);
    const pause = (await rollouts.status(service)).status.pause!;
    expect(pause.until! - pause.startedAt).toBe(pauseMs);
  });
});
