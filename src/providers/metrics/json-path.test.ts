import { describe, expect, it } from 'vitest';
import { selectJsonPath } from './json-path.js';

const doc = { a: { b: [10, 20, { c: 'x' }] }, 'odd key': true, list: [] };

describe('selectJsonPath', () => {
  it.each([
    ['$', doc],
    ['{$.a.b[0]}', 10],
    ['$.a.b[-1].c', 'x'],
    ["$['odd key']", true],
    ['$["a"].b[1]', 20],
  ])('%s selects %o', (path, expected) => {
    expect(selectJsonPath(doc, path)).toEqual({ ok: true, value: expected });
  });

  it.each([
    ['a.b', 'must start with $'],
    ['$.a.b[5]', 'out of range (length 3)'],
    ['$.a.x', '$.a has no field "x"'],
    ['$.a.b.c', '$.a.b has no field "c"'],
    ['$.list[0]', 'out of range (length 0)'],
    ['$.a[*]', 'column 4'],
    ['$..a', 'column 2'],
  ])('%s is refused: %s', (path, message) => {
    const result = selectJsonPath(doc, path);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.message).toContain(message);
  });
});
