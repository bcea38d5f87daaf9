import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestRampart } from '../testing/rampart.js';

type T = Awaited<ReturnType<typeof createTestRampart>>;

describe('HTTP API', () => {
  let r: T;
  let viewerToken: string;

  beforeAll(async () => {
    r = await createTestRampart();
    const res = await r.request('/api/v1/tokens', { method: 'POST', body: JSON.stringify({ name: 'dash', roles: ['viewer'] }) });
    expect(res.status).toBe(201);
    viewerToken = ((await res.json()) as { token: string }).token;
  });
  afterAll(() => r.cleanup());

  it('is healthy and ready', async () => {
    expect(await (await r.request('/healthz', { token: null })).json()).toEqual({ status: 'ok' });
    expect(await (await r.request('/readyz', { token: null })).json()).toEqual({ status: 'ready', store: 'sqlite' });
  });

  it('lists the 11 services of the spec with tiers, SLOs and strategies', async () => {
    const res = await r.request('/api/v1/services', { token: viewerToken });
    expect(res.status).toBe(200);
    const { services } = (await res.json()) as { services: Array<{ name: string; tier: number; strategy: string; slo: object }> };
    expect(services).toHaveLength(11);
    expect(services.find((s) => s.name === 'neo4j')).toMatchObject({ tier: 1, strategy: 'blue-green', slo: { durability: { target: 99.99 } } });
  });

  it('resolves one service, a family member included, and 404s an unknown one', async () => {
    const res = await r.request('/api/v1/services/worker-email');
    expect(await res.json()).toMatchObject({ name: 'worker-email', matchedBy: 'worker-*', tier: 2, strategy: 'rolling' });
    const missing = await r.request('/api/v1/services/nope');
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ error: { code: 'NOT_FOUND', message: expect.stringContaining('nope') } });
  });

  it('answers 401 without a token and with a bad one', async () => {
    for (const token of [null, 'rpt_wrong', 'garbage']) {
      const res = await r.request('/api/v1/services', { token });
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ error: { code: 'UNAUTHENTICATED' } });
    }
  });

  it('answers 403 naming the missing role to a viewer that mutates, and audits the denial', async () => {
    const res = await r.request('/api/v1/tokens', { method: 'POST', token: viewerToken, body: JSON.stringify({ name: 'x', roles: ['admin'] }) });
    expect(res.status).toBe(403);
    const body = (await res.json()) as { error: { message: string; details: { required: string[] } } };
    expect(body.error.message).toMatch(/needs role admin/);
    expect(body.error.details.required).toEqual(['admin']);
    await r.deps.audit.drain();
    const audit = (await (await r.request('/api/v1/audit?action=auth.denied')).json()) as { events: Array<{ actor: string; subjectId: string }> };
    expect(audit.events[0]).toMatchObject({ actor: 'token:dash', subjectId: 'POST /api/v1/tokens' });
  });

  it('never returns a token hash, and returns the token only once', async () => {
    const created = (await (await r.request('/api/v1/tokens', { method: 'POST', body: JSON.stringify({ name: 'ci', roles: ['deployer'] }) })).json()) as Record<string, unknown>;
    expect(String(created.token)).toMatch(/^rpt_/);
    const listText = await (await r.request('/api/v1/tokens')).text();
    expect(listText).not.toContain(String(created.token));
    expect(listText).not.toMatch(/tokenHash|token_hash/);
    const auditText = await (await r.request('/api/v1/audit?limit=1000')).text();
    expect(auditText).not.toContain(String(created.token));
  });

  it('revokes a token, after which it is refused', async () => {
    const created = (await (await r.request('/api/v1/tokens', { method: 'POST', body: JSON.stringify({ name: 'tmp', roles: ['viewer'] }) })).json()) as { id: string; token: string };
    expect((await r.request('/api/v1/whoami', { token: created.token })).status).toBe(200);
    expect((await r.request(`/api/v1/tokens/${created.id}`, { method: 'DELETE' })).status).toBe(200);
    expect((await r.request('/api/v1/whoami', { token: created.token })).status).toBe(401);
    expect((await r.request(`/api/v1/tokens/${created.id}`, { method: 'DELETE' })).status).toBe(409);
  });

  it.each([
    ['not JSON', '{', 400, 'BAD_REQUEST'],
    ['unknown role', JSON.stringify({ name: 'x', roles: ['root'] }), 400, 'VALIDATION_FAILED'],
    ['missing name', JSON.stringify({ roles: ['viewer'] }), 400, 'VALIDATION_FAILED'],
    ['extra field', JSON.stringify({ name: 'x', roles: ['viewer'], admin: true }), 400, 'VALIDATION_FAILED'],
  ])('rejects a token request with %s', async (_n, body, status, code) => {
    const res = await r.request('/api/v1/tokens', { method: 'POST', body });
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ error: { code } });
  });

  it('rejects an oversized body with 413', async () => {
    const res = await r.request('/api/v1/tokens', { method: 'POST', body: JSON.stringify({ name: 'x'.repeat(11 * 1024 * 1024), roles: ['viewer'] }) });
    expect(res.status).toBe(413);
  });

  it('filters and pages the audit log, and verifies the chain', async () => {
    const page1 = (await (await r.request('/api/v1/audit?limit=2')).json()) as { events: Array<{ seq: number }>; next: { before: number } };
    expect(page1.events).toHaveLength(2);
    const page2 = (await (await r.request(`/api/v1/audit?limit=2&before=${page1.next.before}`)).json()) as { events: Array<{ seq: number }> };
    expect(page2.events[0]!.seq).toBeLessThan(page1.events[1]!.seq);
    const bad = await r.request('/api/v1/audit?since=yesterday');
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ error: { details: { fields: [{ field: 'since' }] } } });
    expect(await (await r.request('/api/v1/audit/verify')).json()).toMatchObject({ ok: true });
  });

  it('carries a request id and exposes metrics', async () => {
    const res = await r.request('/api/v1/services', { headers: { 'x-request-id': 'abc-123' } });
    expect(res.headers.get('x-request-id')).toBe('abc-123');
    const metrics = await (await r.request('/metrics', { token: null })).text();
    expect(metrics).toMatch(/rampart_http_requests_total\{method="GET",route="\/api\/v1\/services",code="200"\}/);
    expect(metrics).toMatch(/rampart_process_cpu_seconds_total/);
  });
});
