import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../../src/platform/clock.js';
import { createAuditLog } from '../../src/services/audit-log.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import { type UpProcess, runRampart, startUp, waitExit } from '../../src/testing/cli.js';
import { freePort } from '../../src/testing/ports.js';

const dir = mkdtempSync(join(tmpdir(), 'rampart-e2e-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('rampart up on embedded defaults', () => {
  let up: UpProcess;
  let admin: string;
  const dataDir = join(dir, 'up');

  beforeAll(async () => {
    up = await startUp(['--port', String(await freePort()), '--data-dir', dataDir]);
    admin = up.bootstrapToken!;
  });
  afterAll(async () => {
    up?.child.kill('SIGTERM');
    if (up) expect(await waitExit(up.child)).toBe(0);
  });

  it('prints the URL and a one-time admin token', () => {
    expect(up.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(admin).toMatch(/^rpt_[\w-]{40,}$/);
  });

  it('serves the spec catalog with the admin token, and 401 without one', async () => {
    const res = await fetch(`${up.url}/api/v1/services`, { headers: { authorization: `Bearer ${admin}` } });
    const { services } = (await res.json()) as { services: Array<{ name: string; tier: number; strategy: string }> };
    expect(services.map((s) => `${s.name}:${s.tier}:${s.strategy}`)).toEqual([
      'api:1:progressive-canary', 'graphql-gateway:1:progressive-canary', 'neo4j:1:blue-green', 'copilot:1:canary-with-shadow',
      'conductor:2:standard-canary', 'audit-svc:2:rolling', 'prov-ledger:2:rolling', 'worker-*:2:rolling',
      'devtools:3:direct', 'docs-*:3:direct', 'sandbox:3:direct',
    ]);
    expect((await fetch(`${up.url}/api/v1/services`)).status).toBe(401);
  });

  it('refuses a viewer that mutates with 403 and audits it; the CLI exits 1', async () => {
    const env = { RAMPART_SERVER: up.url, RAMPART_TOKEN: admin };
    const created = await runRampart(['token', 'create', '--name', 'watcher', '--role', 'viewer'], env);
    expect(created.code).toBe(0);
    const viewer = created.stdout.trim();
    const denied = await runRampart(['token', 'create', '--name', 'sneaky', '--role', 'admin'], { ...env, RAMPART_TOKEN: viewer });
    expect(denied.code).toBe(1);
    expect(denied.stderr).toMatch(/needs role admin/);
    const listed = await runRampart(['audit', 'list', '--action', 'auth.denied', '--output', 'json'], env);
    expect(JSON.parse(listed.stdout)[0]).toMatchObject({ actor: 'token:watcher', action: 'auth.denied' });
  });

  it('prints tables for people and JSON for machines', async () => {
    const env = { RAMPART_SERVER: up.url, RAMPART_TOKEN: admin };
    const table = await runRampart(['services', 'list'], env);
    expect(table.stdout.split('\n')[0]).toMatch(/^SERVICE\s+TIER\s+STRATEGY\s+SLO/);
    const json = await runRampart(['services', 'get', 'api', '--output', 'json'], env);
    expect(JSON.parse(json.stdout)).toMatchObject({ name: 'api', tier: 1, slo: { latency: { thresholdMs: 500 } } });
  });

  it('exits 3 when the server is unreachable', async () => {
    const r = await runRampart(['services', 'list'], { RAMPART_SERVER: `http://127.0.0.1:${await freePort()}`, RAMPART_TOKEN: admin });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/cannot reach the Rampart server/);
  });
});

