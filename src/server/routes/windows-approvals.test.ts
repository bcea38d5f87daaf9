import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManualClock } from '../../platform/clock.js';
import { createTestRampart } from '../../testing/rampart.js';

type T = Awaited<ReturnType<typeof createTestRampart>>;

describe('GET /api/v1/windows and /api/v1/approvals/pending', () => {
  let r: T;
  let viewer: string;
  let captain: string;

  async function token(name: string, role: string) {
    const res = await r.request('/api/v1/tokens', { method: 'POST', body: JSON.stringify({ name, roles: [role] }) });
    return ((await res.json()) as { token: string }).token;
  }

  beforeAll(async () => {
    r = await createTestRampart();
    viewer = await token('vic', 'viewer');
    captain = await token('rc', 'release-captain');
  });
  afterAll(() => r.cleanup());

  it('answers 401 without a token', async () => {
    expect((await r.request('/api/v1/windows', { token: null })).status).toBe(401);
    expect((await r.request('/api/v1/approvals/pending', { token: null })).status).toBe(401);
  });

  it('says the default window is open on Monday 10:00 UTC and closes at 16:00, and follows the clock', async () => {
    const open = await (await r.request('/api/v1/windows', { token: viewer })).json();
    expect(open).toMatchObject({
      at: '2026-01-05T10:00:00.000Z', open: true, nextChange: '2026-01-05T16:00:00.000Z', source: 'default window (Mon-Thu 09:00-16:00 UTC)',
      windows: [{ name: 'weekdays-0900-1600', kind: 'allow', activeNow: true, closesAt: '2026-01-05T16:00:00.000Z' }], freezes: [],
    });
    (r.deps.clock as ManualClock).advance(7 * 3600_000);
    const closed = await (await r.request('/api/v1/windows', { token: viewer })).json();
    expect(closed).toMatchObject({ open: false, reason: 'outside every allow window', nextChange: '2026-01-06T09:00:00.000Z', windows: [{ activeNow: false, opensAt: '2026-01-06T09:00:00.000Z' }] });
  });

  it('lists a denied release waiting for the release captain until one approves it', async () => {
    const release = await r.deps.releases.create({ service: 'api', version: '2.0.0', environment: 'production', kind: 'feature', evidence: [], steps: [] }, { actor: 'token:dee' });
    // A what-if release (decided at a given time) is not the release's decision: not listed.
    await r.deps.releases.create({ service: 'api', version: '2.0.1', environment: 'production', kind: 'feature', evidence: [], steps: [], at: '2026-01-05T11:00:00Z' }, { actor: 'token:dee' });
    const before = await (await r.request('/api/v1/approvals/pending', { token: viewer })).json() as { pending: Array<Record<string, unknown>> };
    expect(before.pending).toHaveLength(1);
    expect(before.pending[0]).toMatchObject({ releaseId: release.id, service: 'api', version: '2.0.0', decisionId: release.decisionId, check: { result: 'missing' } });
    // Nothing was supplied: approval alone will not allow it, and the list says so.
    expect(before.pending[0]!.otherFailures).toEqual(expect.arrayContaining(['quality.coverage', 'approval.change_window']));

    const approved = await r.request(`/api/v1/releases/${release.id}/approvals`, { method: 'POST', token: captain, body: JSON.stringify({ comment: 'ok' }) });
    expect(approved.status).toBe(200);
    const after = await (await r.request('/api/v1/approvals/pending', { token: viewer })).json() as { pending: unknown[] };
    expect(after.pending).toEqual([]);
  });

  it('refuses a bad scan size with the field named', async () => {
    const res = await r.request('/api/v1/approvals/pending?scan=0', { token: viewer });
    expect(res.status).toBe(400);
    expect(JSON.stringify(await res.json())).toMatch(/scan/);
  });
});
