/**
 * The contract every runtime passes (run by each implementation's test): start resolves once the
 * version answers health, start is idempotent, stop is idempotent, failures are data.
 */
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuntimeResult, VersionRuntime } from './types.js';

export interface RuntimeHarness {
  runtime: VersionRuntime;
  service: string;
  version: string;
  /** Whether stop makes the URL stop answering (true when the runtime owns the process). */
  ownsProcess: boolean;
  /** Starts something that cannot become healthy; the result must be a typed failure. */
  startBroken(): Promise<RuntimeResult<unknown>>;
  cleanup(): Promise<void>;
}

async function answers(url: string): Promise<number | null> {
  try {
    const res = await request(url, { headersTimeout: 2_000 });
    await res.body.dump();
    return res.statusCode;
  } catch {
    return null;
  }
}

export function runtimeContract(name: string, make: () => Promise<RuntimeHarness>): void {
  describe(`runtime contract: ${name}`, () => {
    let h: RuntimeHarness;
    beforeAll(async () => {
      h = await make();
    });
    afterAll(async () => {
      await h?.runtime.close?.();
      await h?.cleanup();
    });

    it('an unknown version is stopped', () => {
      expect(h.runtime.status(h.service, 'never-started').state).toBe('stopped');
    });

    it('start resolves once the version answers its health check; a second start returns the same URL', async () => {
      const first = await h.runtime.start({ service: h.service, version: h.version });
      if (!first.ok) throw new Error(first.message);
      expect(await answers(`${first.value.url}/health`)).toBe(200);
      expect(h.runtime.status(h.service, h.version)).toMatchObject({ state: 'running' });
      const again = await h.runtime.start({ service: h.service, version: h.version });
      expect(again.ok && again.value.url).toBe(first.value.url);
    });

    it('stop is idempotent and leaves the version stopped', async () => {
      const started = await h.runtime.start({ service: h.service, version: h.version });
      if (!started.ok) throw new Error(started.message);
      await h.runtime.stop(h.service, h.version);
      await h.runtime.stop(h.service, h.version);
      expect(h.runtime.status(h.service, h.version).state).toBe('stopped');
      if (h.ownsProcess) expect(await answers(`${started.value.url}/health`)).toBeNull();
    });

    it('a version that cannot become healthy is a typed failure, not a throw', async () => {
      const r = await h.startBroken();
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(['invalid', 'start_failed', 'unhealthy']).toContain(r.code);
        expect(r.message.length).toBeGreaterThan(10);
      }
    });
  });
}
