import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../platform/clock.js';
import { openSqliteStore } from '../store/sqlite.js';
import { freePort } from '../testing/ports.js';
import { createTestRampart } from '../testing/rampart.js';
import { checkNames, runCheck } from './synthetic-checks.js';
import { createSyntheticService } from './synthetics.js';

const demo = resolve(import.meta.dirname, '../../examples/demo-service/server.mjs');

async function startDemo(version: string, env: Record<string, string> = {}): Promise<{ url: string; proc: ChildProcess }> {
  const port = await freePort();
  const proc = spawn(process.execPath, [demo], { env: { ...process.env, PORT: String(port), VERSION: version, ...env }, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${url}/health`)).ok) return { url, proc };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  proc.kill('SIGKILL');
  throw new Error(`demo ${version} never became healthy`);
}

describe('synthetic checks against the demo service', () => {
  let good: { url: string; proc: ChildProcess };
  let bad: { url: string; proc: ChildProcess };
  beforeAll(async () => {
    [good, bad] = await Promise.all([startDemo('1.0.0'), startDemo('1.1.0-bad', { ERROR_RATE: '1' })]);
  });
  afterAll(() => {
    good?.proc.kill('SIGTERM');
    bad?.proc.kill('SIGTERM');
  });

  it('the good version passes health and GraphQL introspection', async () => {
    const health = await runCheck('health', 'health', good.url);
    const graphql = await runCheck('graphql', 'graphql', good.url);
    expect(health).toMatchObject({ check: 'health', ok: true, message: 'GET /health answered 200' });
    expect(graphql).toMatchObject({ check: 'graphql', ok: true, message: 'POST /graphql { __typename } answered Query' });
    expect(graphql.durationMs).toBeGreaterThan(0);
  });

  it('a version whose /graphql fails fails the GraphQL check (its /health still passes)', async () => {
    expect((await runCheck('health', 'health', bad.url)).ok).toBe(true);
    const graphql = await runCheck('graphql', 'graphql', bad.url);
    expect(graphql.ok).toBe(false);
    expect(graphql.message).toMatch(/^POST \/graphql answered 500/);
  });

  it('an unreachable target fails, naming the cause', async () => {
    const r = await runCheck('health', 'health', `http://127.0.0.1:${await freePort()}`);
    expect(r.ok).toBe(false);
    expect(r.message).toMatch(/unreachable \(ECONNREFUSED\)/);
  });

  it('end to end: POST /api/v1/synthetics/:service/run stores results and /metrics exports them', async () => {
    const r = await createTestRampart({ configYaml: [
      'safeguards:',
      '  synthetics:',
      `    - { service: api, url: "${good.url}" }`,
      `    - { service: copilot, url: "${bad.url}", checks: [graphql] }`,
    ].join('\n') });
    try {
      const okRun = await (await r.request('/api/v1/synthetics/api/run', { method: 'POST', body: '{}' })).json() as { ok: boolean; results: Array<{ check: string; ok: boolean }> };
      expect(okRun.ok).toBe(true);
      expect(okRun.results.map((x) => [x.check, x.ok])).toEqual([['health', true], ['graphql', true]]);
      const badRun = await (await r.request('/api/v1/synthetics/copilot/run', { method: 'POST', body: '{}' })).json() as { ok: boolean };
      expect(badRun.ok).toBe(false);
      const metrics = await (await r.request('/metrics')).text();
      expect(metrics).toContain('synthetic_check_success{service="api",check="graphql"} 1');
      expect(metrics).toContain('synthetic_check_success{service="copilot",check="graphql"} 0');
      expect(metrics).toMatch(/synthetic_check_duration_seconds\{service="api",check="health"\} [\d.e-]+/);
      const listed = await (await r.request('/api/v1/synthetics/results?service=copilot')).json() as { results: Array<{ ok: boolean }> };
      expect(listed.results).toHaveLength(1);
      expect((await r.request('/api/v1/synthetics/nope/run', { method: 'POST', body: '{}' })).status).toBe(404);
      expect((await r.request('/api/v1/synthetics/api/run', { method: 'POST', body: '{}', token: null })).status).toBe(401);
    } finally {
      await r.cleanup();
    }
  });
});

