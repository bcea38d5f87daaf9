import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type UpProcess, runRampart, startUp, waitExit } from '../../src/testing/cli.js';
import { freePort } from '../../src/testing/ports.js';
import { writeGoodEvidence } from '../../src/testing/release-evidence.js';

/*
 * Time: an exception's limit runs on the server clock from its final approval; a decision checks
 * validity at its own instant (`--at` for a what-if). So every `--at` here is computed from the
 * real clock after approval: +10 min is inside the window limit, +4 h 1 min is beyond it. To be
 * outside the change window at any real time, the test's only allow window is Jan 1, 03:00-04:00
 * UTC. The review window is ~1 s (exceptions.reviewDueHours) so that a review becomes overdue.
 */
const config = [
  '  windows:',
  '    - { name: new-year-only, kind: allow, schedule: "0 3 1 1 *", duration: 1h }',
  'exceptions:',
  '  reviewDueHours: 0.0003',
  '',
].join('\n');

type Check = { id: string; result: string; value: unknown; waived?: { exceptionId: string; type: string } };
type Decision = { id: string; violations: string[]; exceptions: Array<{ id: string; type: string; checks: string[]; cveIds?: string[] }>; checks: Array<{ checks: Check[] }> };
const checkOf = (d: Decision, id: string) => d.checks.flatMap((g) => g.checks).find((c) => c.id === id)!;
const inMinutes = (m: number) => new Date(Date.now() + m * 60_000).toISOString();

