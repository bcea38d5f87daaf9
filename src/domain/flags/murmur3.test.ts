import { describe, it, expect } from 'vitest';
import { murmur3x86_32, murmur3x86_32Bytes } from './murmur3.js';

// Published MurmurHash3_x86_32 vectors (SMHasher reference output, as widely reproduced).
describe('murmur3x86_32', () => {
  it.each<[string, number, number]>([
    ['', 0, 0],
    ['', 1, 0x514e28b7],
    ['', 0xffffffff, 0x81f16f39],
    ['\0\0\0\0', 0, 0x2362f9de],
    ['hello', 0, 0x248bfa47],
    ['abc', 0, 0xb3dd93fa],
    ['Hello, world!', 0, 0xc0363e43],
    ['The quick brown fox jumps over the lazy dog', 0, 0x2e4ff723],
    ['a', 0x9747b28c, 0x7fa09ea6],
    ['ab', 0x9747b28c, 0x74875592],
    ['abc', 0x9747b28c, 0xc84a62dd],
    ['abcd', 0x9747b28c, 0xf0478627],
    ['aaaa', 0x9747b28c, 0x5a97808a],
    ['Hello, world!', 0x9747b28c, 0x24884cba],
    ['The quick brown fox jumps over the lazy dog', 0x9747b28c, 0x2fa826cd],
    // Multi-byte UTF-8: the hash is over bytes, not UTF-16 code units.
    ['ππππππππ', 0x9747b28c, 0xd58063c1],
  ])('%j with seed %i', (text, seed, expected) => {
    expect(murmur3x86_32(text, seed)).toBe(expected);
  });

  it('returns an unsigned value (high bit set stays positive)', () => {
    const h = murmur3x86_32('');
    expect(murmur3x86_32('The quick brown fox jumps over the lazy dog', 0x9747b28c)).toBeGreaterThan(0);
    expect(h).toBe(0);
    expect(murmur3x86_32('Hello, world!')).toBeGreaterThan(0x7fffffff);
  });

  it.each([
    ['ascii', 'k'.repeat(30_000)],
    ['multi-byte', 'ü'.repeat(30_000)],
    ['short after long', 'hello'],
    // The ASCII fast path must hand over to UTF-8 encoding wherever the first non-ASCII unit sits.
    ['non-ASCII in a block after ASCII blocks', 'flag-keyuser-é-01'],
    ['non-ASCII in the tail', 'flag-keyuser-é'],
    ['ASCII DEL then non-ASCII', '\u007f\u0080'],
    ['astral plane', 'user-😀'],
  ])(
    'agrees with hashing the TextEncoder bytes (%s)',
    (_name, text) => {
      expect(murmur3x86_32(text)).toBe(murmur3x86_32Bytes(new TextEncoder().encode(text)));
    },
  );

  it('agrees between the string and byte entry points', () => {
    const bytes = new TextEncoder().encode('jon@company.com');
    expect(murmur3x86_32Bytes(bytes)).toBe(murmur3x86_32('jon@company.com'));
  });
});
