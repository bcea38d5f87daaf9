import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { specAnomalyRules } from '../domain/anomaly/rules.js';
import { prng } from '../domain/anomaly/simulate.case.js';
import { createManualClock } from '../platform/clock.js';
import { createMetricsStore } from '../proxy/metrics-store.js';
import { createWorkQueue } from '../reconciler/work-queue.js';
import { openSqliteStore } from '../store/sqlite.js';
import type { Store } from '../store/types.js';
import { type AlertNotification, createAnomalyService } from './anomalies.js';

const settle = () => new Promise((r) => setImmediate(r));

describe('anomaly service on the data plane and the work queue', () => {
  let store: Store | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('a step from 0.5 % to 3 % errors opens ErrorRateAnomaly 2 minutes after it became pending, stores and notifies it, and resolves it', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rampart-anomaly-'));
    store = await openSqliteStore(join(dir, 'r.db'));
    const clock = createManualClock(Date.UTC(2026, 0, 5, 10, 0, 0));
    const metrics = createMetricsStore({ clock });
    const notified: Array<AlertNotification & { at: number }> = [];
    const anomalies = createAnomalyService({
      store, clock, metrics, services: () => ['api'], rules: specAnomalyRules, intervalMs: 15_000,
      notify: (n) => void notified.push({ ...n, at: clock.now() }),
    });
    await anomalies.start();
    // The anomaly-check template's reading: nothing evaluated yet is no verdict, not "no alert".
    expect(await anomalies.openAlerts('api')).toMatchObject({ state: 'unjudged', firing: 0, explanation: expect.stringContaining('ErrorRateAnomaly: not evaluated yet') });
    const queue = createWorkQueue(clock, () => anomalies.evaluate());
    queue.enqueue('anomaly:evaluate', 0);
    let readingWhileFiring: Awaited<ReturnType<typeof anomalies.openAlerts>> | undefined;

    const rand = prng(42);
    const series = metrics.series('api', 'v1');
    const start = clock.now();
    let errorRatio = 0.005;
    let pendingAt: number | undefined;
    const stepAt = start + 70 * 60_000;
    const recoverAt = stepAt + 10 * 60_000;
    while (clock.now() < recoverAt + 5 * 60_000) {
      if (clock.now() >= stepAt) errorRatio = clock.now() >= recoverAt ? 0.005 : 0.03;
      for (let i = 0; i < 10; i++) series.record(rand() < errorRatio ? 503 : 200, 0.02 + rand() * 0.06, clock.now());
      clock.advance(1000);
      await settle();
      const s = anomalies.status().find((x) => x.rule === 'ErrorRateAnomaly');
      if (pendingAt === undefined && s?.phase === 'pending') pendingAt = clock.now();
      // Never fires before the condition has held for the whole `for` period.
      if (pendingAt === undefined || clock.now() - pendingAt < 120_000) expect(notified).toEqual([]);
      if (!readingWhileFiring && notified.length === 1) readingWhileFiring = await anomalies.openAlerts('api');
    }
    await queue.stop();

    expect(pendingAt).toBeGreaterThanOrEqual(stepAt);
    const firing = notified.find((n) => n.transition === 'firing');
    expect(firing?.alert.rule).toBe('ErrorRateAnomaly');
    // Evaluations every 15 s: the first one at or after pending + 2 m fires it.
    expect(firing!.at - pendingAt!).toBeGreaterThanOrEqual(120_000);
    expect(firing!.at - pendingAt!).toBeLessThan(120_000 + 15_000 + 1000);
    expect(firing!.alert.summary).toMatch(/^ErrorRateAnomaly for api: error ratio [\d.]+% over 5m is above 3x its 60m average/);
    expect(notified.filter((n) => n.alert.rule === 'LatencyAnomaly')).toEqual([]);

    const stored = await anomalies.list({ limit: 10 });
    expect(stored).toHaveLength(1);
    // Back at 0.5 % for 5 minutes: the condition cleared and the alert was resolved.
    expect(stored[0]?.state).toBe('resolved');
    expect(notified.map((n) => n.transition)).toEqual(['firing', 'resolved']);
    expect(readingWhileFiring).toMatchObject({ state: 'judged', firing: 1, explanation: expect.stringMatching(/^1 open anomaly alert\(s\) for api: ErrorRateAnomaly for api/) });
    expect(await anomalies.openAlerts('api')).toMatchObject({ state: 'judged', firing: 0 });
  });

  it('a restart reloads a firing alert so it can still be resolved', async () => {
    dir = mkdtempSync(join(tmpdir(), 'rampart-anomaly-'));
    store = await openSqliteStore(join(dir, 'r.db'));
    const clock = createManualClock();
    await store.alerts.insert({ id: 'al_1', service: 'api', rule: 'ErrorRateAnomaly', severity: 'warning', state: 'firing', openedAt: new Date(clock.now()).toISOString(), resolvedAt: null, summary: 's', detail: {} });
    const anomalies = createAnomalyService({ store, clock, metrics: createMetricsStore({ clock }), services: () => ['api'], rules: specAnomalyRules, intervalMs: 15_000 });
    await anomalies.start();
    expect(anomalies.status()[0]?.phase).toBe('firing');
    // No traffic after the restart: no verdict, so the condition is gone and the alert resolves.
    await anomalies.evaluate();
    expect((await anomalies.list({ state: 'firing', limit: 10 }))).toEqual([]);
    expect((await anomalies.list({ limit: 10 }))[0]?.detail.resolved).toMatchObject({ verdict: 'insufficient-traffic' });
  });
});
