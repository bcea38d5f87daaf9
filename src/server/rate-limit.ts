/**
 * A token bucket per caller: `ratePerSecond` sustained, bursts up to twice that. Returns how long
 * to wait (ms) when a request must be refused, else 0. In memory, per process.
 */
export function createRateLimiter(ratePerSecond: number, now: () => number) {
  const capacity = ratePerSecond * 2;
  const buckets = new Map<string, { tokens: number; at: number }>();
  return (caller: string): number => {
    const t = now();
    const b = buckets.get(caller) ?? { tokens: capacity, at: t };
    b.tokens = Math.min(capacity, b.tokens + ((t - b.at) / 1000) * ratePerSecond);
    b.at = t;
    buckets.set(caller, b);
    if (b.tokens >= 1) {
      b.tokens -= 1;
      return 0;
    }
    return Math.ceil(((1 - b.tokens) / ratePerSecond) * 1000);
  };
}
