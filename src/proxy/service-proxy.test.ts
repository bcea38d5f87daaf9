import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServiceProxyOptions } from './service-proxy.js';
import { sendRequests, setupProxy, type VersionServer } from './test-support.case.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});
const setup = (extra: Partial<ServiceProxyOptions> = {}, upstreams?: { stable: VersionServer; canary: VersionServer }) => setupProxy(cleanups, extra, upstreams);

const share = (r: { byVersion: Map<string, number> }, v: string, total: number) => (r.byVersion.get(v) ?? 0) / total;

describe('built-in proxy: weighted split', () => {
  it('10,000 requests at 10/90 land within ±1.5 % of the weights', async () => {
    const { proxy, url } = await setup();
    expect(proxy.setWeight(10)).toEqual({ ok: true });
    const r = await sendRequests(url, 10_000, { concurrency: 32 });
    expect(r.failures).toBe(0);
    expect(Math.abs(share(r, 'v2', 10_000) - 0.1)).toBeLessThanOrEqual(0.015);
    expect(Math.abs(share(r, 'v1', 10_000) - 0.9)).toBeLessThanOrEqual(0.015);
  });

  it('20 weight changes during 5,000 requests: the proxy answers every request 200', async () => {
    const { proxy, url } = await setup();
    const weights = [0.01, 5, 10, 12.5, 25, 33.33, 50, 75, 100, 0, 60, 1, 99.99, 40, 20, 80, 10, 90, 30, 50];
    let changes = 0;
    const r = await sendRequests(url, 5_000, {
      concurrency: 64,
      onProgress: (done) => {
        if (done % 250 === 0 && changes < weights.length) expect(proxy.setWeight(weights[changes++] as number)).toEqual({ ok: true });
      },
    });
    expect(changes).toBe(20);
    expect(r.failures).toBe(0);
    expect(r.statuses.get(200)).toBe(5_000);
  });

  it('rejects weights outside 0–100 or finer than 0.01 % and keeps the old config', async () => {
    const { proxy } = await setup();
    proxy.setWeight(10);
    const before = proxy.routing();
    expect(proxy.setWeight(100.5)).toMatchObject({ ok: false, code: 'invalid' });
    expect(proxy.setWeight(0.001)).toMatchObject({ ok: false, code: 'invalid' });
    expect(proxy.routing()).toBe(before);
  });
});

describe('built-in proxy: sticky and header routes', () => {
  it('raising a sticky canary 10 → 25 → 50 % never moves a user back to stable', async () => {
    const { proxy, url } = await setup();
    expect(proxy.setSticky({ from: 'cookie', name: 'uid' })).toEqual({ ok: true });
    const users = 600;
    const inCanary = new Set<number>();
    const counts: number[] = [];
    for (const weight of [10, 25, 50]) {
      proxy.setWeight(weight);
      // Each user sends three requests per stage; all must agree.
      const seen = new Map<number, Set<string>>();
      await sendRequests(url, users * 3, {
        concurrency: 16,
        headersFor: (i) => ({ cookie: `theme=dark; uid=user-${i % users}` }),
        onProgress: () => undefined,
      }).then((r) => expect(r.failures).toBe(0));
      for (let u = 0; u < users; u++) {
        const versions = new Set<string>();
        for (let k = 0; k < 3; k++) {
          const res = await request(`${url}/`, { headers: { cookie: `uid=user-${u}` } });
          await res.body.text();
          versions.add(String(res.headers['x-version']));
        }
        seen.set(u, versions);
      }
      for (const [u, versions] of seen) {
        expect(versions.size).toBe(1);
        const isCanary = versions.has('v2');
        if (inCanary.has(u)) expect(isCanary).toBe(true);
        if (isCanary) inCanary.add(u);
      }
      counts.push(inCanary.size);
    }
    // The canary population grows roughly with the weight.
    expect(counts[0]! / users).toBeGreaterThan(0.05);
    expect(counts[1]! / users).toBeGreaterThan(counts[0]! / users);
    expect(counts[2]! / users).toBeGreaterThan(0.4);
  });

  it('header routes send only matching requests to canary (exact, prefix, regex)', async () => {
    const { proxy, url } = await setup();
    expect(proxy.setHeaderRoute({ name: 'testers', match: [{ headerName: 'X-Canary', headerValue: { exact: 'always' } }] })).toEqual({ ok: true });
    expect(proxy.setHeaderRoute({ name: 'eu', match: [{ headerName: 'x-region', headerValue: { prefix: 'eu-' } }] })).toEqual({ ok: true });
    expect(proxy.setHeaderRoute({ name: 'mobile', match: [{ headerName: 'user-agent', headerValue: { regex: '^MobileApp/\\d+' } }] })).toEqual({ ok: true });
    const cases: Array<[Record<string, string>, string]> = [
      [{ 'x-canary': 'always' }, 'v2'], [{ 'x-canary': 'always-not' }, 'v1'], [{ 'x-region': 'eu-west-1' }, 'v2'], [{ 'x-region': 'us-east-1' }, 'v1'],
      [{ 'user-agent': 'MobileApp/42' }, 'v2'], [{ 'user-agent': 'Mozilla/5.0' }, 'v1'], [{}, 'v1'],
    ];
    for (const [headers, version] of cases) {
      const r = await sendRequests(url, 200, { concurrency: 8, headersFor: () => headers });
      expect(r.byVersion.get(version)).toBe(200);
    }
    proxy.setHeaderRoute({ name: 'testers' });
    const after = await sendRequests(url, 100, { concurrency: 8, headersFor: () => ({ 'x-canary': 'always' }) });
    expect(after.byVersion.get('v1')).toBe(100);
  });
});
