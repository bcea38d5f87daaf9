import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type ManualClock, createManualClock } from '../platform/clock.js';
import { createLogger, createSilentLogger } from '../platform/logger.js';
import { NOTIFIER_DEFINITIONS } from '../providers/notifiers/definitions.js';
import { type Receiver, rollbackEvent, startReceiver } from '../providers/notifiers/notifier.case.js';
import { type NotifierEntry, createNotifierRegistry } from '../providers/notifiers/registry.js';
import { openPostgresStore } from '../store/postgres.js';
import { openSqliteStore } from '../store/sqlite.js';
import { requireComponent } from '../testing/components.js';
import { type TestPostgres, pgBin, startPostgres } from '../testing/postgres.js';
import type { Store } from '../store/types.js';
import { createAuditLog } from './audit-log.js';
import { backoffMs, createNotificationService } from './notifications.js';

describe('backoff', () => {
  it.each([[1, 1000], [2, 2000], [3, 4000], [9, 256_000], [10, 300_000], [30, 300_000]])('after %i failed attempts: %i ms', (n, ms) => {
    expect(backoffMs(n, 1000, 300_000)).toBe(ms);
  });
});

/** One database per test: `open` may be called again to stand for a restarted process. */
interface Backend {
  open(): Promise<Store>;
  /** Everything the database holds on disk, as text (for the secret scan). */
  dump(store: Store): Promise<string>;
  cleanup(): Promise<void>;
}