describe('exceptions end to end (rampart up, gate check --server --at)', () => {
  const admin = 'rpt_exceptions-e2e-admin-token-0000000000';
  const dir = mkdtempSync(join(tmpdir(), 'rampart-exceptions-'));
  const good = writeGoodEvidence(dir, config);
  let up: UpProcess;
  let env: Record<string, string>;
  const as: Record<string, Record<string, string>> = {};
  const run = (args: string[], who: string) => runRampart(args, { ...env, RAMPART_TOKEN: as[who]!.RAMPART_TOKEN! });
  const json = async (args: string[], who: string) => {
    const r = await run([...args, '--output', 'json'], who);
    if (r.code !== 0 && r.code !== 1) throw new Error(`rampart ${args.join(' ')} exited ${r.code}: ${r.stderr}`);
    return JSON.parse(r.stdout);
  };
  const check = async (at: string, evidence = good.evidenceDir, version = '1.4.2'): Promise<Decision> =>
    (await json(['gate', 'check', '--service', 'api', '--version', version, '--evidence', evidence, '--step', ...good.steps, '--at', at], 'ci')).decision;

  beforeAll(async () => {
    up = await startUp(['--port', String(await freePort()), '--data-dir', join(dir, 'data'), '--config', good.configFile], { RAMPART_ADMIN_TOKEN: admin });
    env = { RAMPART_SERVER: up.url, RAMPART_TOKEN: admin };
    as.admin = { RAMPART_TOKEN: admin };
    for (const [name, role] of [['ci', 'deployer'], ['rc', 'release-captain'], ['sec', 'security'], ['dir', 'eng-director']] as const) {
      as[name] = { RAMPART_TOKEN: (await runRampart(['token', 'create', '--name', name, '--role', role], env)).stdout.trim() };
    }
  });
  afterAll(async () => {
    up.child.kill('SIGTERM');
    await waitExit(up.child);
    rmSync(dir, { recursive: true, force: true });
  });

  let windowId = '';

  it('a window exception requested by a deployer and approved by a release captain waives the window until it expires', async () => {
    const before = await check(inMinutes(10));
    expect(checkOf(before, 'approval.change_window')).toMatchObject({ result: 'fail' });
    expect(before.violations.some((v) => v.startsWith('approval.change_window: fail'))).toBe(true);

    const requested = await json(['exception', 'request', '--type', 'window', '--service', 'api', '--reason', 'checkout hotfix', '--mitigation', 'canary 1%, on-call watching', '--impact', 'checkout errors for 2% of users'], 'ci');
    expect(requested).toMatchObject({ state: 'pending', requestor: 'token:ci' });
    windowId = requested.id;
    const own = await run(['exception', 'approve', windowId], 'ci');
    expect(own.code).toBe(1);
    expect(own.stderr).toMatch(/requestor never approves/);
    const approved = await json(['exception', 'approve', windowId], 'rc');
    expect(approved).toMatchObject({ state: 'approved', approvers: ['token:rc'] });
    expect(Date.parse(approved.expiration) - Date.parse(approved.approvedAt)).toBe(4 * 3600_000);

    const during = await check(inMinutes(10));
    expect(checkOf(during, 'approval.change_window')).toMatchObject({ waived: { exceptionId: windowId, type: 'window' } });
    expect(during.violations.filter((v) => v.startsWith('approval.change_window'))).toEqual([]);
    expect(during.exceptions).toEqual([{ id: windowId, type: 'window', checks: ['approval.change_window'] }]);
    const replay = await run(['gate', 'replay', during.id], 'ci');
    expect(replay).toMatchObject({ code: 0, stdout: expect.stringMatching(/^identical/) });

    const after = await check(inMinutes(4 * 60 + 1));
    expect(checkOf(after, 'approval.change_window').waived).toBeUndefined();
    expect(after.violations.some((v) => v.startsWith('approval.change_window: fail'))).toBe(true);
    expect(after.exceptions).toEqual([]);

    // Revoked exceptions waive nothing, even inside their time limit.
    expect((await json(['exception', 'revoke', windowId, '--reason', 'hotfix shipped'], 'ci')).state).toBe('revoked');
    expect(checkOf(await check(inMinutes(10)), 'approval.change_window').waived).toBeUndefined();
  });

  it('a security waiver for one CVE leaves the second critical CVE counted', async () => {
    const evidence = join(dir, 'evidence-cves');
    cpSync(good.evidenceDir, evidence, { recursive: true });
    writeFileSync(join(evidence, 'trivy.json'), JSON.stringify({
      SchemaVersion: 2, ArtifactName: 'ghcr.io/example/shop',
      Results: [{ Target: 'app', Vulnerabilities: [
        { VulnerabilityID: 'CVE-2026-1111', PkgName: 'openssl', Severity: 'CRITICAL', InstalledVersion: '3.0.0' },
        { VulnerabilityID: 'CVE-2026-2222', PkgName: 'zlib', Severity: 'CRITICAL', InstalledVersion: '1.2.0' },
      ] }],
    }));
    expect(checkOf(await check(inMinutes(10), evidence), 'security.critical_cves')).toMatchObject({ result: 'fail', value: 2 });

    const id = (await json(['exception', 'request', '--type', 'security', '--service', 'api', '--version', '1.4.2', '--cve', 'CVE-2026-1111', '--reason', 'no upstream fix', '--mitigation', 'WAF rule 7'], 'ci')).id;
    expect((await json(['exception', 'approve', id], 'sec')).state).toBe('pending');
    expect((await json(['exception', 'approve', id], 'dir')).state).toBe('approved');

    const d = await check(inMinutes(10), evidence);
    expect(checkOf(d, 'security.critical_cves')).toMatchObject({ result: 'fail', value: 1, waived: { exceptionId: id, type: 'security' } });
    expect(d.violations).toContain('1 critical CVEs detected');
    expect(d.violations.find((v) => v.startsWith('security.critical_cves'))).toMatch(/CVE-2026-2222/);
    expect(d.exceptions).toEqual([{ id, type: 'security', checks: ['security.critical_cves'], cveIds: ['CVE-2026-1111'] }]);
    // Bound to 1.4.2: another version gets no waiver.
    expect(checkOf(await check(inMinutes(10), evidence, '1.4.3'), 'security.critical_cves')).toMatchObject({ value: 2 });
  });

  it('a real decision uses the exception; its overdue review is listed and blocks new requests for the service', async () => {
    const windowExc = (await json(['exception', 'request', '--type', 'window', '--service', 'api', '--reason', 'second hotfix', '--mitigation', 'canary'], 'ci')).id;
    await json(['exception', 'approve', windowExc], 'rc');
    // No --at: a real decision at the server's now, outside the window, which records the use.
    const real = await json(['gate', 'check', '--service', 'api', '--version', '1.4.4', '--evidence', good.evidenceDir, '--step', ...good.steps], 'ci');
    expect(real.decision.exceptions.map((e: { id: string }) => e.id)).toEqual([windowExc]);
    const shown = await json(['exception', 'get', windowExc], 'ci');
    expect(shown).toMatchObject({ deploymentIds: [real.decision.id], uses: [{ releaseId: real.release }] });

    await new Promise((r) => setTimeout(r, 1500));
    const listed = await json(['exception', 'list', '--needs-review'], 'ci');
    expect(listed.map((e: { id: string; reviewOverdue: boolean }) => [e.id, e.reviewOverdue])).toEqual([[windowExc, true]]);
    const table = await run(['exception', 'list', '--needs-review'], 'ci');
    expect(table.stdout).toMatch(new RegExp(`${windowExc}.*OVERDUE`));

    const blocked = await run(['exception', 'request', '--type', 'window', '--service', 'api', '--reason', 'third', '--mitigation', 'm'], 'ci');
    expect(blocked.code).toBe(1);
    expect(blocked.stderr).toMatch(/overdue exception reviews/);
    expect((await run(['exception', 'review', windowExc, '--notes', 'hotfix held; no customer impact'], 'rc')).code).toBe(0);
    expect((await run(['exception', 'request', '--type', 'window', '--service', 'api', '--reason', 'third', '--mitigation', 'm'], 'ci')).code).toBe(0);
  });

  it('the audit chain holds every step with its actor, and verifies', async () => {
    const events = await json(['audit', 'list', '--limit', '500'], 'admin');
    const list = (Array.isArray(events) ? events : events.events) as Array<{ action: string; actor: string; subjectId: string }>;
    const steps = list.filter((e) => e.subjectId === windowId).map((e) => `${e.action} ${e.actor}`).reverse();
    expect(steps).toEqual(['exception.request token:ci', 'exception.approve-refused token:ci', 'exception.approve token:rc', 'exception.revoke token:ci']);
    const actions = new Set(list.filter((e) => e.action.startsWith('exception.')).map((e) => `${e.action} ${e.actor}`));
    for (const step of ['exception.use token:ci', 'exception.review token:rc', 'exception.approve token:sec', 'exception.approve token:dir']) expect(actions).toContain(step);
    const verify = await runRampart(['audit', 'verify', '--data-dir', join(dir, 'data'), '--config', good.configFile]);
    expect(verify).toMatchObject({ code: 0, stdout: expect.stringMatching(/^audit chain intact/) });
  });
});
