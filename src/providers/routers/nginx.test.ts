import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../platform/clock.js';
import { createSilentLogger } from '../../platform/logger.js';
import { sendRequests, startVersionServer } from '../../proxy/test-support.case.js';
import { requireComponent } from '../../testing/components.js';
import { freePort } from '../../testing/ports.js';
import { nginxRouter } from './nginx.js';
import { routerContract } from './router.case.js';
import { createProxyDirectory } from './types.js';

const nginx = requireComponent('nginx', ['/usr/sbin/nginx'], 'apt-get install -y nginx');
const deps = { clock: systemClock, logger: createSilentLogger(), proxies: createProxyDirectory() };
// After `nginx -s reload` returns, the master still has to start the new workers.
const settle = () => new Promise((r) => setTimeout(r, 400));

async function startNginx() {
  const stable = await startVersionServer('stable');
  const canary = await startVersionServer('canary');
  const prefix = mkdtempSync(join(tmpdir(), 'rampart-nginx-'));
  const listen = await freePort();
  const router = await nginxRouter.create(nginxRouter.configSchema.parse({
    prefix, manage: true,
    services: { api: { listen, stable: `127.0.0.1:${stable.port}`, canary: `127.0.0.1:${canary.port}` } },
  }), deps);
  const url = `http://127.0.0.1:${listen}`;
  return {
    router, url, prefix,
    async cleanup() {
      await router.close?.();
      await stable.close();
      await canary.close();
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}

if (nginx.available) {
  routerContract('nginx (real nginx)', async () => {
    const n = await startNginx();
    const setWeight = n.router.setWeight.bind(n.router);
    const setHeaderRoute = n.router.setHeaderRoute.bind(n.router);
    const reset = n.router.reset.bind(n.router);
    // Each change is followed by a short settle so the measurement sees the new workers.
    const router = {
      ...n.router,
      setWeight: async (s: string, w: number) => { const r = await setWeight(s, w); if (r.ok) await settle(); return r; },
      setHeaderRoute: async (s: string, h: Parameters<typeof setHeaderRoute>[1]) => { const r = await setHeaderRoute(s, h); if (r.ok) await settle(); return r; },
      reset: async (s: string) => { const r = await reset(s); if (r.ok) await settle(); return r; },
    };
    return {
      router, service: 'api', knowsServices: true,
      async measure(count, headers) {
        const r = await sendRequests(n.url, count, { concurrency: 16, headersFor: () => headers ?? {} });
        return { canaryShare: (r.byVersion.get('canary') ?? 0) / count, failures: r.failures };
      },
      cleanup: () => n.cleanup(),
    };
  });

  describe('nginx router against a real nginx', () => {
    it('10/90 weights are applied (measured over 10,000 requests)', async () => {
      const n = await startNginx();
      try {
        expect(await n.router.setWeight('api', 10)).toEqual({ ok: true });
        await settle();
        const r = await sendRequests(n.url, 10_000, { concurrency: 32 });
        expect(r.failures).toBe(0);
        expect(Math.abs((r.byVersion.get('canary') ?? 0) / 10_000 - 0.1)).toBeLessThanOrEqual(0.015);
      } finally {
        await n.cleanup();
      }
    });

    const reloadUnderLoad = async (client: { reset: boolean; retries: number }) => {
      const n = await startNginx();
      try {
        const weights = [5, 10, 20, 30, 40, 50, 60, 70, 80, 90];
        let i = 0;
        let applying: Promise<unknown> = Promise.resolve();
        const applied: boolean[] = [];
        const r = await sendRequests(n.url, 4_000, {
          concurrency: 16, ...client,
          onProgress: (done) => {
            if (done % 350 === 0 && i < weights.length) {
              const w = weights[i++] as number;
              applying = applying.then(async () => applied.push((await n.router.setWeight('api', w)).ok));
            }
          },
        });
        await applying;
        expect(applied).toEqual(weights.map(() => true));
        return r;
      } finally {
        await n.cleanup();
      }
    };

    it('10 reloads under load, a new connection per request: 0 failed requests', async () => {
      const r = await reloadUnderLoad({ reset: true, retries: 0 });
      expect(r.failures).toBe(0);
      expect(r.statuses.get(200)).toBe(4_000);
    });

    it('10 reloads under load, keep-alive clients that retry an idempotent GET once: 0 failed requests', async () => {
      // An old worker closes its idle keep-alive connections on reload; a request racing that close
      // fails before any answer (at most one per connection per reload), and clients retry it.
      const r = await reloadUnderLoad({ reset: false, retries: 1 });
      expect(r.failures).toBe(0);
      expect(r.statuses.get(200)).toBe(4_000);
      expect(r.retried).toBeLessThanOrEqual(10 * 16);
    });

    it('a config nginx -t rejects is not installed; the old one keeps serving', async () => {
      const n = await startNginx();
      try {
        await n.router.setWeight('api', 100);
        await settle();
        // nginx's PCRE rejects this lookbehind of unbounded length that JavaScript accepts.
        const r = await n.router.setHeaderRoute('api', { name: 'x', match: [{ headerName: 'x-a', headerValue: { regex: '(?<=a+)b' } }] });
        expect(r).toMatchObject({ ok: false, code: 'apply_failed' });
        const after = await sendRequests(n.url, 50, { concurrency: 4 });
        expect(after.byVersion.get('canary')).toBe(50);
      } finally {
        await n.cleanup();
      }
    });
  });
} else {
  describe('nginx router against a real nginx', () => {
    it.skip(`needs nginx: ${nginx.reason}`, () => {});
  });
}
