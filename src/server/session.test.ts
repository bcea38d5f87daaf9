import { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ManualClock } from '../platform/clock.js';
import { RampartError, isRampartError, toErrorBody } from '../platform/errors.js';
import { createTestRampart, testAdminToken } from '../testing/rampart.js';
import { authenticate } from './auth.js';
import type { AppEnv } from './context.js';
import { flagRoutes } from './routes/flags.js';
import { sessionRoutes } from './routes/session.js';
import { type SessionStore, createSessionStore, defaultSessionTtlMs, sessionAuthentication } from './session.js';

/** The wiring the lead adds to createApp, on a small app: authenticate, then the session, then routes. */
function wired(rampart: Awaited<ReturnType<typeof createTestRampart>>, sessions: SessionStore) {
  const app = new Hono<AppEnv>();
  app.use(authenticate(rampart.deps));
  app.use(sessionAuthentication(sessions));
  app.route('/api/v1/session', sessionRoutes(rampart.deps, sessions));
  app.route('/api/v1/flags', flagRoutes(rampart.deps));
  app.onError((err, c) => {
    const e = isRampartError(err) ? err : new RampartError('INTERNAL', String(err));
    return c.json(toErrorBody(e), e.status as 400);
  });
  return app;
}

function cookiesOf(res: Response): Record<string, string> {
  return Object.fromEntries(res.headers.getSetCookie().map((c) => {
    const [pair] = c.split(';');
    const eq = pair!.indexOf('=');
    return [pair!.slice(0, eq), c];
  }));
}

