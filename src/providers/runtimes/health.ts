/** Polling a version's health URL until it answers 2xx, bounded by a deadline on the clock. */
import { request } from 'undici';
import type { Clock } from '../../platform/clock.js';

const sleep = (clock: Clock, ms: number) => new Promise<void>((resolve) => clock.setTimer(ms, resolve));

/**
 * Resolves `null` once `url` answers 2xx, or a message after `timeoutMs`; `abandon()` returning a
 * message (e.g. the process exited) stops the wait early with that message.
 */
export async function waitHealthy(url: string, clock: Clock, options: { timeoutMs: number; intervalMs: number; abandon?: () => string | null }): Promise<string | null> {
  const deadline = clock.now() + options.timeoutMs;
  let last = 'no answer yet';
  for (;;) {
    const gaveUp = options.abandon?.();
    if (gaveUp) return gaveUp;
    try {
      const res = await request(url, { headersTimeout: Math.max(100, options.intervalMs * 5), bodyTimeout: 1_000 });
      await res.body.dump();
      if (res.statusCode >= 200 && res.statusCode < 300) return null;
      last = `answered ${res.statusCode}`;
    } catch (err) {
      last = (err as Error).message;
    }
    if (clock.now() >= deadline) return `health check ${url} did not pass within ${options.timeoutMs} ms (${last})`;
    await sleep(clock, options.intervalMs);
  }
}