function sqliteBackend(): Backend {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-outbox-'));
  return {
    open: () => openSqliteStore(join(dir, 'rampart.db')),
    dump: async () => ['rampart.db', 'rampart.db-wal'].filter((f) => existsSync(join(dir, f))).map((f) => readFileSync(join(dir, f)).toString('latin1')).join('\n'),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

let pgServer: TestPostgres | undefined;
let pgDatabases = 0;
async function postgresBackend(): Promise<Backend> {
  pgServer ??= await startPostgres();
  const url = await pgServer.createDatabase(`outbox_${++pgDatabases}`);
  return {
    open: () => openPostgresStore(url),
    async dump(store) {
      const tables = await Promise.all(['notification_outbox', 'audit_events'].map((t) => store.db.selectFrom(t as 'audit_events').selectAll().execute()));
      return JSON.stringify(tables);
    },
    cleanup: async () => undefined,
  };
}

const pg = requireComponent('PostgreSQL 15', [`${pgBin}/postgres`], 'apt-get install -y postgresql');
const backends: Array<[string, () => Promise<Backend>]> = [['SQLite', async () => sqliteBackend()], ...(pg.available ? [['PostgreSQL', postgresBackend] as [string, () => Promise<Backend>]] : [])];
if (!pg.available) {
  describe('notification outbox: PostgreSQL', () => {
    it.skip(`needs PostgreSQL: ${pg.reason}`, () => {});
  });
}
afterAll(async () => {
  if (!pgServer) return;
  // A closed pool has told its clients to end but they may still be connected; stopping the
  // server under them would raise "terminating connection" in a client nobody listens to.
  const pgLib = (await import('pg')).default;
  const admin = new pgLib.Client({ connectionString: pgServer.url });
  await admin.connect();
  for (let i = 0; i < 250; i++) {
    const r = await admin.query<{ n: number }>("select count(*)::int as n from pg_stat_activity where datname like 'outbox_%'");
    if (r.rows[0]?.n === 0) break;
    await new Promise((ok) => setTimeout(ok, 20));
  }
  await admin.end();
  await pgServer.stop();
});

describe.each(backends)('notification outbox (%s, manual clock)', (_name, makeBackend) => {
  let backend: Backend;
  let rx: Receiver;
  let clock: ManualClock;
  const open: Store[] = [];
  beforeAll(async () => {
    rx = await startReceiver();
  });
  afterAll(() => rx.close());
  beforeEach(async () => {
    backend = await makeBackend();
    clock = createManualClock();
    rx.requests.length = 0;
    rx.answer(200);
  });
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
    await backend.cleanup();
  });

  async function setUp(entries: NotifierEntry[], options: { maxAttempts?: number; logTo?: Writable } = {}) {
    const store = await backend.open();
    open.push(store);
    const audit = createAuditLog(store, clock);
    const r = createNotifierRegistry(NOTIFIER_DEFINITIONS).createSet(entries, { clock, timeoutMs: 2000 });
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    const kicks: number[] = [];
    const logger = options.logTo ? createLogger({ destination: options.logTo }) : createSilentLogger();
    const service = createNotificationService({
      store, audit, clock, logger, notifiers: r.notifiers, schedule: (d) => kicks.push(d), ...(options.maxAttempts ? { maxAttempts: options.maxAttempts } : {}),
    });
    return { store, audit, service, kicks };
  }
  const hook = (name = 'hook', events = ['*']): NotifierEntry => ({ name, type: 'webhook', events, config: { url: `${rx.url}/hook`, secret: 'whsec-0123456789abcdef' } });

  it('writes one row per subscribed notifier and kicks delivery; unsubscribed events write nothing', async () => {
    const { service, kicks } = await setUp([hook('all'), hook('flags', ['flag.*']), { name: 'pd', type: 'pagerduty', events: ['*'], config: { routingKey: 'k', baseUrl: rx.url } }]);
    expect((await service.enqueue(rollbackEvent({ tier: 2 }))).rows).toBe(1);
    expect((await service.enqueue(rollbackEvent({ tier: 1 }))).rows).toBe(2);
    expect((await service.enqueue(rollbackEvent({ type: 'flag.killed' }))).rows).toBe(2);
    expect(kicks).toEqual([0, 0, 0]);
    expect((await service.list({ limit: 10 })).map((r) => r.notifier).sort()).toEqual(['all', 'all', 'all', 'flags', 'pd']);
  });

  it('retries after 500s with 1 s, 2 s backoff, then delivers once', async () => {
    const { service, audit } = await setUp([hook()]);
    rx.answer(500);
    await service.notify(rollbackEvent());
    expect(await service.reconcile()).toBe(1000);
    const [row] = await service.list({ limit: 1 });
    expect(row).toMatchObject({ state: 'pending', attempts: 1, lastError: expect.stringMatching(/^webhook: HTTP 500/), nextAt: new Date(clock.now() + 1000).toISOString() });
    clock.advance(999);
    expect(await service.reconcile()).toBe(1);
    expect(rx.requests).toHaveLength(1);
    clock.advance(1);
    expect(await service.reconcile()).toBe(2000);
    expect(rx.requests).toHaveLength(2);
    rx.answer(200);
    clock.advance(2000);
    expect(await service.reconcile()).toBe(60_000);
    expect(rx.requests).toHaveLength(3);
    expect((await service.list({ limit: 1 }))[0]).toMatchObject({ state: 'delivered', attempts: 3, lastError: null, deliveredAt: new Date(clock.now()).toISOString() });
    clock.advance(600_000);
    await service.reconcile();
    expect(rx.requests).toHaveLength(3);
    await audit.drain();
    expect((await audit.list({ action: 'notification.delivered', limit: 5 })).map((e) => JSON.parse(e.payload))).toMatchObject([{ notifier: 'hook', eventType: 'rollout.rolled_back', attempts: 3 }]);
  });

  it('a row is dead after maxAttempts retryable failures, with the last error and an audit event', async () => {
    const { service, audit } = await setUp([hook()], { maxAttempts: 3 });
    rx.answer(503);
    await service.notify(rollbackEvent());
    for (const wait of [0, 1000, 2000, 4000]) {
      clock.advance(wait);
      await service.reconcile();
    }
    expect(rx.requests).toHaveLength(3);
    const dead = await service.list({ state: 'dead', limit: 5 });
    expect(dead).toMatchObject([{ state: 'dead', attempts: 3, nextAt: null, lastError: expect.stringMatching(/^webhook: HTTP 503/) }]);
    await audit.drain();
    const events = await audit.list({ action: 'notification.dead', limit: 5 });
    expect(events.map((e) => [e.subjectId, e.actor, JSON.parse(e.payload).attempts])).toEqual([[dead[0]!.id, 'system:notifications', 3]]);
  });

  it('a non-retryable answer (400) is dead after one attempt', async () => {
    const { service } = await setUp([hook()]);
    rx.answer(400);
    await service.notify(rollbackEvent());
    await service.reconcile();
    expect(await service.list({ limit: 5 })).toMatchObject([{ state: 'dead', attempts: 1 }]);
  });

  it('rows survive a restart; delivered rows are not sent again (a second service on the same database)', async () => {
    const first = await setUp([hook()]);
    await first.service.notify(rollbackEvent({ id: 'ntf_A' }));
    await first.service.reconcile();
    rx.answer(500);
    await first.service.notify(rollbackEvent({ id: 'ntf_B' }));
    await first.service.reconcile();
    await first.audit.drain();
    await first.store.close();
    open.splice(open.indexOf(first.store), 1);
    expect(rx.requests.map((r) => JSON.parse(r.body).id)).toEqual(['ntf_A', 'ntf_B']);

    rx.answer(200);
    const second = await setUp([hook()]);
    clock.advance(1000);
    await second.service.reconcile();
    clock.advance(3600_000);
    await second.service.reconcile();
    expect(rx.requests.map((r) => JSON.parse(r.body).id)).toEqual(['ntf_A', 'ntf_B', 'ntf_B']);
    expect((await second.service.list({ limit: 5 })).map((r) => r.state)).toEqual(['delivered', 'delivered']);
  });

  it('two concurrent reconciles send each row once (claims)', async () => {
    const { service } = await setUp([hook()]);
    for (const id of ['1', '2', '3']) await service.notify(rollbackEvent({ id }));
    await Promise.all([service.reconcile(), service.reconcile(), service.reconcile()]);
    expect(rx.requests.map((r) => JSON.parse(r.body).id).sort()).toEqual(['1', '2', '3']);
  });

  it("enqueue in the caller's transaction commits with its change, or not at all", async () => {
    const { service, audit } = await setUp([hook()]);
    await audit.record({ actor: 't', action: 'rollout.aborted', subject: { kind: 'rollout', id: 'r1' } }, async (trx) => {
      await service.enqueue(rollbackEvent({ id: 'kept' }), trx);
    });
    await expect(audit.record({ actor: 't', action: 'rollout.aborted', subject: { kind: 'rollout', id: 'r2' } }, async (trx) => {
      await service.enqueue(rollbackEvent({ id: 'lost' }), trx);
      throw new Error('the change failed');
    })).rejects.toThrow('the change failed');
    service.kick();
    await service.reconcile();
    expect(rx.requests.map((r) => JSON.parse(r.body).id)).toEqual(['kept']);
  });

  it('a row whose notifier left the config is dead, not retried forever', async () => {
    const first = await setUp([hook('old')]);
    rx.answer(500);
    await first.service.notify(rollbackEvent());
    await first.service.reconcile();
    await first.store.close();
    open.splice(open.indexOf(first.store), 1);
    const second = await setUp([hook('new')]);
    clock.advance(1000);
    await second.service.reconcile();
    expect(await second.service.list({ limit: 5 })).toMatchObject([{ notifier: 'old', state: 'dead', lastError: 'notifier "old" is no longer configured' }]);
  });

  it('no secret reaches the log, the audit log, the API views or the database', async () => {
    const secrets = {
      webhookUrlPath: '/hook/SECRET-webhook-path-7f3a', hmac: 'SECRET-hmac-key-9b2c4d6e', slackPath: '/services/T9/B9/SECRET-slack-8e1f',
      routingKey: 'SECRET-pd-routing-5a7c', token: 'SECRET-gh-token-3d9e',
    };
    let log = '';
    const logTo = new Writable({ write(chunk, _e, done) { log += String(chunk); done(); } });
    const { service, audit, store } = await setUp([
      { name: 'hook', type: 'webhook', events: ['*'], config: { url: `${rx.url}${secrets.webhookUrlPath}`, secret: secrets.hmac } },
      { name: 'slack', type: 'slack', events: ['*'], config: { webhookUrl: `${rx.url}${secrets.slackPath}` } },
      { name: 'pd', type: 'pagerduty', events: ['*'], config: { routingKey: secrets.routingKey, baseUrl: rx.url } },
      { name: 'gh', type: 'github', events: ['*'], config: { token: secrets.token, owner: 'acme', repo: 'ops', baseUrl: rx.url } },
    ], { maxAttempts: 2, logTo });
    // The receiver echoes each request (URL, headers, body) in its error answers.
    rx.answer(500);
    await service.notify(rollbackEvent());
    await service.reconcile();
    clock.advance(1000);
    await service.reconcile();
    expect(rx.requests).toHaveLength(8);
    // The receiver did get the secrets, so a leak would show below.
    expect(rx.requests.map((r) => `${r.url} ${JSON.stringify(r.headers)} ${r.body}`).join('\n')).toContain(secrets.routingKey);
    await audit.drain();
    const dead = await service.list({ limit: 10 });
    expect(dead.map((r) => r.state)).toEqual(['dead', 'dead', 'dead', 'dead']);
    const everything = [
      log,
      JSON.stringify(await audit.list({ limit: 100 })),
      JSON.stringify(dead),
      JSON.stringify(service.notifiers()),
      await backend.dump(store),
    ].join('\n');
    expect(log).toContain('notification dead');
    expect(everything).toContain('[redacted]');
    for (const s of Object.values(secrets)) expect(everything).not.toContain(s);
  });
});
