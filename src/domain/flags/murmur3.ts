/**
 * MurmurHash3, x86 32-bit variant, over the UTF-8 bytes of a string.
 *
 * Contract: pure and total; returns the unsigned 32-bit hash (0 … 2^32 − 1) as a number.
 * This is the hash flagd's `fractional` operator buckets on, so it must agree bit for bit
 * with the reference implementation (Austin Appleby's MurmurHash3_x86_32).
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;
const encoder = new TextEncoder();
// Reused UTF-8 buffer for non-ASCII keys, so that hashing does not allocate.
// Safe because hashing is synchronous and never re-entered.
let scratch = new Uint8Array(256);
const MAX_SCRATCH = 64 * 1024;

/** Hashes the UTF-8 encoding of `text` with `seed` (default 0). */
export function murmur3x86_32(text: string, seed = 0): number {
  // Bucketing keys (flag key + targeting key) are nearly always ASCII, whose UTF-16 code units
  // are its UTF-8 bytes: hash them in one pass, with no encoding step. Sits on the hot path.
  const ascii = hashAscii(text, seed);
  if (ascii >= 0) return ascii;
  const maxBytes = text.length * 3;
  // Unusually long keys get a one-off buffer rather than growing the shared one for good.
  if (maxBytes > MAX_SCRATCH) return murmur3x86_32Bytes(encoder.encode(text), seed);
  if (scratch.length < maxBytes) scratch = new Uint8Array(Math.min(MAX_SCRATCH, Math.max(maxBytes, scratch.length * 2)));
  return hashBytes(scratch, encoder.encodeInto(text, scratch).written, seed);
}

/** Hashes raw bytes with `seed` (default 0); unsigned result. */
export function murmur3x86_32Bytes(bytes: Uint8Array, seed = 0): number {
  return hashBytes(bytes, bytes.length, seed);
}

/** The hash of an all-ASCII `text`, or −1 as soon as a code unit above 0x7f shows it is not. */
function hashAscii(text: string, seed: number): number {
  const length = text.length;
  const blockEnd = length - (length % 4);
  let h = seed >>> 0;
  for (let i = 0; i < blockEnd; i += 4) {
    const b0 = text.charCodeAt(i);
    const b1 = text.charCodeAt(i + 1);
    const b2 = text.charCodeAt(i + 2);
    const b3 = text.charCodeAt(i + 3);
    if ((b0 | b1 | b2 | b3) > 0x7f) return -1;
    h = mixBlock(h, b0 | (b1 << 8) | (b2 << 16) | (b3 << 24));
  }
  let k = 0;
  // Tail bytes, highest first, as the reference's fall-through switch does.
  for (let i = length - 1; i >= blockEnd; i--) {
    const b = text.charCodeAt(i);
    if (b > 0x7f) return -1;
    k = (k << 8) | b;
  }
  if (length > blockEnd) h ^= scrambleK(k);
  return finish(h, length);
}

function hashBytes(bytes: Uint8Array, length: number, seed: number): number {
  const blockEnd = length - (length % 4);
  let h = seed >>> 0;
  for (let i = 0; i < blockEnd; i += 4) {
    // Little-endian block read, as the reference implementation does on x86.
    h = mixBlock(h, (bytes[i] as number) | ((bytes[i + 1] as number) << 8) | ((bytes[i + 2] as number) << 16) | ((bytes[i + 3] as number) << 24));
  }
  let k = 0;
  for (let i = length - 1; i >= blockEnd; i--) k = (k << 8) | (bytes[i] as number);
  if (length > blockEnd) h ^= scrambleK(k);
  return finish(h, length);
}

function scrambleK(k: number): number {
  k = Math.imul(k, C1);
  k = (k << 15) | (k >>> 17);
  return Math.imul(k, C2);
}

function mixBlock(h: number, k: number): number {
  h ^= scrambleK(k);
  h = (h << 13) | (h >>> 19);
  return (Math.imul(h, 5) + 0xe6546b64) | 0;
}

/** Length mix and avalanche; the unsigned result. */
function finish(h: number, length: number): number {
  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
