import { describe, it, expect } from 'vitest';
import { bucketKey, bucketV2, pickWeighted } from './fractional.js';
import { murmur3x86_32 } from './murmur3.js';

function exactBucket(hash: number, total: number): number {
  return Number((BigInt(hash) * BigInt(total)) >> 32n);
}

describe('bucketV2 (exact floor(h × total / 2^32))', () => {
  it.each<[number, number, number]>([
    [0, 100, 0],
    [0xffffffff, 100, 99],
    [0x80000000, 100, 50],
    [0x7fffffff, 2, 0],
    [0x80000000, 2, 1],
    [0xffffffff, 2_147_483_647, 2_147_483_646],
    [0xfffffffe, 3_000_000, 2_999_999],
  ])('h=%i total=%i → %i', (hash, total, expected) => {
    expect(bucketV2(hash, total)).toBe(expected);
  });

  it('agrees with BigInt arithmetic across hashes and totals (small and huge)', () => {
    const totals = [1, 3, 7, 100, 10_000, 2_097_152, 2_097_153, 123_456_789, 2_147_483_647];
    for (let i = 0; i < 2000; i++) {
      const hash = murmur3x86_32(`user-${i}`);
      for (const total of totals) expect(bucketV2(hash, total)).toBe(exactBucket(hash, total));
    }
  });
});

describe('pickWeighted', () => {
  const entries = [
    { value: 'a', weight: 1 },
    { value: 'b', weight: 0 },
    { value: 'c', weight: 3 },
  ];

  it.each<[number, string | undefined]>([
    [0, 'a'],
    [0x3fffffff, 'a'], // bucket 0 of 4
    [0x40000000, 'c'], // bucket 1: 'b' has no weight, so 'c' wins
    [0xffffffff, 'c'],
  ])('v2: hash %i → %s', (hash, expected) => {
    expect(entries[pickWeighted(hash, entries, 'v2')]?.value).toBe(expected);
  });

  it('returns -1 when all weights are zero', () => {
    expect(pickWeighted(123, [{ value: 'a', weight: 0 }], 'v2')).toBe(-1);
    expect(pickWeighted(123, [{ value: 'a', weight: 0 }], 'v1')).toBe(-1);
  });

  it('v1 buckets by |int32(hash)| / (2^31 − 1) × 100', () => {
    // int32(0xffffffff) = −1 → ratio ≈ 0 → first entry; 0x7fffffff → ratio 1 → bucket 100 → past the end.
    expect(pickWeighted(0xffffffff, entries, 'v1')).toBe(0);
    expect(pickWeighted(0x7fffffff, entries, 'v1')).toBe(-1);
  });

  it('distributes evenly: 25/75 over 20 000 keys lands within 1.5 points', () => {
    let on = 0;
    for (let i = 0; i < 20_000; i++) if (bucketKey(`flag${i}`, [{ value: 'on', weight: 25 }, { value: 'off', weight: 75 }])?.value === 'on') on++;
    expect(Math.abs(on / 20_000 - 0.25)).toBeLessThan(0.015);
  });
});
