/**
 * The contract every traffic router passes (run by each implementation's test). Routers that
 * really route provide `measure`, and the suite then checks the traffic itself, not just replies.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TrafficRouter } from './types.js';

export interface RouterHarness {
  router: TrafficRouter;
  /** A service the router fronts. */
  service: string;
  /** Sends `n` requests (with `headers`) through the router; returns the share that reached canary and failures. */
  measure?: (n: number, headers?: Record<string, string>) => Promise<{ canaryShare: number; failures: number }>;
  /** Whether unknown services are rejected with not_found (false for nop, which fronts nothing). */
  knowsServices: boolean;
  cleanup(): Promise<void>;
}

export function routerContract(name: string, make: () => Promise<RouterHarness>): void {
  describe(`router contract: ${name}`, () => {
    let h: RouterHarness;
    beforeAll(async () => {
      h = await make();
    });
    afterAll(async () => {
      await h?.router.close?.();
      await h?.cleanup();
    });

    it.each([[-1], [100.01], [0.001], [Number.NaN]])('rejects weight %s as invalid', async (w) => {
      expect(await h.router.setWeight(h.service, w)).toMatchObject({ ok: false, code: 'invalid' });
    });

    it('rejects a malformed header route as invalid, naming the field', async () => {
      const r = await h.router.setHeaderRoute(h.service, { name: 'bad', match: [{ headerName: 'x', headerValue: { regex: '(' } }] });
      expect(r).toMatchObject({ ok: false, code: 'invalid' });
      if (!r.ok) expect(r.message).toContain('regex');
    });

    it('unknown services are not_found where the router knows its services', async () => {
      const r = await h.router.setWeight('no-such-service', 10);
      if (h.knowsServices) expect(r).toMatchObject({ ok: false, code: 'not_found' });
      else expect(r).toEqual({ ok: true });
    });

    it('mirror either applies or says unsupported; removing it always succeeds', async () => {
      const r = await h.router.setMirror(h.service, { name: 'shadow', percentage: 5 });
      if (!r.ok) expect(r.code).toBe('unsupported');
      expect(await h.router.setMirror(h.service, null)).toEqual({ ok: true });
    });

    it('weights apply, and re-applying the same weight is harmless', async () => {
      expect(await h.router.setWeight(h.service, 30)).toEqual({ ok: true });
      expect(await h.router.setWeight(h.service, 30)).toEqual({ ok: true });
      if (!h.measure) return;
      const m = await h.measure(4_000);
      expect(m.failures).toBe(0);
      expect(Math.abs(m.canaryShare - 0.3)).toBeLessThanOrEqual(0.03);
    });

    it('a header route sends matching requests to canary and leaves the rest to the weight', async () => {
      expect(await h.router.setWeight(h.service, 0)).toEqual({ ok: true });
      expect(await h.router.setHeaderRoute(h.service, { name: 'testers', match: [{ headerName: 'X-Tester', headerValue: { prefix: 'qa-' } }] })).toEqual({ ok: true });
      if (h.measure) {
        expect(await h.measure(300, { 'x-tester': 'qa-anna' })).toEqual({ canaryShare: 1, failures: 0 });
        expect(await h.measure(300, { 'x-tester': 'dev-bob' })).toEqual({ canaryShare: 0, failures: 0 });
      }
      expect(await h.router.setHeaderRoute(h.service, { name: 'testers' })).toEqual({ ok: true });
      if (h.measure) expect(await h.measure(300, { 'x-tester': 'qa-anna' })).toEqual({ canaryShare: 0, failures: 0 });
    });

    it('reset sends everything back to stable, idempotently', async () => {
      await h.router.setWeight(h.service, 80);
      expect(await h.router.reset(h.service)).toEqual({ ok: true });
      expect(await h.router.reset(h.service)).toEqual({ ok: true });
      if (h.measure) expect(await h.measure(500)).toEqual({ canaryShare: 0, failures: 0 });
    });
  });
}
