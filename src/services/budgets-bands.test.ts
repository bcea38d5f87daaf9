import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../platform/clock.js';
import { openSqliteStore } from '../store/sqlite.js';
import type { Store } from '../store/types.js';
import { createAuditLog } from './audit-log.js';
import { BAND_ACTOR, createBandWatcher } from './budgets-bands.js';
import type { ServiceBudgetView } from './budgets.js';
import type { NotificationInput } from './notifications.js';

const view = (band: string | undefined, remainingPct?: number): ServiceBudgetView => ({
  service: 'api', tier: 1, slos: [], unmeasured: [], ...(band ? { band } : {}), ...(remainingPct !== undefined ? { remainingPct } : {}),
});

describe('budget band changes', () => {
  let dir: string;
  let store: Store;
  const notified: NotificationInput[] = [];
  let kicks = 0;
  const clock = createManualClock(Date.UTC(2030, 0, 1));
  const watcher = () => createBandWatcher({
    store, audit: createAuditLog(store, clock), clock, budgets: async () => [],
    enqueue: async (e, trx) => {
      // Written in the audit event's transaction: a row proves the transaction was real.
      await store.outbox.insert([{ id: `obx_${notified.length}`, notifier: 'test', eventType: e.type, event: JSON.stringify(e), state: 'pending', attempts: 0, nextAt: 0, lastError: null, createdAt: 'x', deliveredAt: null }], trx);
      notified.push(e);
    },
    kick: () => void kicks++,
  });
  const events = async () => (await store.audit.list({ action: 'budget.band-changed', limit: 100 })).reverse()
    .map((e) => ({ actor: e.actor, service: e.service, ...(JSON.parse(e.payload) as object) }));

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'rampart-bands-'));
    store = await openSqliteStore(join(dir, 'rampart.db'));
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('audits and notifies each change once, never each evaluation, and remembers across a restart', async () => {
    const w = watcher();
    // The first band ever seen is recorded; a normal one has nothing to tell anyone.
    expect(await w.check([view('normal', 80)])).toEqual([{ service: 'api', from: null, to: 'normal', remainingPct: 80 }]);
    expect(notified).toEqual([]);
    expect(await w.check([view('normal', 79)])).toEqual([]);
    expect(await w.check([view('cautious', 45)])).toHaveLength(1);
    expect(await w.check([view('cautious', 44)])).toEqual([]);
    // No data is not a change: the last band stands.
    expect(await w.check([view(undefined)])).toEqual([]);
    // A restarted Rampart (a new watcher on the same store) does not announce the band again.
    const again = watcher();
    expect(await again.check([view('cautious', 40)])).toEqual([]);
    expect(await again.check([view('protected', 12.5)])).toEqual([{ service: 'api', from: 'cautious', to: 'protected', remainingPct: 12.5 }]);

    expect(await events()).toEqual([
      { actor: BAND_ACTOR, service: 'api', from: null, to: 'normal', remainingPct: 80 },
      { actor: BAND_ACTOR, service: 'api', from: 'normal', to: 'cautious', remainingPct: 45 },
      { actor: BAND_ACTOR, service: 'api', from: 'cautious', to: 'protected', remainingPct: 12.5 },
    ]);
    expect(notified.map((n) => [n.type, n.reason])).toEqual([
      ['budget.band-changed', 'error budget 45% remaining: band normal → cautious'],
      ['budget.band-changed', 'error budget 12.5% remaining: band cautious → protected'],
    ]);
    expect((await store.outbox.list({ limit: 10 })).map((r) => r.eventType)).toEqual(['budget.band-changed', 'budget.band-changed']);
    expect(kicks).toBe(3);
    expect(await store.budgetBands.all()).toEqual([{ service: 'api', band: 'protected', remainingPct: 12.5, changedAt: '2030-01-01T00:00:00.000Z' }]);
  });

  it('evaluates every service through the budget service and asks to run again', async () => {
    const w = createBandWatcher({
      store, audit: createAuditLog(store, clock), clock, intervalMs: 30_000,
      budgets: async () => [{ ...view('exhausted', -3), service: 'web' }],
      enqueue: async (e) => void notified.push(e), kick: () => undefined,
    });
    expect(await w.evaluate()).toBe(30_000);
    expect(notified.at(-1)).toMatchObject({ service: 'web', data: { from: null, to: 'exhausted', remainingPct: -3 } });
  });
});
