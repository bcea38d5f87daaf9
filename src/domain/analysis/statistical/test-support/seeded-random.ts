/**
 * A small seeded PRNG (mulberry32) and samplers for reproducible simulations in tests and the
 * canary-judge benchmark. Not for cryptography.
 */
export interface SeededRandom {
  /** Uniform in [0, 1). */
  next(): number;
  /** Number of successes in n Bernoulli(p) trials. */
  binomial(n: number, p: number): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
  /** exp(N(mu, sigma²)): a latency-like skewed sample. */
  logNormal(mu: number, sigma: number): number;
}

export function createSeededRandom(seed: number): SeededRandom {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  let spare: number | undefined;
  const normal = (): number => {
    if (spare !== undefined) {
      const s = spare;
      spare = undefined;
      return s;
    }
    let u = 0;
    while (u === 0) u = next();
    const v = next();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
  const binomial = (n: number, p: number): number => {
    if (n <= 0 || p <= 0) return 0;
    if (p >= 1) return n;
    const mean = n * p;
    if (mean > 50 && n * (1 - p) > 50) return Math.max(0, Math.min(n, Math.round(mean + Math.sqrt(mean * (1 - p)) * normal())));
    // Inversion: walk the pmf from k = 0 with the ratio recurrence (exact, O(mean)).
    const u = next();
    let pmf = (1 - p) ** n;
    let cdf = pmf;
    let k = 0;
    while (u > cdf && k < n) {
      pmf *= ((n - k) / (k + 1)) * (p / (1 - p));
      k++;
      cdf += pmf;
    }
    return k;
  };
  return { next, normal, binomial, logNormal: (mu, sigma) => Math.exp(mu + sigma * normal()) };
}
