import { describe, expect, it } from 'vitest';
import { type RouterOutcome, type RouterPort, createRoutedTrafficPort } from './traffic.js';

/** A router that records calls; `hold` makes calls wait until released, `fail` makes a call fail. */
function fakeRouter(type = 'fake') {
  const calls: string[] = [];
  let gate: Promise<void> | null = null;
  let release = () => {};
  let failNext: RouterOutcome | null = null;
  const call = (what: string) => async (): Promise<RouterOutcome> => {
    if (gate) await gate;
    calls.push(what);
    const f = failNext;
    failNext = null;
    return f ?? { ok: true };
  };
  const router: RouterPort = {
    type,
    setWeight: (s, p) => call(`${s} weight ${p}`)(),
    setHeaderRoute: (s, r) => call(`${s} route ${r.name}`)(),
    setMirror: (s, m) => call(`${s} mirror ${m ? m.percentage : 'off'}`)(),
    reset: (s) => call(`${s} reset`)(),
    setUpstreams: (s, u) => call(`${s} upstreams ${u.stable.version}/${u.canary?.version ?? '-'}`)(),
  };
  return {
    router, calls,
    hold() { gate = new Promise((r) => (release = r)); },
    release() { gate = null; release(); },
    fail(code: string, message: string) { failNext = { ok: false, code, message }; },
  };
}

const v1 = { version: 'v1', url: 'http://127.0.0.1:9001' };
const v2 = { version: 'v2', url: 'http://127.0.0.1:9002' };

describe('routed traffic port', () => {
  it('applies a service\'s changes in call order, even when the caller does not await them', async () => {
    const f = fakeRouter();
    const port = createRoutedTrafficPort([{ service: 'api', router: f.router, stable: v1 }], () => {});
    f.hold();
    void port.setUpstreams('api', v1, v2);
    void port.setWeight('api', 10);
    void port.setHeaderRoute('api', 'beta', [{ headerName: 'x-beta', headerValue: { exact: '1' } }]);
    const last = port.setMirror('api', { name: 'm', percentage: 5 });
    f.release();
    await last;
    expect(f.calls).toEqual(['api upstreams v1/v2', 'api weight 10', 'api route beta', 'api mirror 5']);
  });

  it('calls the router at once when nothing is pending (the built-in proxy swaps before the call returns)', () => {
    const f = fakeRouter();
    const port = createRoutedTrafficPort([{ service: 'api', router: f.router, stable: v1 }], () => {});
    void port.setWeight('api', 25);
    expect(f.calls).toEqual(['api weight 25']);
  });

  it('tracks the stable version through upstream changes, and only when the router accepted them', async () => {
    const f = fakeRouter();
    const port = createRoutedTrafficPort([{ service: 'api', router: f.router, stable: v1 }], () => {});
    expect(port.stable('api')).toEqual(v1);
    await port.setUpstreams('api', v2, null);
    expect(port.stable('api')).toEqual(v2);
    f.fail('apply_failed', 'nginx -t rejected it');
    await expect(port.setUpstreams('api', v1, null)).rejects.toThrow(/api: fake router could not change upstreams: nginx -t rejected it/);
    expect(port.stable('api')).toEqual(v2);
  });

  it.each([
    ['invalid', 'VALIDATION_FAILED'],
    ['not_found', 'NOT_FOUND'],
    ['unsupported', 'UNAVAILABLE'],
    ['apply_failed', 'UNAVAILABLE'],
  ])('a router failure %s rejects with %s, is reported, and later changes still run', async (code, expected) => {
    const f = fakeRouter();
    const reported: string[] = [];
    const port = createRoutedTrafficPort([{ service: 'api', router: f.router, stable: v1 }], (s, m) => reported.push(`${s}: ${m}`));
    f.fail(code, 'no');
    await expect(port.setMirror('api', { name: 'm', percentage: 5 })).rejects.toMatchObject({ code: expected, message: 'api: fake router could not set mirror m: no' });
    await port.setWeight('api', 0);
    expect(reported).toEqual(['api: api: fake router could not set mirror m: no']);
    expect(f.calls).toEqual(['api mirror 5', 'api weight 0']);
  });

  it('an unawaited failing change is reported, never an unhandled rejection', async () => {
    const f = fakeRouter();
    const reported: string[] = [];
    const unhandled: unknown[] = [];
    const onUnhandled = (err: unknown) => unhandled.push(err);
    process.on('unhandledRejection', onUnhandled);
    try {
      const port = createRoutedTrafficPort([{ service: 'api', router: f.router, stable: v1 }], (_s, m) => reported.push(m));
      f.fail('apply_failed', 'reload failed');
      void port.setWeight('api', 50);
      await new Promise((r) => setTimeout(r, 20));
      expect(reported).toEqual(['api: fake router could not set weight 50: reload failed']);
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
  });

  it('knows only configured services, and names the router that fronts each', async () => {
    const port = createRoutedTrafficPort([{ service: 'api', router: fakeRouter('nginx').router, stable: v1 }], () => {});
    expect([port.has('api'), port.has('web'), port.routerOf('api'), port.routerOf('web'), port.stable('web')]).toEqual([true, false, 'nginx', undefined, undefined]);
    await expect(port.setWeight('web', 10)).rejects.toMatchObject({ code: 'NOT_FOUND', message: expect.stringMatching(/service "web" has no router; add it under traffic.services/) });
  });

  it('reset goes to the router', async () => {
    const f = fakeRouter();
    const port = createRoutedTrafficPort([{ service: 'api', router: f.router, stable: v1 }], () => {});
    await port.reset('api');
    expect(f.calls).toEqual(['api reset']);
  });
});
