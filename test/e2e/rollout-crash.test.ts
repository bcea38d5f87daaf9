import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSeededRandom } from '../../src/domain/analysis/statistical/test-support/seeded-random.js';
import { type UpProcess, runRampart, startUp, waitExit } from '../../src/testing/cli.js';
import { freePort } from '../../src/testing/ports.js';
import { writeGoodEvidence } from '../../src/testing/release-evidence.js';

const demo = resolve(import.meta.dirname, '../../examples/demo-service/server.mjs');
const admin = 'rpt_rollout-crash-admin-token-000000000';
/** Set RAMPART_CRASH_SEED to replay a run; the seed is in the test's name. */
const seed = Number(process.env.RAMPART_CRASH_SEED ?? Date.now() % 1_000_000);
const KILLS = 50;
/** v2…v7 in order; the ones marked abort get an `abort` while they progress. */
const PLAN = [['v2', 'promote'], ['v3', 'abort'], ['v4', 'promote'], ['v5', 'promote'], ['v6', 'abort'], ['v7', 'promote']] as const;

interface View {
  id: string;
  status: { phase: string; weights: { canary: number; stable: number }; canary: { version: string }; stable: { version: string }; stepIndex: number };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('kill -9 at random instants across rollouts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-rollout-crash-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it(`${KILLS} kills (seed ${seed}): each rollout continues or stays aborted, promotes at most once, traffic matches the status, audit verifies`, async () => {
    const rng = createSeededRandom(seed);
    // Versions exit when their parent (Rampart) dies, as a supervisor would make them.
    writeFileSync(join(dir, 'launch.mjs'), `const parent = process.ppid;\nsetInterval(() => { if (process.ppid !== parent) process.exit(0); }, 200).unref();\nawait import(${JSON.stringify(demo)});\n`);
    const proxy = `http://127.0.0.1:${await freePort()}`;
    const good = writeGoodEvidence(dir, [
      '  windows:', '    - { name: always, kind: allow, schedule: "* * * * *", duration: 1m }',
      'traffic:', '  services:', '    - service: api', `      port: ${new URL(proxy).port}`, '      stable: { version: v1 }',
      '      runtime:', '        type: process', '        config:',
      `          command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(join(dir, 'launch.mjs'))}]`,
      '          env: { PORT: "{{port}}", VERSION: "{{version}}" }', '          healthIntervalMs: 20', '',
    ].join('\n'));
    // Demo-short steps; replaced versions stop after 1 s so few processes run at once.
    const strategy = ['strategy:', '  canary:', '    steps:', ...[25, 50, 75].flatMap((w) => [`      - setWeight: ${w}`, '      - pause: { duration: 1 }']),
      '      - setWeight: 100', '    scaleDownDelaySeconds: 1', '    abortScaleDownDelaySeconds: 1', ''].join('\n');
    const args = ['--port', String(await freePort()), '--data-dir', join(dir, 'data'), '--config', good.configFile];
    let up: UpProcess = await startUp(args, { RAMPART_ADMIN_TOKEN: admin });
    const env = { RAMPART_SERVER: up.url, RAMPART_TOKEN: admin };
    const api = async <T>(path: string, body?: unknown): Promise<T> => {
      const res = await fetch(`${up.url}${path}`, {
        method: body === undefined ? 'GET' : 'POST', headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
      const text = await res.text();
      if (!res.ok) throw new Error(`${path}: ${res.status} ${text}`);
      return JSON.parse(text) as T;
    };

    // Releases for every planned version, through the gates, before the first kill.
    const captain = (await runRampart(['token', 'create', '--name', 'rc', '--role', 'release-captain'], env)).stdout.trim();
    expect((await runRampart(['services', 'slo-status', 'api', '--remaining', '80', '--burn', '0.2'], env)).code).toBe(0);
    const releases = new Map<string, string>();
    await Promise.all(PLAN.map(async ([version]) => {
      const check = await runRampart(['gate', 'check', '--service', 'api', '--version', version, '--evidence', good.evidenceDir, '--step', ...good.steps, '--output', 'json'], env);
      const release = JSON.parse(check.stdout).release as string;
      expect((await runRampart(['gate', 'approve', release], { ...env, RAMPART_TOKEN: captain })).code).toBe(0);
      releases.set(version, release);
    }));

    const history = async () => (await api<{ rollouts: View[] }>('/api/v1/rollouts/api/history')).rollouts;
    const served = async (n: number) => new Set(await Promise.all(Array.from({ length: n }, async () => (await fetch(`${proxy}/api/items`)).headers.get('x-version'))));
    const seenTerminal = new Map<string, string>();
    let next = 0;
    let log = '';

    /** What the restarted process must show: stored terminal phases unchanged, weights whole, traffic as the status says. */
    async function checkAfterRestart(kill: number): Promise<void> {
      const where = `seed ${seed}, kill ${kill}`;
      for (const r of await history()) {
        const before = seenTerminal.get(r.id);
        if (before) expect(r.status.phase, `${where}: ${r.id} was ${before}`).toBe(before);
        else if (['Healthy', 'Aborted'].includes(r.status.phase)) seenTerminal.set(r.id, r.status.phase);
        expect(['Pending', 'Progressing', 'Paused', 'Healthy', 'Aborted'], where).toContain(r.status.phase);
        expect(r.status.weights.canary + r.status.weights.stable, where).toBe(100);
      }
      if (next === 0) return;
      // A reconcile may move the weights while we sample: judge only samples taken under one unchanged
      // status, read a moment before sampling (a status is saved just before its traffic effect is applied).
      for (let attempt = 0; attempt < 5; attempt++) {
        const s1 = (await history())[0]!.status;
        await sleep(100);
        const versions = await served(20);
        const s2 = (await history())[0]!.status;
        if (JSON.stringify(s1) !== JSON.stringify(s2)) continue;
        const allowed = s1.weights.canary === 0 ? [s1.stable.version] : s1.weights.canary === 100 ? [s1.canary.version] : [s1.stable.version, s1.canary.version];
        for (const v of versions) expect(allowed, `${where}: served ${v} under ${JSON.stringify(s1)}`).toContain(v);
        return;
      }
    }

    /** Between kills: start the next planned rollout once the current one ended; abort the ones planned to fail. */
    async function drive(): Promise<void> {
      const latest = next === 0 ? undefined : (await history())[0];
      const ended = !latest || ['Healthy', 'Aborted'].includes(latest.status.phase);
      if (ended && next < PLAN.length) {
        const [version] = PLAN[next]!;
        await api('/api/v1/rollouts/api', { version, release: releases.get(version), strategy });
        next++;
        log += ` start ${version};`;
      } else if (!ended && latest && PLAN[next - 1]![1] === 'abort' && latest.status.stepIndex >= 1 && rng.next() < 0.5) {
        await api('/api/v1/rollouts/api/commands', { verb: 'abort' });
        log += ` abort ${latest.status.canary.version};`;
      }
    }

    for (let kill = 1; kill <= KILLS; kill++) {
      await drive();
      const delay = Math.floor(rng.next() * 800);
      await sleep(delay);
      up.child.kill('SIGKILL');
      await waitExit(up.child);
      log += ` kill ${kill} @${delay}ms;`;
      up = await startUp(args, { RAMPART_ADMIN_TOKEN: admin });
      await checkAfterRestart(kill);
    }
    // The rest of the plan without kills, then every rollout must have ended.
    for (let guard = 0; guard < 600; guard++) {
      await drive();
      const latest = (await history())[0]!;
      if (next === PLAN.length && ['Healthy', 'Aborted'].includes(latest.status.phase)) break;
      await sleep(100);
    }
    const all = await history();
    expect(all, log).toHaveLength(PLAN.length);
    const events = async (action: string) => (await api<{ events: Array<{ subjectId: string }> }>(`/api/v1/audit?action=${action}&limit=1000`)).events;
    const promoted = await events('rollout.promoted');
    const aborted = await events('rollout.aborted');
    for (const r of all) {
      expect(['Healthy', 'Aborted'], `${r.id} ${log}`).toContain(r.status.phase);
      expect(promoted.filter((e) => e.subjectId === r.id), `promotions of ${r.status.canary.version}, seed ${seed}`).toHaveLength(r.status.phase === 'Healthy' ? 1 : 0);
      expect(aborted.filter((e) => e.subjectId === r.id), `aborts of ${r.status.canary.version}, seed ${seed}`).toHaveLength(r.status.phase === 'Aborted' ? 1 : 0);
    }
    const final = all[0]!.status;
    expect(await served(20)).toEqual(new Set([final.stable.version]));
    up.child.kill('SIGTERM');
    await waitExit(up.child);
    const verify = await runRampart(['audit', 'verify', '--data-dir', join(dir, 'data')], {});
    expect(verify.code, verify.stdout + verify.stderr).toBe(0);
  }, 300_000);
});
