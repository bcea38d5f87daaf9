import { describe, expect, it } from 'vitest';
import { diffJson } from './diff.js';

describe('diffJson', () => {
  it.each([
    [{ a: 1 }, { a: 1 }, []],
    [{ a: 1 }, { a: 2 }, [{ path: 'a', from: 1, to: 2 }]],
    [{ a: 1 }, {}, [{ path: 'a', from: 1 }]],
    [{}, { b: { c: true } }, [{ path: 'b', to: { c: true } }]],
    [{ t: { if: [1, 'on', 'off'] } }, { t: { if: [1, 'off', 'off'] } }, [{ path: 't.if[1]', from: 'on', to: 'off' }]],
    [[1], [1, 2], [{ path: '[1]', to: 2 }]],
    [{ 'odd key': 1 }, { 'odd key': 2 }, [{ path: '["odd key"]', from: 1, to: 2 }]],
    ['x', 5, [{ path: '$', from: 'x', to: 5 }]],
  ])('%j → %j', (a, b, expected) => {
    expect(diffJson(a, b)).toEqual(expected);
  });
});
