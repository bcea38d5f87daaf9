import { describe, expect, it } from 'vitest';
import { createTtlCache } from './ttl-cache.js';

describe('ttl cache', () => {
  it('forgets entries after the ttl, evicts the oldest past the limit, and clears', () => {
    let t = 0;
    const c = createTtlCache<string>(1000, () => t, 2);
    c.set('a', 'A');
    t = 999;
    expect(c.get('a')).toBe('A');
    t = 1000;
    expect(c.get('a')).toBeUndefined();
    c.set('x', '1');
    c.set('y', '2');
    c.set('z', '3');
    expect([c.get('x'), c.get('y'), c.get('z')]).toEqual([undefined, '2', '3']);
    c.clear();
    expect(c.get('z')).toBeUndefined();
  });
});
