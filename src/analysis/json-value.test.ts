import { describe, expect, it } from 'vitest';
import { decodeValue, encodeValue } from './json-value.js';

describe('measurement values as plain JSON', () => {
  it.each([
    [0.013, 0.013],
    [Number.NaN, { $float: 'NaN' }],
    [Infinity, { $float: '+Inf' }],
    [-Infinity, { $float: '-Inf' }],
    [[0.1, Number.NaN], [0.1, { $float: 'NaN' }]],
    [{ a: { b: [Infinity] } }, { a: { b: [{ $float: '+Inf' }] } }],
    [{ $float: 'NaN' }, { $escaped: { $float: 'NaN' } }],
    ['text', 'text'],
    [null, null],
  ])('%o is stored as %o and read back unchanged', (value, stored) => {
    const encoded = encodeValue(value);
    expect(encoded).toEqual(stored);
    expect(decodeValue(JSON.parse(JSON.stringify(encoded)))).toEqual(value);
  });
});