describe('dashboard sessions', () => {
  let rampart: Awaited<ReturnType<typeof createTestRampart>>;
  let sessions: SessionStore;
  let app: ReturnType<typeof wired>;
  let deployer: { token: string; id: string };

  async function signIn(token: string) {
    const res = await app.request('/api/v1/session', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ token }) });
    const body = await res.json() as { csrfToken: string; roles: string[] };
    const set = cookiesOf(res);
    const id = /rampart_session=([^;]+)/.exec(set.rampart_session ?? '')?.[1] ?? '';
    return { res, body, set, cookie: `rampart_session=${id}` };
  }
  const flagBody = JSON.stringify({ featureConfig: { name: 'f', rollout: { type: 'percentage', percentage: 10 } }, reason: 'test' });

  beforeEach(async () => {
    rampart = await createTestRampart();
    sessions = createSessionStore(rampart.deps.store, rampart.deps.clock);
    app = wired(rampart, sessions);
    const res = await rampart.request('/api/v1/tokens', { method: 'POST', body: JSON.stringify({ name: 'dee', roles: ['deployer'] }) });
    deployer = await res.json() as { token: string; id: string };
  });
  afterEach(async () => rampart.cleanup());

  it('exchanges a token for an http-only SameSite=Strict cookie with expiry and a CSRF token', async () => {
    const { res, body, set } = await signIn(deployer.token);
    expect(res.status).toBe(201);
    expect(body).toMatchObject({ signedIn: true, actor: 'token:dee', roles: ['deployer'], csrfToken: expect.stringMatching(/^[\w-]{43}$/) });
    expect(set.rampart_session).toMatch(/; Path=\/; SameSite=Strict; Max-Age=28800; HttpOnly$/);
    expect(set.rampart_csrf).toBe(`rampart_csrf=${body.csrfToken}; Path=/; SameSite=Strict; Max-Age=28800`);
    expect(set.rampart_session).not.toContain(deployer.token);
    const audit = await rampart.request('/api/v1/audit?action=session.create');
    expect((await audit.json() as { events: unknown[] }).events).toHaveLength(1);
  });

  it.each([
    ['an unknown token', { 'content-type': 'application/json' }, { token: 'rpt_nope-nope-nope-nope-nope' }, 401],
    ['a form post (login CSRF)', { 'content-type': 'text/plain' }, { token: testAdminToken }, 400],
    ['no token', { 'content-type': 'application/json' }, {}, 400],
  ])('refuses %s', async (_name, headers, body, status) => {
    const res = await app.request('/api/v1/session', { method: 'POST', headers, body: JSON.stringify(body) });
    expect(res.status).toBe(status);
    expect(res.headers.getSetCookie()).toEqual([]);
  });

  it('reads with the cookie alone and needs X-CSRF-Token to change state', async () => {
    const { body, cookie } = await signIn(deployer.token);
    expect((await app.request('/api/v1/flags', { headers: { cookie } })).status).toBe(200);
    const put = (headers: Record<string, string>) => app.request('/api/v1/flags/f', { method: 'PUT', headers: { cookie, 'content-type': 'application/json', ...headers }, body: flagBody });
    const missing = await put({});
    expect(missing.status).toBe(403);
    expect(await missing.json()).toMatchObject({ error: { message: expect.stringMatching(/X-CSRF-Token/) } });
    expect((await put({ 'x-csrf-token': 'x'.repeat(43) })).status).toBe(403);
    expect((await put({ 'x-csrf-token': body.csrfToken })).status).toBe(200);
  });

  it('keeps role checks: a viewer session is refused a flag change with 403', async () => {
    const res = await rampart.request('/api/v1/tokens', { method: 'POST', body: JSON.stringify({ name: 'vic', roles: ['viewer'] }) });
    const viewer = await res.json() as { token: string };
    const { body, cookie } = await signIn(viewer.token);
    const put = await app.request('/api/v1/flags/f', { method: 'PUT', headers: { cookie, 'content-type': 'application/json', 'x-csrf-token': body.csrfToken }, body: flagBody });
    expect(put.status).toBe(403);
    expect(await put.json()).toMatchObject({ error: { code: 'FORBIDDEN', message: expect.stringMatching(/needs role deployer/) } });
  });

  it('ends with the token: a revoked token signs its sessions out', async () => {
    const { cookie } = await signIn(deployer.token);
    await rampart.request(`/api/v1/tokens/${deployer.id}`, { method: 'DELETE' });
    expect((await app.request('/api/v1/flags', { headers: { cookie } })).status).toBe(401);
    expect(await (await app.request('/api/v1/session', { headers: { cookie } })).json()).toEqual({ signedIn: false, reason: 'revoked' });
    expect(sessions.size).toBe(1);
    const res = await rampart.request('/api/v1/tokens', { method: 'POST', body: JSON.stringify({ name: 'other', roles: ['viewer'] }) });
    await signIn((await res.json() as { token: string }).token);
    expect(sessions.size).toBe(1);
  });

  it('expires after its time to live', async () => {
    const { cookie } = await signIn(deployer.token);
    const clock = rampart.deps.clock as ManualClock;
    clock.advance(defaultSessionTtlMs - 1);
    expect(await (await app.request('/api/v1/session', { headers: { cookie } })).json()).toMatchObject({ signedIn: true });
    clock.advance(1);
    expect(await (await app.request('/api/v1/session', { headers: { cookie } })).json()).toEqual({ signedIn: false, reason: 'expired' });
    expect((await app.request('/api/v1/flags', { headers: { cookie } })).status).toBe(401);
  });

  it('signs out with the CSRF token and clears both cookies', async () => {
    const { body, cookie } = await signIn(deployer.token);
    expect((await app.request('/api/v1/session', { method: 'DELETE', headers: { cookie } })).status).toBe(403);
    const out = await app.request('/api/v1/session', { method: 'DELETE', headers: { cookie, 'x-csrf-token': body.csrfToken } });
    expect(await out.json()).toEqual({ signedOut: true });
    expect(cookiesOf(out).rampart_session).toMatch(/^rampart_session=; .*Max-Age=0/);
    expect(cookiesOf(out).rampart_csrf).toMatch(/^rampart_csrf=; .*Max-Age=0/);
    expect((await app.request('/api/v1/flags', { headers: { cookie } })).status).toBe(401);
  });

  it('signs in again over a live session (another tab) without a CSRF token', async () => {
    const first = await signIn(deployer.token);
    const res = await app.request('/api/v1/session', { method: 'POST', headers: { cookie: first.cookie, 'content-type': 'application/json' }, body: JSON.stringify({ token: deployer.token }) });
    expect(res.status).toBe(201);
  });

  it('lets a bearer token through without CSRF (not an ambient credential)', async () => {
    const { cookie } = await signIn(deployer.token);
    const res = await app.request('/api/v1/flags/f', { method: 'PUT', headers: { cookie, authorization: `Bearer ${deployer.token}`, 'content-type': 'application/json' }, body: flagBody });
    expect(res.status).toBe(200);
  });
});
