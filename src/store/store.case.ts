import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createChainVerifier, sealEvent } from '../domain/audit/chain.js';
import { approveException, requestException } from '../domain/exceptions/transitions.js';
import { resolveExceptionsConfig } from '../domain/exceptions/types.js';
import { createManualClock } from '../platform/clock.js';
import { createAuditLog, verifyAuditChain } from '../services/audit-log.js';
import { ROLLUP_LE_COLUMNS } from './rollup-columns.js';
import type { Store } from './types.js';

/**
 * The store contract: every dialect runs this same suite. `open` returns a store on a fresh,
 * empty database; `openAgain` a second store on that same database (another process, in effect).
 */
export function storeContract(name: string, setup: () => Promise<{ open: () => Promise<Store>; cleanup: () => Promise<void> }>) {
  describe(`store contract: ${name}`, () => {
    let open: () => Promise<Store>;
    let cleanup: () => Promise<void>;
    let store: Store;

    beforeAll(async () => {
      ({ open, cleanup } = await setup());
      store = await open();
    });
    afterAll(async () => {
      await store?.close();
      await cleanup?.();
    });

    it('answers a ping and migrates idempotently', async () => {
      await store.ping();
      const again = await open();
      await again.ping();
      await again.close();
    });

    it('appends a batch in seq order and moves the head with it', async () => {
      const before = (await store.audit.head())?.seq ?? 0;
      const entries = [1, 2, 3].map((i) => ({ actor: 'a', action: 'x.y', subject: { kind: 'k', id: String(i) }, service: 'api', payload: { i } }));
      const sealed = await store.audit.appendBatch(entries, (e, prev) => sealEvent(e, prev, `evt_batch_${e.subject.id}`, Date.UTC(2026, 0, 1)));
      expect(sealed.map((e) => e.seq)).toEqual([before + 1, before + 2, before + 3]);
      expect(await store.audit.head()).toEqual({ seq: before + 3, hash: sealed[2]!.hash });
      const page = await store.audit.page(before, 10);
      expect(page).toEqual(sealed);
    });

    it('rolls back the change and the event together when the change fails', async () => {
      const head = await store.audit.head();
      const count = await store.audit.count();
      await expect(store.audit.appendBatch(
        [{ actor: 'a', action: 'token.create', subject: { kind: 'token', id: 'tok_rollback' } }],
        (e, prev) => sealEvent(e, prev, 'evt_rollback', 0),
        async (_e, trx) => {
          await store.tokens.insert({ id: 'tok_rollback', name: 'r', tokenHash: 'h-rollback', prefix: 'rpt_', roles: ['viewer'], createdAt: 'x', createdBy: 'a', revokedAt: null }, trx);
          throw new Error('change failed');
        },
      )).rejects.toThrow('change failed');
      expect(await store.audit.head()).toEqual(head);
      expect(await store.audit.count()).toBe(count);
      expect(await store.tokens.get('tok_rollback')).toBeUndefined();
    });

    it('keeps one chain under 200 concurrent records from two writers', async () => {
      const clock = createManualClock();
      const other = await open();
      const logA = createAuditLog(store, clock);
      const logB = createAuditLog(other, clock);
      const results = await Promise.all(Array.from({ length: 200 }, (_, i) =>
        (i % 2 ? logA : logB).record({ actor: `w${i % 2}`, action: 'test.concurrent', subject: { kind: 'n', id: String(i) }, payload: { i } })));
      await other.close();
      const seqs = results.map((e) => e.seq).sort((a, b) => a - b);
      expect(new Set(seqs).size).toBe(200);
      const report = await verifyAuditChain(store, undefined, 37);
      expect(report).toMatchObject({ ok: true });
      expect(report.checked).toBe((await store.audit.head())?.seq);
    });

    it('filters the audit list newest first', async () => {
      const log = createAuditLog(store, createManualClock(Date.UTC(2030, 0, 1)));
      await log.record({ actor: 'alice', action: 'flag.set', subject: { kind: 'flag', id: 'f' }, service: 'copilot' });
      await log.record({ actor: 'bob', action: 'flag.set', subject: { kind: 'flag', id: 'g' }, service: 'copilot' });
      const bySvc = await store.audit.list({ service: 'copilot', limit: 10 });
      expect(bySvc.map((e) => e.actor)).toEqual(['bob', 'alice']);
      expect((await store.audit.list({ actor: 'alice', limit: 10 })).map((e) => e.subjectId)).toEqual(['f']);
      expect((await store.audit.list({ action: 'flag.set', since: '2030-01-01T00:00:00.000Z', limit: 1 }))).toHaveLength(1);
      const newest = bySvc[0]!;
      expect((await store.audit.list({ service: 'copilot', beforeSeq: newest.seq, limit: 10 })).map((e) => e.actor)).toEqual(['alice']);
    });

    it('stores tokens by hash and revokes once', async () => {
      const t = { id: 'tok_1', name: 'ci', tokenHash: 'abc123', prefix: 'rpt_xx', roles: ['deployer', 'viewer'], createdAt: '2026-01-01T00:00:00.000Z', createdBy: 'admin', revokedAt: null };
      await store.tokens.insert(t);
      expect(await store.tokens.findByHash('abc123')).toEqual(t);
      expect(await store.tokens.findByHash('nope')).toBeUndefined();
      const active = await store.tokens.countActive();
      expect(await store.tokens.revoke('tok_1', '2026-01-02T00:00:00.000Z')).toBe(true);
      expect(await store.tokens.revoke('tok_1', '2026-01-03T00:00:00.000Z')).toBe(false);
      expect((await store.tokens.get('tok_1'))?.revokedAt).toBe('2026-01-02T00:00:00.000Z');
      expect(await store.tokens.countActive()).toBe(active - 1);
      await store.tokens.upsert({ ...t, tokenHash: 'def456', revokedAt: null });
      expect((await store.tokens.get('tok_1'))).toMatchObject({ tokenHash: 'def456', revokedAt: null });
      await expect(store.tokens.insert({ ...t, id: 'tok_2', tokenHash: 'def456' })).rejects.toThrow();
    });

    it('reads back exactly what the chain hashed', async () => {
      const v = createChainVerifier();
      for (const e of await store.audit.page(0, 1000)) expect(v.push(e)).toBeUndefined();
    });

    it('stores exceptions whole, updates only from the expected state, and filters lists', async () => {
      const config = resolveExceptionsConfig();
      const made = requestException({ type: 'window', service: 'api', reason: 'r', mitigation: 'm' }, { id: 'exc_store_1', requestor: 'a', nowMs: Date.UTC(2030, 0, 1), config, freezes: [], overdue: [] });
      if (!made.ok) throw new Error(made.reason);
      await store.writeTransaction((trx) => store.exceptions.insert(made.record, trx));
      expect(await store.exceptions.get('exc_store_1')).toEqual(made.record);
      const approved = approveException(made.record, { person: 'b', roles: ['release-captain'] }, Date.UTC(2030, 0, 1, 1), config);
      if (!approved.ok) throw new Error(approved.reason);
      expect(await store.writeTransaction((trx) => store.exceptions.update(approved.record, 'pending', trx))).toBe(true);
      expect(await store.writeTransaction((trx) => store.exceptions.update(approved.record, 'pending', trx))).toBe(false);
      expect((await store.exceptions.list({ state: 'approved', service: 'api', limit: 10 })).map((e) => e.id)).toEqual(['exc_store_1']);
      expect(await store.exceptions.list({ state: 'pending', limit: 10 })).toEqual([]);
      expect((await store.exceptions.dueToExpire('2030-01-01T05:00:00.000Z')).map((e) => e.id)).toEqual(['exc_store_1']);
      expect(await store.exceptions.dueToExpire('2030-01-01T04:59:59.999Z')).toEqual([]);
      expect((await store.exceptions.inStates(['approved', 'expired'])).map((e) => e.id)).toEqual(['exc_store_1']);
    });

    it('keeps request rollups per minute, hour and day: a re-written minute replaces, hours sum their minutes, days their hours', async () => {
      const t0 = Date.UTC(2030, 5, 1, 10, 0);
      const le = (good: number) => ROLLUP_LE_COLUMNS.map((c) => (c === 'le_500ms' ? good : 0));
      const minute = (service: string, version: string, m: number, requests: number, errors: number, good: number) =>
        ({ service, version, startMs: t0 + m * 60_000, requests, errors, le: le(good) });
      await store.writeTransaction((trx) => store.rollups.writeMinutes([
        minute('api', 'v1', 0, 100, 1, 90), minute('api', 'v2', 0, 10, 5, 2), minute('api', 'v1', 59, 50, 0, 50),
        minute('api', 'v1', 60, 30, 3, 20), minute('web', 'v1', 1, 7, 0, 7),
      ], trx));
      // A restart (or a retried flush) writes minute 0 of v1 again with its final counts: replaced, not added.
      await store.writeTransaction((trx) => store.rollups.writeMinutes([minute('api', 'v1', 0, 120, 2, 100)], trx));

      const hours = await store.rollups.sumSegments('hour', [t0, t0 + 3_600_000, t0 + 7_200_000], { le: ['le_500ms'] });
      expect(hours.get('api')).toEqual([
        { requests: 120 + 10 + 50, errors: 2 + 5 + 0, samples: 3, le: { le_500ms: 100 + 2 + 50 } },
        { requests: 30, errors: 3, samples: 1, le: { le_500ms: 20 } },
      ]);
      expect(hours.get('web')).toEqual([{ requests: 7, errors: 0, samples: 1, le: { le_500ms: 7 } }, undefined]);

      const edges = [t0, t0 + 60_000, t0 + 59 * 60_000, t0 + 61 * 60_000];
      const minutes = await store.rollups.sumSegments('minute', edges, { services: ['api'] });
      expect([...minutes.keys()]).toEqual(['api']);
      expect(minutes.get('api')).toEqual([
        { requests: 130, errors: 7, samples: 2, le: {} },
        undefined,
        { requests: 80, errors: 3, samples: 2, le: {} },
      ]);
      expect(await store.rollups.sumSegments('minute', [t0 + 120 * 60_000, t0 + 180 * 60_000])).toEqual(new Map());

      const day = Date.UTC(2030, 5, 1);
      expect((await store.rollups.sumSegments('day', [day, day + 86_400_000], { services: ['api'], le: ['le_500ms'] })).get('api'))
        .toEqual([{ requests: 210, errors: 10, samples: 4, le: { le_500ms: 172 } }]);

      expect(await store.rollups.prune(t0 + 60 * 60_000)).toEqual({ minutes: 4, hours: 3, days: 0 });
      expect((await store.rollups.sumSegments('hour', [t0, t0 + 7_200_000])).get('api')).toEqual([{ requests: 30, errors: 3, samples: 1, le: {} }]);
      expect(await store.rollups.prune(day + 86_400_000)).toEqual({ minutes: 1, hours: 1, days: 3 });
    });

    it('remembers the last budget band per service', async () => {
      await store.budgetBands.put({ service: 'api', band: 'normal', remainingPct: 80, changedAt: '2030-01-01T00:00:00.000Z' });
      await store.writeTransaction((trx) => store.budgetBands.put({ service: 'api', band: 'cautious', remainingPct: 40.5, changedAt: '2030-01-02T00:00:00.000Z' }, trx));
      await store.budgetBands.put({ service: 'web', band: 'exhausted', remainingPct: null, changedAt: '2030-01-02T00:00:00.000Z' });
      expect(await store.budgetBands.all()).toEqual([
        { service: 'api', band: 'cautious', remainingPct: 40.5, changedAt: '2030-01-02T00:00:00.000Z' },
        { service: 'web', band: 'exhausted', remainingPct: null, changedAt: '2030-01-02T00:00:00.000Z' },
      ]);
    });

    it('stores synthetic results with their version and answers the latest run of one version', async () => {
      const row = (id: string, at: string, check: string, ok: boolean, version?: string) => ({
        id, service: 'syn', check, ok, durationMs: 1.5, at, target: 'http://x', message: ok ? 'ok' : 'down', ...(version ? { version } : {}),
      });
      await store.syntheticResults.insertMany([
        row('sy_1', '2030-01-01T00:00:00.000Z', 'health', true, 'v2'), row('sy_2', '2030-01-01T00:00:00.000Z', 'graphql', true, 'v2'),
        row('sy_3', '2030-01-01T00:02:00.000Z', 'health', true, 'v2'), row('sy_4', '2030-01-01T00:02:00.000Z', 'graphql', false, 'v2'),
        row('sy_5', '2030-01-01T00:03:00.000Z', 'health', true, 'v1'), row('sy_6', '2030-01-01T00:04:00.000Z', 'health', true),
      ]);
      expect((await store.syntheticResults.latestRun('syn', 'v2')).map((r) => [r.id, r.check, r.ok, r.version])).toEqual([['sy_3', 'health', true, 'v2'], ['sy_4', 'graphql', false, 'v2']]);
      expect(await store.syntheticResults.latestRun('syn', 'v3')).toEqual([]);
      expect((await store.syntheticResults.list({ service: 'syn', limit: 1 }))[0]).toEqual(row('sy_6', '2030-01-01T00:04:00.000Z', 'health', true));
    });
  });
}