describe('rampart config validate', () => {
  it.each([
    ['unknown tier', 'services:\n  - name: api\n    tier: 4\n', /bad\.yaml:3:11: services\[0\]\.tier: must be 1/],
    ['duplicate service', 'services:\n  - name: api\n    tier: 1\n  - name: api\n    tier: 1\n', /bad\.yaml:4:\d+: services\[1\]\.name: duplicate service "api"/],
    ['YAML syntax error', 'services: [\n', /bad\.yaml:2:1: YAML syntax/],
    ['wrong type', 'server:\n  port: "x"\n', /bad\.yaml:2:9: server\.port: .*number/],
  ])('%s: exit 2 with file, line and field, and nothing written', async (_name, text, expected) => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, text);
    const r = await runRampart(['config', 'validate', file]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(expected);
    const dataDir = join(dir, `never-${Math.random()}`);
    const upBad = await runRampart(['up', '--config', file, '--data-dir', dataDir, '--port', '0']);
    expect(upBad.code).toBe(2);
    expect(upBad.stderr).toMatch(expected);
    expect(() => BetterSqlite3(join(dataDir, 'rampart.db'), { fileMustExist: true })).toThrow();
  });

  it('accepts a good file and prints the schema', async () => {
    const file = join(dir, 'good.yaml');
    writeFileSync(file, 'services:\n  - name: api\n    tier: 1\n');
    expect(await runRampart(['config', 'validate', file])).toMatchObject({ code: 0, stdout: expect.stringMatching(/valid: 1 services/) });
    const schema = await runRampart(['config', 'schema']);
    expect(JSON.parse(schema.stdout).properties.services).toBeDefined();
  });
});

describe('rampart audit verify', () => {
  const dataDir = join(dir, 'verify');
  const db = join(dataDir, 'rampart.db');

  beforeAll(async () => {
    const store = await openSqliteStore(db);
    const log = createAuditLog(store, createManualClock());
    await Promise.all(Array.from({ length: 10_000 }, (_, i) =>
      log.record({ actor: `user-${i % 7}`, action: 'test.event', subject: { kind: 'n', id: String(i) }, service: 'api', payload: { i } })));
    await store.close();
  });

  it('passes on 10,000 intact events, in one thread and in parallel ranges', async () => {
    const r = await runRampart(['audit', 'verify', '--data-dir', dataDir]);
    expect(r).toMatchObject({ code: 0, stdout: expect.stringMatching(/intact: 10000 events/) });
    const p = await runRampart(['audit', 'verify', '--data-dir', dataDir, '--workers', '3']);
    expect(p).toMatchObject({ code: 0, stdout: expect.stringMatching(/intact: 10000 events/) });
  });

  it('fails naming the seq after a payload is edited in the SQLite file', async () => {
    const raw = new BetterSqlite3(db);
    const original = raw.prepare('select payload from audit_events where seq = 4242').get() as { payload: string };
    raw.prepare('update audit_events set payload = ? where seq = 4242').run('{"i":1}');
    raw.close();
    for (const workers of ['1', '3']) {
      const r = await runRampart(['audit', 'verify', '--data-dir', dataDir, '--output', 'json', '--workers', workers]);
      expect(r.code).toBe(1);
      expect(JSON.parse(r.stdout)).toMatchObject({ ok: false, problem: { kind: 'edited', seq: 4242 } });
    }
    const fix = new BetterSqlite3(db);
    fix.prepare('update audit_events set payload = ? where seq = 4242').run(original.payload);
    fix.close();
    expect((await runRampart(['audit', 'verify', '--data-dir', dataDir])).code).toBe(0);
  });

  it('fails naming the seq after a row is deleted', async () => {
    const raw = new BetterSqlite3(db);
    // With three parallel ranges of 3,334 events, seq 3335 is the first of the second range: a seam.
    raw.prepare('delete from audit_events where seq = 3335').run();
    raw.close();
    for (const workers of ['1', '3']) {
      const r = await runRampart(['audit', 'verify', '--data-dir', dataDir, '--workers', workers]);
      expect(r.code).toBe(1);
      expect(r.stdout).toMatch(/BROKEN at seq 3335 \(missing\)/);
    }
  });

  it('fails clearly when there is no store', async () => {
    const r = await runRampart(['audit', 'verify', '--data-dir', join(dir, 'nothing-here')]);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/cannot open the store \(sqlite .*nothing-here/);
  });
});
