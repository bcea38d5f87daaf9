import { describe, expect, it } from 'vitest';
import { normalCdf, normalQuantile, normalUpperTail } from './normal.js';

describe('normal distribution', () => {
  it.each([
    [0, 0.5],
    [1, 0.8413447461],
    [1.959963985, 0.975],
    [-1.644853627, 0.05],
    [-3, 0.0013498980],
  ])('Φ(%d) = %d', (z, p) => {
    expect(normalCdf(z)).toBeCloseTo(p, 6);
  });

  it('keeps precision in the far upper tail', () => {
    expect(normalUpperTail(6) / 9.865876450377e-10).toBeCloseTo(1, 4);
  });

  it.each([0.001, 0.01, 0.05, 0.5, 0.9, 0.975, 0.999])('quantile inverts the CDF at %d', (p) => {
    expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 8);
  });

  it('rejects p outside (0, 1)', () => {
    expect(() => normalQuantile(1)).toThrow(RangeError);
  });
});
