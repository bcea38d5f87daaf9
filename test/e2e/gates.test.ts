import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type UpProcess, runRampart, startUp, waitExit } from '../../src/testing/cli.js';
import { freePort } from '../../src/testing/ports.js';
import { writeGoodEvidence } from '../../src/testing/release-evidence.js';

const tuesday10 = '2026-03-03T10:00:00Z';
const friday10 = '2026-03-06T10:00:00Z';
const sloFlags = ['--error-budget-remaining', '60', '--burn-rate', '0.5', '--active-p1', '0', '--rollbacks-24h', '0'];

describe('rampart gate check (offline)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-gates-'));
  const good = writeGoodEvidence(dir);
  const base = ['gate', 'check', '--service', 'api', '--version', '1.4.2', '--config', good.configFile, '--evidence', good.evidenceDir, '--step', ...good.steps, ...sloFlags];
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('allows a release whose reports pass every gate, inside the window, approved', async () => {
    const r = await runRampart([...base, '--release-captain', 'alice', '--at', tuesday10, '--output', 'json']);
    const record = JSON.parse(r.stdout);
    expect(record.violations).toEqual([]);
    expect(r.code).toBe(0);
    expect(record).toMatchObject({ allow: true, gates: { build: true, quality: true, security: true, slo: true } });
    const slsa = record.checks.find((g: { gate: string }) => g.gate === 'security').checks.find((c: { check: string }) => c.check === 'slsa_level');
    expect(slsa).toMatchObject({ result: 'pass', value: 3, source: expect.stringMatching(/provenance\.intoto\.jsonl/) });
  });

  it('denies outside the window with the spec\'s message, and prints a table with sources', async () => {
    const r = await runRampart([...base, '--release-captain', 'alice', '--at', friday10]);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^GATE\s+CHECK\s+VALUE\s+THRESHOLD\s+RESULT\s+SOURCE/);
    expect(r.stdout).toMatch(/Outside deployment window \(Mon-Thu 09:00-16:00\)/);
    expect(r.stdout).toMatch(/coverage\s+84\.71\s+>= 80%\s+pass\s+file:.*coverage-summary\.json/);
  });

  it('lets an authorized emergency through the window, and not an unauthorized one', async () => {
    const ok = await runRampart([...base, '--release-captain', 'alice', '--at', friday10, '--emergency', '--approver', 'vp-on-call', '--incident', 'INC-7', '--output', 'json']);
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ allow: true, auditLevel: 'critical', overrides: { emergency: true, approver: 'vp-on-call', granted: true } });
    const refused = await runRampart([...base, '--release-captain', 'alice', '--at', friday10, '--emergency', '--approver', 'mallory', '--incident', 'INC-7']);
    expect(refused.code).toBe(1);
  });

  it('fails each check whose evidence is missing, never passing it', async () => {
    const r = await runRampart(['gate', 'check', '--service', 'api', '--version', '1', '--config', good.configFile, '--at', tuesday10, '--output', 'json']);
    expect(r.code).toBe(1);
    const checks = JSON.parse(r.stdout).checks.flatMap((g: { checks: Array<{ id: string; result: string }> }) => g.checks);
    expect(checks.filter((c: { result: string }) => c.result === 'missing').length).toBeGreaterThanOrEqual(14);
    // Only what comes from configuration itself (the window at that instant, no freeze) can pass.
    expect(checks.filter((c: { result: string }) => c.result === 'pass').map((c: { id: string }) => c.id)).toEqual(['approval.change_window', 'approval.freeze']);
  });

  it('holds a freeze from its start (inclusive) to its end (exclusive)', async () => {
    const freezes = join(dir, 'deployment_freezes.yaml');
    writeFileSync(freezes, 'freezes:\n  - id: quarter-end\n    start: 2026-03-03T09:00:00Z\n    end: 2026-03-03T12:00:00Z\n    reason: quarter close\n');
    const cfg = join(dir, 'frozen.yaml');
    writeFileSync(cfg, `${readFileSync(good.configFile, 'utf8')}  freezesFile: deployment_freezes.yaml\n`);
    const at = async (t: string) => (await runRampart([...base.map((a) => (a === good.configFile ? cfg : a)), '--release-captain', 'alice', '--at', t])).code;
    expect(await at('2026-03-03T09:00:00Z')).toBe(1);
    expect(await at('2026-03-03T11:59:59Z')).toBe(1);
    expect(await at('2026-03-03T12:00:00Z')).toBe(0);
  });

  it('exits 2 naming the file and position for a truncated report, and for a bad flag', async () => {
    const broken = join(dir, 'broken');
    mkdirSync(broken);
    writeFileSync(join(broken, 'trivy.json'), '{"SchemaVersion": 2, "Results": [');
    const r = await runRampart(['gate', 'check', '--service', 'api', '--version', '1', '--config', good.configFile, '--evidence', broken]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/trivy\.json ends early at line 1/);
    expect((await runRampart([...base, '--step', 'lint=maybe'])).stderr).toMatch(/--step "lint=maybe": expected NAME=pass\|fail/);
    expect((await runRampart([...base, '--at', 'someday'])).code).toBe(2);
  });
});

