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
// Reused UTF-8 buffer: hashing sits on the flag-evaluation hot path and should not allocate.
// Safe because hashing is synchronous and never re-entered.
let scratch = new Uint8Array(256);
const MAX_SCRATCH = 64 * 1024;

/** Hashes the UTF-8 encoding of `text` with `seed` (default 0). */
export function murmur3x86_32(text: string, seed = 0): number {
  const maxBytes = text.length * 3;
  // Unusually long keys get a one-off buffer rather than growing the shared one for good.
  if (maxBytes > MAX_SCRATCH) return murmur3x86_32Bytes(encoder.encode(text), seed);
  if (scratch.length < maxBytes) scratch = new Uint8Array(Math.min(MAX_SCRATCH, Math.max(maxBytes, scratch.length * 2)));
  let length = 0;
  for (; length < text.length; length++) {
    const code = text.charCodeAt(length);
    if (code >= 0x80) break;
    scratch[length] = code;
  }
  if (length < text.length) length = encoder.encodeInto(text, scratch).written;
  return hashBytes(scratch, length, seed);
}

/** Hashes raw bytes with `seed` (default 0); unsigned result. */
export function murmur3x86_32Bytes(bytes: Uint8Array, seed = 0): number {
  return hashBytes(bytes, bytes.length, seed);
}

function hashBytes(bytes: Uint8Array, length: number, seed: number): number {
  const blockEnd = length - (length % 4);
  let h = seed >>> 0;

  for (let i = 0; i < blockEnd; i += 4) {
    // Little-endian block read, as the reference implementation does on x86.
    let k =
      (bytes[i] as number) |
      ((bytes[i + 1] as number) << 8) |
      ((bytes[i + 2] as number) << 16) |
      ((bytes[i + 3] as number) << 24);
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }

  const tail = length - blockEnd;
  if (tail > 0) {
    let k = 0;
    // Deliberate fall-through order of the reference: byte 2, then 1, then 0.
    if (tail === 3) k ^= (bytes[blockEnd + 2] as number) << 16;
    if (tail >= 2) k ^= (bytes[blockEnd + 1] as number) << 8;
    k ^= bytes[blockEnd] as number;
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
  }

  h ^= length;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