describe('golden-path scripts', () => {
  it.each<[string, string, boolean, RegExp]>([
    ['exit 0 passes', 'exit 0', true, /^script exited 0$/],
    ['a non-zero exit fails with the last output line', 'echo starting; echo "login failed" >&2; exit 3', false, /^script exited 3: login failed$/],
    ['TARGET_URL is the service URL', 'test "$TARGET_URL" = "http://127.0.0.1:9"', true, /exited 0/],
    ['a missing command fails', 'definitely-not-a-command-xyz', false, /^script exited 127/],
  ])('%s', async (_name, command, ok, message) => {
    const r = await runCheck('golden-path', { script: { command, timeoutSeconds: 10 } }, 'http://127.0.0.1:9/');
    expect(r.ok).toBe(ok);
    expect(r.message).toMatch(message);
  });

  it('a script over its timeout is killed and fails', async () => {
    const started = Date.now();
    const r = await runCheck('golden-path', { script: { command: 'sleep 20', timeoutSeconds: 0.3 } }, 'http://127.0.0.1:9');
    expect(r.ok).toBe(false);
    expect(r.message).toBe('script timed out after 0.3s and was killed');
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('names checks health, graphql, golden-path, golden-path-2', () => {
    expect(checkNames(['health', 'graphql', { script: { command: 'a', timeoutSeconds: 1 } }, { script: { command: 'b', timeoutSeconds: 1 } }]))
      .toEqual(['health', 'graphql', 'golden-path', 'golden-path-2']);
  });
});

describe('synthetic schedule on the work queue', () => {
  it('runs on the cron schedule (every 2 minutes by default), stores results and reloads them after a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rampart-synth-'));
    const store = await openSqliteStore(join(dir, 'r.db'));
    try {
      const clock = createManualClock(Date.UTC(2026, 0, 5, 10, 0, 30));
      const enqueued: Array<[string, number]> = [];
      let pass = true;
      const service = () => createSyntheticService({
        store, clock, synthetics: [{ service: 'api', url: 'http://x', schedule: '*/2 * * * *', checks: ['health'] }],
        enqueue: (s, d) => void enqueued.push([s, d]),
        run: async (check) => ({ check, ok: pass, durationMs: 12, message: pass ? 'fine' : 'down' }),
      });
      const s = service();
      expect(s.renderMetrics()).toBe('');
      await s.start();
      // 10:00:30 → next tick 10:02:00.
      expect(enqueued).toEqual([['api', 90_000]]);
      clock.advance(90_000);
      expect(await s.reconcile('api')).toBe(120_000);
      pass = false;
      clock.advance(120_000);
      expect(await s.reconcile('api')).toBe(120_000);
      expect((await s.list({ limit: 10 })).map((r) => r.ok)).toEqual([false, true]);
      expect(s.renderMetrics()).toContain('synthetic_check_success{service="api",check="health"} 0');
      expect(s.renderMetrics()).toContain('synthetic_check_duration_seconds{service="api",check="health"} 0.012');
      const restarted = service();
      await restarted.start();
      expect(restarted.renderMetrics()).toContain('synthetic_check_success{service="api",check="health"} 0');
      expect(restarted.configured()[0]?.checks[0]).toMatchObject({ check: 'health', ok: false });
      expect(await s.reconcile('unknown')).toBeUndefined();
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('synthetic runs per version', () => {
  it('runs against each version behind the proxy, records the version, and judges the latest run per version', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rampart-synth-v-'));
    const store = await openSqliteStore(join(dir, 'r.db'));
    try {
      const clock = createManualClock(Date.UTC(2026, 0, 5, 10, 0, 0));
      const enqueued: Array<[string, number]> = [];
      const broken = new Set(['http://canary']);
      let targets = [{ version: 'v1', url: 'http://stable' }];
      const runs: boolean[] = [];
      const s = createSyntheticService({
        store, clock, synthetics: [{ service: 'api', url: 'http://proxy', schedule: '*/2 * * * *', checks: ['health', 'graphql'] }],
        enqueue: (svc, d) => void enqueued.push([svc, d]),
        run: async (check, _c, url) => ({ check, ok: !(broken.has(url) && check === 'graphql'), durationMs: 5, message: broken.has(url) && check === 'graphql' ? 'POST /graphql answered 500' : 'ok' }),
        targets: () => targets,
        onRun: (r) => void runs.push(r.ok),
      });
      const since = clock.now();
      expect(await s.verdictFor('api', 'v2')).toEqual({ state: 'none', explanation: 'no synthetic run against api v2 yet' });
      expect(await s.reading('api', 'v2', since)).toMatchObject({ state: 'none', explanation: expect.stringMatching(/a run was requested$/) });
      expect(enqueued).toEqual([['api', 0]]);
      expect(await s.reading('web', 'v2', since)).toMatchObject({ state: 'none', explanation: expect.stringMatching(/no synthetic checks are configured for web/) });

      clock.advance(1000);
      const first = await s.runNow('api');
      expect(first).toMatchObject({ ok: true, target: 'v1 http://stable' });
      expect(first.results.map((r) => [r.version, r.check, r.target])).toEqual([['v1', 'health', 'http://stable'], ['v1', 'graphql', 'http://stable']]);
      expect(await s.verdictFor('api', 'v1')).toMatchObject({ state: 'pass' });

      targets = [{ version: 'v1', url: 'http://stable' }, { version: 'v2', url: 'http://canary' }];
      clock.advance(1000);
      const second = await s.runNow('api');
      expect(second.ok).toBe(false);
      expect(runs).toEqual([true, false]);
      const v2 = await s.verdictFor('api', 'v2');
      expect(v2).toMatchObject({ state: 'fail', explanation: expect.stringContaining('1 of 2 check(s) failed against api v2') });
      expect(await s.failuresFor('api', 'v2', since)).toEqual([{ check: 'graphql', message: 'POST /graphql answered 500' }]);
      expect(await s.failuresFor('api', 'v1', since)).toEqual([]);
      // Runs before `since` do not count: a new rollout of v2 starts with no verdict.
      expect(await s.failuresFor('api', 'v2', clock.now() + 1)).toEqual([]);
      expect((await s.reading('api', 'v2', clock.now() + 1)).state).toBe('none');
      expect(s.renderMetrics()).toContain('synthetic_check_success{service="api",check="graphql",version="v2"} 0');
      expect(s.renderMetrics()).toContain('synthetic_check_success{service="api",check="graphql",version="v1"} 1');

      // The canary recovers: only the latest run of a version counts.
      broken.clear();
      clock.advance(1000);
      await s.runNow('api');
      expect(await s.verdictFor('api', 'v2')).toMatchObject({ state: 'pass' });
      expect(await s.failuresFor('api', 'v2', since)).toEqual([]);
    } finally {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
