import { describe, it, expect } from 'vitest';
import { canonicalJson, canonicalDigest, sha256Hex } from './canonical-json.js';

describe('canonicalJson', () => {
  it.each([
    [{ b: 1, a: 2 }, '{"a":2,"b":1}'],
    [{ z: { y: [3, { d: 1, c: 2 }] }, a: null }, '{"a":null,"z":{"y":[3,{"c":2,"d":1}]}}'],
    [{ a: undefined, b: 'x' }, '{"b":"x"}'],
    [[undefined, 1], '[null,1]'],
    [1e21, '1e+21'],
    [0.1 + 0.2, '0.30000000000000004'],
    [-0, '0'],
    [[Number.NaN, Number.NEGATIVE_INFINITY], '[null,null]'],
    ['é"\n', '"é\\"\\n"'],
    [{ B: 1, a: 2, _: 3 }, '{"B":1,"_":3,"a":2}'],
    [new Date(Date.UTC(2026, 0, 5)), '"2026-01-05T00:00:00.000Z"'],
  ])('%j → %s', (value, expected) => {
    expect(canonicalJson(value)).toBe(expected);
  });

  it.each([[10n], [() => 1], [Symbol('s')]])('rejects %s', (value) => {
    expect(() => canonicalJson(value)).toThrow(TypeError);
  });

  it('rejects cycles but accepts shared (acyclic) references', () => {
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/cyclic/);
  });

  it('digests equal for key-order permutations and differ for value changes', () => {
    expect(canonicalDigest({ a: 1, b: [1, 2] })).toBe(canonicalDigest({ b: [1, 2], a: 1 }));
    expect(canonicalDigest({ a: 1, b: [1, 2] })).not.toBe(canonicalDigest({ a: 1, b: [2, 1] }));
    expect(sha256Hex('')).toBe('sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
});
