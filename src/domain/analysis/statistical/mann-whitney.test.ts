import { describe, expect, it } from 'vitest';
import { judgeLatency, mannWhitneyGreater } from './mann-whitney.js';
import { createSeededRandom } from './test-support/seeded-random.js';

describe('mannWhitneyGreater', () => {
  it('computes U with mid-ranks for ties, the tie-corrected z and the effect sizes', () => {
    // Pairs where canary > stable: 3 vs (1, 2, 3) = 2.5, 4 → 3, 5 → 3, so U = 8.5 of 9 pairs.
    // Var = 9/12 · (7 − (2³ − 2)/(6·5)) = 5.1; z = (8.5 − 4.5 − 0.5)/√5.1.
    const r = mannWhitneyGreater([3, 4, 5], [1, 2, 3]);
    expect(r.u).toBe(8.5);
    expect(r.z).toBeCloseTo(3.5 / Math.sqrt(5.1), 10);
    expect(r.commonLanguage).toBeCloseTo(8.5 / 9, 12);
    expect(r.cliffsDelta).toBeCloseTo(2 * (8.5 / 9) - 1, 12);
  });

  it('is symmetric: swapping groups mirrors U and delta', () => {
    const a = [0.12, 0.3, 0.25, 0.5, 0.41];
    const b = [0.2, 0.22, 0.35, 0.1];
    const ab = mannWhitneyGreater(a, b);
    const ba = mannWhitneyGreater(b, a);
    expect(ab.u + ba.u).toBe(a.length * b.length);
    expect(ab.cliffsDelta).toBeCloseTo(-ba.cliffsDelta, 12);
  });

  it('all values tied: no evidence either way', () => {
    const r = mannWhitneyGreater([1, 1, 1], [1, 1]);
    expect([r.cliffsDelta, r.pValue]).toEqual([0, 1]);
  });
});

describe('judgeLatency', () => {
  const rng = createSeededRandom(7);
  const sample = (n: number, mu: number): number[] => Array.from({ length: n }, () => rng.logNormal(mu, 0.4));

  it('is inconclusive below the minimum samples', () => {
    expect(judgeLatency(sample(10, -2), sample(200, -2)).decision).toBe('inconclusive');
  });

  it('fails a clearly slower canary and reports statistic and boundary', () => {
    const verdict = judgeLatency(sample(200, -1.6), sample(400, -2));
    expect(verdict.decision).toBe('fail');
    expect(verdict.statistic.z).toBeGreaterThan(verdict.boundary.zCritical);
    expect(verdict.message).toMatch(/canary slower than stable, z = .* Cliff's delta/);
  });

  it('passes a canary from the same distribution', () => {
    expect(judgeLatency(sample(200, -2), sample(400, -2)).decision).toBe('pass');
  });

  it('does not fail on a significant but negligible shift (effect floor)', () => {
    const verdict = judgeLatency(sample(20_000, -1.97), sample(20_000, -2));
    expect(verdict.statistic.z).toBeGreaterThan(verdict.boundary.zCritical);
    expect(verdict.statistic.cliffsDelta).toBeLessThan(0.147);
    expect(verdict.decision).toBe('pass');
  });

  it('splits alpha over the planned looks', () => {
    const verdict = judgeLatency(sample(50, -2), sample(50, -2), { alpha: 0.01, looks: 10, minEffect: 0.147, minSamples: 30 });
    expect(verdict.boundary.alphaPerLook).toBeCloseTo(0.001, 12);
  });
});
