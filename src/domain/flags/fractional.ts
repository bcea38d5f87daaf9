/**
 * flagd `fractional` bucketing: which entry of a weighted list a hash lands in.
 *
 * v2 (flagd's current algorithm, ARCHITECTURE.md §6):
 *   bucket = floor(h × totalWeight / 2^32), h = murmur3_x86_32(utf8(key), 0) unsigned;
 *   the first entry whose running weight sum exceeds `bucket` wins. Integer math is exact.
 * v1 (legacy, kept for flags imported with it):
 *   bucket = |int32(h)| / (2^31 − 1) × 100; entries hold percentages weight × 100 / totalWeight.
 */
import { murmur3x86_32 } from './murmur3.js';

export type BucketingVersion = 'v1' | 'v2';

/** The largest total weight flagd accepts (2^31 − 1). */
export const MAX_TOTAL_WEIGHT = 2_147_483_647;

export interface WeightedEntry<T> {
  readonly value: T;
  /** A non-negative integer. */
  readonly weight: number;
}

const TWO_POW_32 = 4_294_967_296;
const TWO_POW_21 = 2_097_152;

/**
 * floor(hash × totalWeight / 2^32), exactly. For totalWeight ≤ 2^21 the product stays below 2^53
 * and a float division by a power of two is exact; larger totals go through BigInt.
 */
export function bucketV2(hash: number, totalWeight: number): number {
  if (totalWeight <= TWO_POW_21) return Math.floor((hash * totalWeight) / TWO_POW_32);
  return Number((BigInt(hash) * BigInt(totalWeight)) >> 32n);
}

/**
 * The index of the entry that `hash` (an unsigned 32-bit murmur3 value) lands in; −1 when the
 * weights sum to zero (or, in v1, when the legacy float math falls past the last entry).
 * Contract: `entries` weights are non-negative integers whose sum is at most MAX_TOTAL_WEIGHT.
 */
export function pickWeighted(hash: number, entries: readonly WeightedEntry<unknown>[], version: BucketingVersion): number {
  let total = 0;
  for (const entry of entries) total += entry.weight;
  if (total === 0) return -1;
  if (version === 'v2') {
    const bucket = bucketV2(hash, total);
    let rangeEnd = 0;
    for (let i = 0; i < entries.length; i++) {
      rangeEnd += (entries[i] as WeightedEntry<unknown>).weight;
      if (bucket < rangeEnd) return i;
    }
    return -1;
  }
  const bucket = (Math.abs(hash | 0) / 2_147_483_647) * 100;
  let rangeEnd = 0;
  for (let i = 0; i < entries.length; i++) {
    rangeEnd += (100 * (entries[i] as WeightedEntry<unknown>).weight) / total;
    if (bucket < rangeEnd) return i;
  }
  return -1;
}

/** Convenience: hash `key` with murmur3 (seed 0) and return the chosen entry, if any. */
export function bucketKey<T>(key: string, entries: readonly WeightedEntry<T>[], version: BucketingVersion = 'v2'): WeightedEntry<T> | undefined {
  return entries[pickWeighted(murmur3x86_32(key), entries, version)];
}
