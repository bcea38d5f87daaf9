import { describe, expect, it } from 'vitest';
import { assessBreakers } from './breakers.js';

describe('assessBreakers', () => {
  it.each<[string, unknown, 1 | 0 | null, string]>([
    ['all closed', { circuitBreakers: [{ name: 'a', state: 'closed' }, { name: 'b', state: 'closed' }] }, 1, 'all 2 circuit breakers are closed or half-open'],
    ['half-open counts as recovering', { circuitBreakers: [{ name: 'a', state: 'half-open' }] }, 1, 'all 1 circuit breakers are closed or half-open'],
    ['one open fails', { circuitBreakers: [{ name: 'inventory', state: 'open' }, { name: 'b', state: 'closed' }] }, 0, 'circuit breaker inventory is open (closed or half-open needed)'],
    ['an unknown state fails', { circuitBreakers: [{ name: 'a', state: 'tripped' }] }, 0, 'circuit breaker a is tripped (closed or half-open needed)'],
    ['no list: no verdict', { status: 'ok' }, null, '/health/detailed has no circuitBreakers list'],
    ['empty list: no verdict', { circuitBreakers: [] }, null, '/health/detailed lists no circuit breakers: nothing to judge'],
    ['entry without state: no verdict', { circuitBreakers: [{ name: 'a' }] }, null, 'circuitBreakers[0] has no state'],
    ['not an object', null, null, '/health/detailed has no circuitBreakers list'],
  ])('%s', (_name, body, value, explanation) => {
    const v = assessBreakers(body);
    expect(v.value).toBe(value);
    expect(v.explanation).toBe(explanation);
  });
});
