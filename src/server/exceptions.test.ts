import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManualClock } from '../platform/clock.js';
import { createTestRampart, testAdminToken } from '../testing/rampart.js';

type T = Awaited<ReturnType<typeof createTestRampart>>;
const FRIDAY_10 = Date.UTC(2026, 0, 9, 10, 0, 0);
const hour = 3600_000;

describe('exceptions API (manual clock)', () => {
  let r: T;
  let clock: ManualClock;
  const tokens: Record<string, string> = {};
  const call = async (path: string, token: string, body?: unknown) => {
    const res = await r.request(path, { token, ...(body === undefined ? {} : { method: 'POST', body: JSON.stringify(body) }) });
    return { status: res.status, body: (await res.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any
  };
  const windowRequest = { type: 'window', service: 'api', reason: 'hotfix for checkout', mitigation: 'canary at 1%' };

  beforeAll(async () => {
    r = await createTestRampart({ configYaml: 'gates:\n  authorizedOverriders: [vp-on-call]\n' });
    clock = r.deps.clock as ManualClock;
    clock.set(FRIDAY_10);
    for (const [name, roles] of Object.entries({ ci: ['deployer'], rc: ['release-captain'], sec: ['security'], dir: ['eng-director'], both: ['security', 'eng-director'], view: ['viewer'] })) {
      const res = await r.request('/api/v1/tokens', { method: 'POST', body: JSON.stringify({ name, roles }) });
      tokens[name] = ((await res.json()) as { token: string }).token;
    }
  });
  afterAll(() => r.cleanup());

  it('a viewer cannot request; a deployer can; the requestor, a deployer and admin cannot approve a window exception', async () => {
    expect((await call('/api/v1/exceptions', tokens.view!, windowRequest)).status).toBe(403);
    const req = await call('/api/v1/exceptions', tokens.ci!, windowRequest);
    expect(req).toMatchObject({ status: 201, body: { state: 'pending', requestor: 'token:ci', auditLevel: 'standard' } });
    const id = req.body.id as string;
    expect((await call(`/api/v1/exceptions/${id}/approve`, tokens.ci!, {})).body.error.message).toMatch(/requestor never approves/);
    const admin = await call(`/api/v1/exceptions/${id}/approve`, testAdminToken, {});
    expect(admin).toMatchObject({ status: 403, body: { error: { message: expect.stringMatching(/admin does not stand in/) } } });
    const ok = await call(`/api/v1/exceptions/${id}/approve`, tokens.rc!, {});
    expect(ok).toMatchObject({ status: 200, body: { state: 'approved', approvers: ['token:rc'], expiration: new Date(FRIDAY_10 + 4 * hour).toISOString() } });

    const release = await call('/api/v1/releases', tokens.ci!, { service: 'api', version: '1.0.0' });
    const change = release.body.decision.checks.flatMap((g: { checks: unknown[] }) => g.checks).find((c: { id: string }) => c.id === 'approval.change_window');
    expect(change).toMatchObject({ result: 'fail', waived: { exceptionId: id, type: 'window' } });
    expect(release.body.decision.exceptions).toEqual([{ id, type: 'window', checks: ['approval.change_window'] }]);
    const replay = await call(`/api/v1/decisions/${release.body.decision.id}/replay`, tokens.view!);
    expect(replay.body.identical).toBe(true);
    const used = await call(`/api/v1/exceptions/${id}`, tokens.view!);
    expect(used.body).toMatchObject({ deploymentIds: [release.body.decision.id], uses: [{ releaseId: release.body.id }], reviewDue: new Date(FRIDAY_10 + 24 * hour).toISOString(), needsReview: true, reviewOverdue: false });

    clock.advance(4 * hour + 1000);
    expect((await call(`/api/v1/exceptions/${id}`, tokens.view!)).body.state).toBe('expired');
    const after = await call('/api/v1/releases', tokens.ci!, { service: 'api', version: '1.0.1' });
    expect(after.body.decision.exceptions).toEqual([]);

    clock.advance(20 * hour);
    const overdue = await call('/api/v1/exceptions?needsReview=true', tokens.view!);
    expect(overdue.body.exceptions.map((e: { id: string; reviewOverdue: boolean }) => [e.id, e.reviewOverdue])).toEqual([[id, true]]);
    expect(await call('/api/v1/exceptions', tokens.ci!, windowRequest)).toMatchObject({ status: 409, body: { error: { message: expect.stringMatching(/overdue exception reviews/) } } });
    expect((await call(`/api/v1/exceptions/${id}/review`, tokens.rc!, { notes: 'hotfix held; no incident' })).body).toMatchObject({ reviewed: true });
    expect((await call('/api/v1/exceptions', tokens.ci!, windowRequest)).status).toBe(201);

    const audit = await call('/api/v1/audit?limit=200', testAdminToken);
    const steps = (audit.body.events as Array<{ action: string; actor: string; subjectId: string }>).filter((e) => e.subjectId === id).map((e) => [e.action, e.actor]).reverse();
    expect(steps).toEqual([
      ['exception.request', 'token:ci'], ['exception.approve-refused', 'token:ci'], ['exception.approve-refused', 'token:admin (RAMPART_ADMIN_TOKEN)'],
      ['exception.approve', 'token:rc'], ['exception.use', 'token:ci'], ['exception.expire', 'system:rampart'], ['exception.review', 'token:rc'],
    ]);
  });

  it('a security waiver needs two different people; one person with both roles approves once', async () => {
    const req = await call('/api/v1/exceptions', tokens.ci!, { type: 'security', service: 'copilot', reason: 'no fix upstream', mitigation: 'WAF rule', cveIds: ['CVE-2026-1'] });
    const id = req.body.id as string;
    expect((await call(`/api/v1/exceptions/${id}/approve`, tokens.both!, {})).body).toMatchObject({ state: 'pending', approvals: [{ role: 'security' }] });
    expect((await call(`/api/v1/exceptions/${id}/approve`, tokens.both!, {})).status).toBe(403);
    expect((await call(`/api/v1/exceptions/${id}/approve`, tokens.sec!, {})).status).toBe(403);
    expect((await call(`/api/v1/exceptions/${id}/approve`, tokens.dir!, {})).body).toMatchObject({ state: 'approved', approvers: ['token:both', 'token:dir'] });
    expect((await call(`/api/v1/exceptions/${id}/revoke`, tokens.ci!, { reason: 'patched' })).body).toMatchObject({ state: 'revoked' });
    expect((await call(`/api/v1/exceptions/${id}/revoke`, tokens.ci!, {})).status).toBe(409);
  });

  it('denies with a reason; a denied exception cannot be approved', async () => {
    const id = (await call('/api/v1/exceptions', tokens.ci!, { ...windowRequest, service: 'copilot' })).body.id as string;
    expect((await call(`/api/v1/exceptions/${id}/deny`, tokens.rc!, { reason: 'wait for Monday' })).body).toMatchObject({ state: 'denied', stateReason: 'wait for Monday' });
    expect((await call(`/api/v1/exceptions/${id}/approve`, tokens.rc!, {})).status).toBe(409);
    expect((await call('/api/v1/exceptions?state=denied', tokens.view!)).body.exceptions.map((e: { id: string }) => e.id)).toEqual([id]);
  });

  it('a granted emergency override records its own exception, pre-approved, review mandatory', async () => {
    const rel = await call('/api/v1/releases', tokens.ci!, { service: 'graphql-gateway', version: '9', emergency: { approver: 'vp-on-call', incidentId: 'INC-9' } });
    expect(rel.body.decision.overrides.granted).toBe(true);
    const list = await call('/api/v1/exceptions?service=graphql-gateway&needsReview=true', tokens.view!);
    expect(list.body.exceptions).toEqual([expect.objectContaining({
      origin: 'emergency', incidentId: 'INC-9', approvers: ['vp-on-call'], auditLevel: 'critical', needsReview: true, deploymentIds: [rel.body.decision.id],
    })]);
  });

  it('the sweep expires what is due, without a read', async () => {
    const id = (await call('/api/v1/exceptions', tokens.ci!, { type: 'slo', service: 'copilot', reason: 'r', mitigation: 'm' })).body.id as string;
    const lead = ((await (await r.request('/api/v1/tokens', { method: 'POST', body: JSON.stringify({ name: 'lead', roles: ['sre-lead'] }) })).json()) as { token: string }).token;
    expect((await call(`/api/v1/exceptions/${id}/approve`, lead, {})).body.expiration).toBe(new Date(clock.now() + 2 * hour).toISOString());
    clock.set(clock.now() + 2 * hour);
    await r.deps.exceptions.sweep();
    expect((await r.deps.store.exceptions.get(id))?.state).toBe('expired');
  });
  it('the list carries the approver table the dashboard uses to show approve and deny', async () => {
    const list = await call('/api/v1/exceptions', tokens.view!);
    expect(list.body.types).toMatchObject({ window: { approvers: ['release-captain'], limitHours: 4 }, security: { approvers: ['security', 'eng-director'] }, freeze: { approvers: ['vp-eng', 'cto'], limitHours: null } });
    expect(list.body.adminStandsIn).toBe(false);
  });
});
