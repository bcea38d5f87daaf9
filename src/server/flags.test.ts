import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ManualClock } from '../platform/clock.js';
import { createTestRampart } from '../testing/rampart.js';

type T = Awaited<ReturnType<typeof createTestRampart>>;
const json = (body: unknown) => ({ method: 'POST', body: JSON.stringify(body) });
const put = (body: unknown) => ({ method: 'PUT', body: JSON.stringify(body) });

const newSearch = {
  name: 'new-search-algorithm',
  rollout: { type: 'percentage', percentage: 5, sticky: true },
  targeting: { allowList: ['beta-testers', 'internal-users'], rules: [{ attribute: 'plan', operator: 'in', values: ['enterprise'] }] },
  metrics: { track: ['search_latency_p95', 'search_relevance_score'], successCriteria: { search_latency_p95: { operator: 'lt', value: 200 }, search_relevance_score: { operator: 'gt', value: 0.85 } } },
  killSwitch: { errorThreshold: 0.05, latencyThreshold: 500 },
};

describe('flags API and OFREP', () => {
  let r: T;
  let clientKey: string;
  let deployer: string;
  let viewer: string;

  beforeAll(async () => {
    r = await createTestRampart({ configYaml: 'flags: { ofrepRatePerSecond: 100 }\n' });
    const token = async (roles: string[]) => ((await (await r.request('/api/v1/tokens', json({ name: roles.join('+'), roles }))).json()) as { token: string }).token;
    deployer = await token(['deployer']);
    viewer = await token(['viewer']);
    const ck = await r.request('/api/v1/client-keys', json({ name: 'web', environment: 'staging' }));
    expect(ck.status).toBe(201);
    clientKey = ((await ck.json()) as { key: string }).key;
    for (const [name, members] of [['beta-testers', ['u-beta']], ['internal-users', ['u-staff']]] as const) {
      expect((await r.request(`/api/v1/segments/${name}`, { ...put({ members }), token: deployer })).status).toBe(200);
    }
  });
  afterAll(() => r.cleanup());

  const ofrep = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    r.request(`/ofrep/v1${path}`, { method: 'POST', body: JSON.stringify(body), token: null, headers: { 'x-api-key': clientKey, ...headers } });

  it('creates the spec\'s featureConfig flag and evaluates its targeting', async () => {
    const res = await r.request('/api/v1/flags/new-search-algorithm', { ...put({ featureConfig: newSearch, reason: 'launch' }), token: deployer });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ key: 'new-search-algorithm', version: 1, rolloutPercent: 5, state: 'ENABLED' });
    const beta = await (await ofrep('/evaluate/flags/new-search-algorithm', { context: { targetingKey: 'u-beta' } })).json();
    expect(beta).toMatchObject({ key: 'new-search-algorithm', value: true, variant: 'on', reason: 'TARGETING_MATCH' });
    const enterprise = await (await ofrep('/evaluate/flags/new-search-algorithm', { context: { targetingKey: 'x', plan: 'enterprise' } })).json();
    expect(enterprise).toMatchObject({ value: true });
  });

  it('refuses a change without a reason, from a viewer, or with a bad definition', async () => {
    expect((await r.request('/api/v1/flags/x', { ...put({ definition: { state: 'ENABLED' } }), token: deployer })).status).toBe(400);
    expect((await r.request('/api/v1/flags/x', { ...put({ definition: {}, reason: 'r' }), token: viewer })).status).toBe(403);
    const bad = await r.request('/api/v1/flags/x', { ...put({ definition: { state: 'ENABLED', variants: { on: true }, defaultVariant: 'nope' }, reason: 'r' }), token: deployer });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/flag "x", field defaultVariant: "nope" is not one of the variants/);
    const badSegment = await r.request('/api/v1/flags/y', { ...put({ featureConfig: { ...newSearch, name: 'y', targeting: { allowList: ['ghosts'] } }, reason: 'r' }), token: deployer });
    expect(badSegment.status).toBe(400);
  });

  it('keeps every version with a diff, actor and reason', async () => {
    const raised = { ...newSearch, rollout: { type: 'percentage', percentage: 25, sticky: true } };
    await r.request('/api/v1/flags/new-search-algorithm', { ...put({ featureConfig: raised, reason: 'widen to 25%' }), token: deployer });
    const { versions } = (await (await r.request('/api/v1/flags/new-search-algorithm/history')).json()) as { versions: Array<{ version: number; reason: string; actor: string; diff: Array<{ path: string; from: unknown; to: unknown }> }> };
    expect(versions.map((v) => v.version)).toEqual([2, 1]);
    expect(versions[0]).toMatchObject({ reason: 'widen to 25%', actor: 'token:deployer' });
    expect(versions[0]!.diff.map((d) => [d.from, d.to])).toContainEqual([500, 2500]);
    await r.deps.audit.drain();
    const audit = (await (await r.request('/api/v1/audit?action=flag.update')).json()) as { events: Array<{ payload: { reason: string } }> };
    expect(audit.events[0]!.payload.reason).toBe('widen to 25%');
  });

  it('serves OFREP errors as the protocol defines them', async () => {
    const missing = await ofrep('/evaluate/flags/nope', { context: {} });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toEqual({ key: 'nope', errorCode: 'FLAG_NOT_FOUND', errorDetails: expect.any(String) });
    const badContext = await ofrep('/evaluate/flags/new-search-algorithm', { context: [1] });
    expect(badContext.status).toBe(400);
    expect(await badContext.json()).toMatchObject({ errorCode: 'INVALID_CONTEXT' });
    expect((await r.request('/ofrep/v1/evaluate/flags/new-search-algorithm', { method: 'POST', body: '{}', token: null })).status).toBe(401);
    expect((await r.request('/ofrep/v1/evaluate/flags/new-search-algorithm', { method: 'POST', body: '{}', token: null, headers: { authorization: 'Bearer rck_wrong' } })).status).toBe(401);
  });

  it('bulk-evaluates with an ETag and answers 304 while nothing changed', async () => {
    const first = await ofrep('/evaluate/flags', { context: { targetingKey: 'u-beta' } });
    expect(first.status).toBe(200);
    const etag = first.headers.get('etag')!;
    const body = (await first.json()) as { flags: Array<{ key: string; value: unknown }> };
    expect(body.flags).toContainEqual(expect.objectContaining({ key: 'new-search-algorithm', value: true }));
    expect((await ofrep('/evaluate/flags', { context: { targetingKey: 'u-beta' } }, { 'if-none-match': etag })).status).toBe(304);
    expect((await ofrep('/evaluate/flags', { context: { targetingKey: 'other' } }, { 'if-none-match': etag })).status).toBe(200);
    await r.request('/api/v1/flags/new-search-algorithm/disable', { ...json({ reason: 'pause' }), token: deployer });
    const after = await ofrep('/evaluate/flags', { context: { targetingKey: 'u-beta' } }, { 'if-none-match': etag });
    expect(after.status).toBe(200);
    await r.request('/api/v1/flags/new-search-algorithm/enable', { ...json({ reason: 'resume' }), token: deployer });
  });

  it('switches off a flag whose on-path fails, serves its default, and shows the evidence', async () => {
    const clock = r.deps.clock as ManualClock;
    const definition = { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off', targeting: { fractional: [['on', 50], ['off', 50]] } };
    await r.request('/api/v1/flags/risky', { ...put({ definition, reason: 'try' }), token: deployer });
    let killed = false;
    for (let i = 0; i < 30 && !killed; i++) {
      clock.advance(10_000);
      const res = await r.request('/api/v1/flags/risky/metrics', { ...json({ on: { requests: 200, errors: 20 }, off: { requests: 200, errors: 1 } }), token: deployer });
      killed = ((await res.json()) as { killed: boolean }).killed;
    }
    expect(killed).toBe(true);
    const flag = (await (await r.request('/api/v1/flags/risky')).json()) as { kill: { trigger: string; reason: string } };
    expect(flag.kill.reason).toMatch(/error ratio|sequential test/);
    for (const user of ['a', 'b', 'c', 'd', 'e', 'f']) {
      expect(await (await ofrep('/evaluate/flags/risky', { context: { targetingKey: user } })).json()).toMatchObject({ value: false, variant: 'off' });
    }
    await r.deps.audit.drain();
    const audit = (await (await r.request('/api/v1/audit?action=flag.kill')).json()) as { events: Array<{ actor: string; subjectId: string }> };
    expect(audit.events[0]).toMatchObject({ actor: 'auto-controller', subjectId: 'risky' });
  });

  it('rejects reports from a viewer and impossible counts', async () => {
    expect((await r.request('/api/v1/flags/new-search-algorithm/metrics', { ...json({ on: { requests: 1, errors: 0 }, off: { requests: 1, errors: 0 } }), token: viewer })).status).toBe(403);
    expect((await r.request('/api/v1/flags/new-search-algorithm/metrics', { ...json({ on: { requests: 1, errors: 5 }, off: { requests: 1, errors: 0 } }), token: deployer })).status).toBe(400);
  });

  it('recompiles friendly flags when a segment changes', async () => {
    expect(await (await ofrep('/evaluate/flags/new-search-algorithm', { context: { targetingKey: 'u-new' } })).json()).toMatchObject({ value: false });
    await r.request('/api/v1/segments/beta-testers', { ...put({ members: ['u-beta', 'u-new'] }), token: deployer });
    expect(await (await ofrep('/evaluate/flags/new-search-algorithm', { context: { targetingKey: 'u-new' } })).json()).toMatchObject({ value: true });
  });

  it('imports a flagd document all or nothing', async () => {
    const bad = await r.request('/api/v1/flags/import', { ...json({ document: { flags: { a: { state: 'ENABLED', variants: { x: 1 }, defaultVariant: 'x' }, b: { state: 'ON' } } }, reason: 'import' }), token: deployer });
    expect(bad.status).toBe(400);
    expect((await r.request('/api/v1/flags/a')).status).toBe(404);
    const doc = { flags: { a: { state: 'ENABLED', variants: { x: 1, y: 2 }, defaultVariant: 'x', targeting: { if: [{ $ref: 'isY' }, 'y', 'x'] } } }, $evaluators: { isY: { '==': [{ var: 'kind' }, 'y'] } } };
    const ok = await r.request('/api/v1/flags/import', { ...json({ document: doc, reason: 'import' }), token: deployer });
    expect(ok.status).toBe(200);
    expect(await (await ofrep('/evaluate/flags/a', { context: { kind: 'y' } })).json()).toMatchObject({ value: 2, reason: 'TARGETING_MATCH' });
  });

  it('serves a snapshot with an ETag to client keys, and rate-limits with 429 and Retry-After', async () => {
    const snap = await r.request('/api/v1/flags/snapshot', { token: null, headers: { 'x-api-key': clientKey } });
    expect(snap.status).toBe(200);
    const etag = snap.headers.get('etag')!;
    expect((await r.request('/api/v1/flags/snapshot', { token: null, headers: { 'x-api-key': clientKey, 'if-none-match': etag } })).status).toBe(304);
    let limited: Response | undefined;
    for (let i = 0; i < 1000 && !limited; i++) {
      const res = await ofrep('/evaluate/flags/a', { context: {} });
      if (res.status === 429) limited = res;
    }
    expect(limited?.headers.get('retry-after')).toMatch(/^\d{4}-\d\d-\d\dT/);
  });
});
