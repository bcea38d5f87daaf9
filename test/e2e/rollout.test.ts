import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorRateTemplate } from '../../src/demo/error-rate-template.js';
import { type UpProcess, runRampart, startUp, waitExit } from '../../src/testing/cli.js';
import { freePort } from '../../src/testing/ports.js';
import { startTestServer } from '../../src/testing/http-test-server.js';
import { writeGoodEvidence } from '../../src/testing/release-evidence.js';

const demo = resolve(import.meta.dirname, '../../examples/demo-service/server.mjs');
const admin = 'rpt_rollout-e2e-admin-token-00000000000';

/** Waits (bounded) until `check` is true, polling. */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('a rollout end to end: gates, real processes, the built-in proxy, analysis, rollback', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-rollout-'));
  let up: UpProcess;
  let env: Record<string, string>;
  let proxy: string;
  let stopLoad = false;
  let load: Promise<void>;
  const seen: Record<string, number> = {};
  let receiver: Awaited<ReturnType<typeof startTestServer>>;

  beforeAll(async () => {
    // A launcher that makes any version named bad-* fail half its API requests.
    writeFileSync(join(dir, 'launch.mjs'), `if ((process.env.VERSION ?? '').startsWith('bad-')) process.env.ERROR_RATE = '0.5';\nawait import(${JSON.stringify(demo)});\n`);
    const proxyPort = await freePort();
    proxy = `http://127.0.0.1:${proxyPort}`;
    receiver = await startTestServer((_req, _body, res) => res.end('ok'));
    const good = writeGoodEvidence(dir, [
      '  windows:',
      '    - { name: always, kind: allow, schedule: "* * * * *", duration: 1m }',
      'traffic:',
      '  services:',
      `    - service: api`,
      `      port: ${proxyPort}`,
      '      stable: { version: v1 }',
      '      runtime:',
      '        type: process',
      '        config:',
      `          command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(join(dir, 'launch.mjs'))}]`,
      '          env: { PORT: "{{port}}", VERSION: "{{version}}" }',
      'notifications:',
      '  notifiers:',
      `    - { name: hook, type: webhook, events: ["rollout.*"], config: { url: "${receiver.url}/hook", secret: "a-webhook-secret-0123456789" } }`,
      '',
    ].join('\n'));
    writeFileSync(join(dir, 'quick-errors.yaml'), errorRateTemplate('quick-errors', { interval: '1s', count: 4, failureLimit: 1, below: 0.05, window: '10s' }));
    // Undo tests: short steps; the second keeps the old version warm for 2 s only.
    const fast = ['strategy:', '  canary:', '    steps:', '      - setWeight: 50', '      - pause: { duration: 1 }', '      - setWeight: 100'];
    writeFileSync(join(dir, 'fast.yaml'), [...fast, ''].join('\n'));
    writeFileSync(join(dir, 'fast-short-window.yaml'), [...fast, '    scaleDownDelaySeconds: 2', ''].join('\n'));
    writeFileSync(join(dir, 'strategy.yaml'), [
      'strategy:', '  canary:', '    steps:', '      - setWeight: 50', '      - pause: { duration: 1 }',
      '      - analysis:', `          templates: [{ templateName: ${JSON.stringify(join(dir, 'quick-errors.yaml'))} }]`, '      - setWeight: 100', '',
    ].join('\n'));
    up = await startUp(['--port', String(await freePort()), '--data-dir', join(dir, 'data'), '--config', good.configFile], { RAMPART_ADMIN_TOKEN: admin });
    env = { RAMPART_SERVER: up.url, RAMPART_TOKEN: admin };
    load = (async () => {
      while (!stopLoad) {
        try {
          const res = await fetch(`${proxy}/api/items`);
          const v = res.headers.get('x-version') ?? '?';
          seen[v] = (seen[v] ?? 0) + 1;
          await res.arrayBuffer();
        } catch {
          seen.error = (seen.error ?? 0) + 1;
        }
        await new Promise((r) => setTimeout(r, 5));
      }
    })();
    const token = async (name: string, role: string) => (await runRampart(['token', 'create', '--name', name, '--role', role], env)).stdout.trim();
    const sre = await token('sre', 'sre');
    expect((await runRampart(['services', 'slo-status', 'api', '--remaining', '80', '--burn', '0.2'], { ...env, RAMPART_TOKEN: sre })).code).toBe(0);
    env.DEPLOYER = await token('ci', 'deployer');
    env.CAPTAIN = await token('rc', 'release-captain');
    env.EVIDENCE = good.evidenceDir;
    env.STEPS = good.steps.join(',');
  }, 120_000);

  afterAll(async () => {
    stopLoad = true;
    await load;
    up?.child.kill('SIGTERM');
    if (up) await waitExit(up.child);
    await receiver?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function approvedRelease(version: string): Promise<string> {
    const deployer = { ...env, RAMPART_TOKEN: env.DEPLOYER! };
    const check = await runRampart(['gate', 'check', '--service', 'api', '--version', version, '--evidence', env.EVIDENCE!, '--step', ...env.STEPS!.split(','), '--output', 'json'], deployer);
    const release = JSON.parse(check.stdout).release as string;
    const approved = await runRampart(['gate', 'approve', release], { ...env, RAMPART_TOKEN: env.CAPTAIN! });
    expect(approved.code).toBe(0);
    return release;
  }

  type View = { id: string; status: { phase: string; weights: { canary: number }; abort?: { actor: string; reason: string }; stable: { version: string; revision: number }; canary: { version: string; revision: number }; rollbackWindowUntil?: number } };
  const status = async () => JSON.parse((await runRampart(['rollout', 'status', 'api', '--output', 'json'], env)).stdout) as View;
  const history = async () => JSON.parse((await runRampart(['rollout', 'history', 'api', '--output', 'json'], env)).stdout) as View[];
  const served = async (n: number) => new Set(await Promise.all(Array.from({ length: n }, async () => (await fetch(`${proxy}/api/items`)).headers.get('x-version'))));

  /** Releases `version` through gates and rolls it out with `strategyFile` until it serves all traffic; returns the rollout id. */
  async function promote(version: string, strategyFile: string): Promise<string> {
    const release = await approvedRelease(version);
    const started = await runRampart(['rollout', 'set-version', 'api', version, '--release', release, '--strategy-file', join(dir, strategyFile)], { ...env, RAMPART_TOKEN: env.DEPLOYER! });
    expect(started.code).toBe(0);
    await until(`${version} Healthy`, async () => (await status()).status.phase === 'Healthy' && (await status()).status.stable.version === version);
    expect(await served(10)).toEqual(new Set([version]));
    return (await status()).id;
  }

  it('refuses a rollout without an allowing release', async () => {
    const r = await runRampart(['rollout', 'set-version', 'api', 'good-2'], { ...env, RAMPART_TOKEN: env.DEPLOYER! });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/needs the release whose gates allowed/);
  });

  it('promotes a good version through every step', async () => {
    const release = await approvedRelease('good-2');
    const started = await runRampart(['rollout', 'set-version', 'api', 'good-2', '--release', release, '--strategy-file', join(dir, 'strategy.yaml')], { ...env, RAMPART_TOKEN: env.DEPLOYER! });
    expect(started.code).toBe(0);
    await until('a Healthy rollout', async () => (await status()).status.phase === 'Healthy');
    await until('good-2 serving all traffic', async () => (await fetch(`${proxy}/api/items`)).headers.get('x-version') === 'good-2');
    expect(seen['good-2']).toBeGreaterThan(0);
  }, 90_000);

  it('aborts a bad version at its analysis, with traffic back on stable, an incident and audit events', async () => {
    const release = await approvedRelease('bad-3');
    const started = await runRampart(['rollout', 'set-version', 'api', 'bad-3', '--release', release, '--strategy-file', join(dir, 'strategy.yaml')], { ...env, RAMPART_TOKEN: env.DEPLOYER! });
    expect(started.code).toBe(0);
    await until('an aborted rollout', async () => (await status()).status.phase === 'Aborted');
    const s = await status();
    expect(s.status.weights.canary).toBe(0);
    expect(s.status.abort?.actor).toBe('auto-controller');
    for (let i = 0; i < 20; i++) expect((await fetch(`${proxy}/api/items`)).headers.get('x-version')).toBe('good-2');
    const incidents = JSON.parse((await runRampart(['incident', 'list', '--service', 'api', '--output', 'json'], env)).stdout) as Array<{ kind: string; severity: string }>;
    expect(incidents[0]).toMatchObject({ kind: 'rollback', severity: 'P1' });
    const audit = JSON.parse((await runRampart(['audit', 'list', '--action', 'rollout.aborted', '--output', 'json'], env)).stdout) as Array<{ actor: string }>;
    expect(audit[0]?.actor).toBe('auto-controller');
    expect((await runRampart(['audit', 'verify', '--data-dir', join(dir, 'data')], {})).code).toBe(0);
    // The webhook notifier received the abort as a signed CloudEvent, through the outbox.
    await until('the webhook delivery', async () => receiver.requests.some((r) => r.body.includes('"dev.rampart.rollout.aborted"')));
    const hook = receiver.requests.find((r) => r.body.includes('"dev.rampart.rollout.aborted"'))!;
    expect(JSON.parse(hook.body)).toMatchObject({ specversion: '1.0', type: 'dev.rampart.rollout.aborted', data: { service: 'api' } });
    expect(hook.headers['x-rampart-signature']).toMatch(/^sha256=[0-9a-f]{64}$/);
  }, 90_000);

  it('undo inside the rollback window puts the warm previous version back at once, in the same rollout', async () => {
    const id = await promote('good-4', 'fast.yaml');
    const undo = await runRampart(['rollout', 'undo', 'api'], { ...env, RAMPART_TOKEN: env.CAPTAIN! });
    expect(undo.code).toBe(0);
    await until('the rollout rolled back', async () => (await status()).status.phase === 'RolledBack');
    const s = await status();
    // No new rollout, no new process: the same rollout switched traffic to the version still running.
    expect(s).toMatchObject({ id, status: { stable: { version: 'good-2' }, canary: { version: 'good-4' }, weights: { canary: 0 } } });
    expect((await history())[0]?.id).toBe(id);
    expect(await served(30)).toEqual(new Set(['good-2']));
    const undone = JSON.parse((await runRampart(['audit', 'list', '--action', 'rollout.undone', '--output', 'json'], env)).stdout) as Array<{ actor: string; subjectId: string }>;
    expect(undone[0]).toMatchObject({ subjectId: id });
    expect(undone[0]?.actor).not.toBe('auto-controller');
  }, 90_000);

  it('undo --to-revision after the rollback window starts a new rollout of that revision', async () => {
    const id = await promote('good-5', 'fast-short-window.yaml');
    await until('the rollback window to pass', async () => (await status()).status.rollbackWindowUntil === undefined);
    const revision = (await history()).find((r) => r.status.canary.version === 'good-2')!.status.canary.revision;
    const undo = await runRampart(['rollout', 'undo', 'api', '--to-revision', String(revision)], { ...env, RAMPART_TOKEN: env.CAPTAIN! });
    expect(undo.code).toBe(0);
    await until('a new rollout of good-2', async () => (await status()).id !== id);
    const s = await status();
    expect(s.status).toMatchObject({ canary: { version: 'good-2' }, stable: { version: 'good-5' } });
    await until('good-2 promoted again', async () => (await status()).status.phase === 'Healthy');
    expect(await served(30)).toEqual(new Set(['good-2']));
    const created = JSON.parse((await runRampart(['audit', 'list', '--action', 'rollout.create', '--output', 'json'], env)).stdout) as Array<{ subjectId: string; payload: unknown }>;
    expect(created.find((e) => e.subjectId === s.id)?.payload).toMatchObject({ version: 'good-2', undoOf: id });
  }, 90_000);

  it('lets a viewer read but not abort', async () => {
    const viewer = (await runRampart(['token', 'create', '--name', 'viewer', '--role', 'viewer'], env)).stdout.trim();
    expect((await runRampart(['rollout', 'status', 'api'], { ...env, RAMPART_TOKEN: viewer })).code).toBe(0);
    const r = await runRampart(['rollout', 'abort', 'api'], { ...env, RAMPART_TOKEN: viewer });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/needs role deployer or release-captain/);
  });
});
