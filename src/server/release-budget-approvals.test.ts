import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Rampart, createRampart } from '../main.js';
import { createManualClock } from '../platform/clock.js';
import { createSilentLogger } from '../platform/logger.js';
import { writeGoodEvidence } from '../testing/release-evidence.js';

const admin = 'rpt_budget-approvals-test-admin-000000';

/**
 * The budget bands through the API: with 10 % of the budget left (protected), a tier-1 fix with
 * every report passing is denied until an SRE approves it, a feature stays denied whoever approves,
 * and only a person holding the role may approve in it.
 */
describe('release approvals by SRE for the budget bands', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-band-approvals-'));
  let r: Rampart;
  const tokens: Record<string, string> = {};
  let evidence: Array<{ name: string; content: string; encoding: 'base64' }>;
  let steps: string[];

  const call = async (path: string, token: string, body?: unknown) => {
    const res = await r.app.request(path, { method: body === undefined ? 'GET' : 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };
  type Check = { id: string; result: string; detail?: string };
  const checkOf = (release: Record<string, unknown>, id: string) =>
    ((release.decision as { checks: Array<{ checks: Check[] }> }).checks.flatMap((g) => g.checks)).find((c) => c.id === id);
  const create = async (version: string, kind: string) =>
    (await call('/api/v1/releases', tokens.deployer!, { service: 'api', version, kind, evidence, steps })).body;

  beforeAll(async () => {
    const good = writeGoodEvidence(dir, '  windows:\n    - { name: always, kind: allow, schedule: "* * * * *", duration: 1m }\n');
    evidence = readdirSync(good.evidenceDir).map((name) => ({ name, content: readFileSync(join(good.evidenceDir, name)).toString('base64'), encoding: 'base64' }));
    steps = good.steps;
    r = await createRampart({ configFile: good.configFile, env: { adminToken: admin }, dataDir: join(dir, 'data'), clock: createManualClock(), logger: createSilentLogger() });
    for (const [name, role] of [['dee', 'deployer'], ['rc', 'release-captain'], ['sam', 'sre']] as const) {
      tokens[role] = String((await call('/api/v1/tokens', admin, { name, roles: [role] })).body.token);
    }
    await r.deps.releases.putSloStatus('api', { errorBudgetRemainingPct: 10, fastBurnRate: 0.5 }, { actor: 'token:sam' });
  });
  afterAll(async () => {
    await r?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('denies a fix under 20 % until an SRE approves it; the captain alone is not enough', async () => {
    const fix = await create('2.0.1', 'fix');
    expect(fix.allow).toBe(false);
    expect(checkOf(fix, 'slo.error_budget')).toMatchObject({ result: 'fail', detail: expect.stringContaining('needs SRE approval, none recorded') });

    const captain = await call(`/api/v1/releases/${String(fix.id)}/approvals`, tokens['release-captain']!, { comment: 'window ok' });
    expect(captain.status).toBe(200);
    expect(captain.body.allow).toBe(false);
    expect(checkOf(captain.body, 'approval.release_captain')).toMatchObject({ result: 'pass' });

    const sre = await call(`/api/v1/releases/${String(fix.id)}/approvals`, tokens.sre!, { role: 'sre', comment: 'fixes the burn' });
    expect(sre.status).toBe(200);
    expect(sre.body.allow).toBe(true);
    expect(checkOf(sre.body, 'slo.error_budget')).toMatchObject({ result: 'pass', detail: expect.stringContaining('SRE approval by token:sam') });
    expect((sre.body.approvals as Array<{ role: string }>).map((a) => a.role)).toEqual(expect.arrayContaining(['release-captain', 'sre']));
  });

  it('keeps a feature denied under 20 % even with SRE and captain approvals', async () => {
    const feature = await create('2.1.0', 'feature');
    await call(`/api/v1/releases/${String(feature.id)}/approvals`, tokens['release-captain']!, {});
    const after = await call(`/api/v1/releases/${String(feature.id)}/approvals`, tokens.sre!, { role: 'sre' });
    expect(after.body.allow).toBe(false);
    expect(checkOf(after.body, 'slo.error_budget')).toMatchObject({ result: 'fail' });
  });

  it('lets only a holder of the role approve in it, admin included, and names the role', async () => {
    const fix = await create('2.0.2', 'fix');
    const asCaptain = await call(`/api/v1/releases/${String(fix.id)}/approvals`, tokens.sre!, { role: 'release-captain' });
    expect(asCaptain.status).toBe(403);
    expect(JSON.stringify(asCaptain.body)).toContain('release-captain role itself');
    expect((await call(`/api/v1/releases/${String(fix.id)}/approvals`, admin, { role: 'sre' })).status).toBe(403);
    expect((await call(`/api/v1/releases/${String(fix.id)}/approvals`, tokens.deployer!, { role: 'sre' })).status).toBe(403);
    const bad = await call(`/api/v1/releases/${String(fix.id)}/approvals`, tokens.sre!, { role: 'cto' });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain('role');
  });
});