describe('rampart gate check against a server', () => {
  const admin = 'rpt_gates-e2e-admin-token-000000000000';
  const dir = mkdtempSync(join(tmpdir(), 'rampart-gates-srv-'));
  const good = writeGoodEvidence(dir);
  let up: UpProcess;
  let env: Record<string, string>;
  const token = async (name: string, role: string) => (await runRampart(['token', 'create', '--name', name, '--role', role], env)).stdout.trim();

  beforeAll(async () => {
    up = await startUp(['--port', String(await freePort()), '--data-dir', join(dir, 'data'), '--config', good.configFile], { RAMPART_ADMIN_TOKEN: admin });
    env = { RAMPART_SERVER: up.url, RAMPART_TOKEN: admin };
  });
  afterAll(async () => {
    up.child.kill('SIGTERM');
    await waitExit(up.child);
    rmSync(dir, { recursive: true, force: true });
  });

  it('records the decision, lets the release captain approve, and replays identically', async () => {
    const sre = await token('sre', 'sre');
    expect((await runRampart(['services', 'slo-status', 'api', '--remaining', '55', '--burn', '0.3'], { ...env, RAMPART_TOKEN: sre })).code).toBe(0);
    const deployer = await token('ci', 'deployer');
    const check = await runRampart(['gate', 'check', '--service', 'api', '--version', '1.4.2', '--evidence', good.evidenceDir, '--step', ...good.steps, '--output', 'json'], { ...env, RAMPART_TOKEN: deployer });
    expect(check.code).toBe(1);
    const first = JSON.parse(check.stdout);
    const failing = first.decision.checks.flatMap((g: { checks: Array<{ id: string; result: string }> }) => g.checks).filter((c: { result: string }) => c.result === 'fail' || c.result === 'missing').map((c: { id: string }) => c.id);
    // Only the approval is missing (and the window, if this runs outside Mon-Thu 09-16 UTC).
    expect(failing.filter((id: string) => id !== 'approval.change_window' && id !== 'policy.allow')).toEqual(['approval.release_captain']);

    expect((await runRampart(['gate', 'approve', first.release], { ...env, RAMPART_TOKEN: deployer })).code).toBe(1);
    const captain = await token('rc', 'release-captain');
    const approved = await runRampart(['gate', 'approve', first.release, '--output', 'json'], { ...env, RAMPART_TOKEN: captain });
    const after = JSON.parse(approved.stdout).decision;
    expect(after.checks.find((g: { gate: string }) => g.gate === 'approval').checks[0]).toMatchObject({ check: 'release_captain', result: 'pass', value: 'token:rc' });

    for (const id of [first.decision.id, after.id]) {
      const replay = await runRampart(['gate', 'replay', id], env);
      expect(replay).toMatchObject({ code: 0, stdout: expect.stringMatching(/^identical/) });
    }
  });

  it('blocks on an open P1 incident and lets through after it is resolved', async () => {
    const sre = await token('sre2', 'sre');
    const opened = JSON.parse((await runRampart(['incident', 'open', '--service', 'api', '--severity', 'P1', '--title', 'checkout down', '--output', 'json'], { ...env, RAMPART_TOKEN: sre })).stdout);
    const during = JSON.parse((await runRampart(['gate', 'check', '--service', 'api', '--version', '2', '--at', tuesday10, '--output', 'json'], env)).stdout);
    expect(during.decision.checks.find((g: { gate: string }) => g.gate === 'slo').checks.find((c: { check: string }) => c.check === 'active_p1')).toMatchObject({ result: 'fail', value: 1 });
    expect((await runRampart(['incident', 'resolve', opened.id], { ...env, RAMPART_TOKEN: sre })).code).toBe(0);
    const afterwards = JSON.parse((await runRampart(['gate', 'check', '--service', 'api', '--version', '2', '--at', tuesday10, '--output', 'json'], env)).stdout);
    expect(afterwards.decision.checks.find((g: { gate: string }) => g.gate === 'slo').checks.find((c: { check: string }) => c.check === 'active_p1')).toMatchObject({ result: 'pass', value: 0 });
    expect(afterwards.decision.whatIf).toBe(true);
  });
});
