import { describe, expect, it } from 'vitest';
import { DEFAULT_EXCEPTION_TYPES, isTerminal, resolveExceptionsConfig } from './types.js';

describe('the exception type table', () => {
  it('defaults to the spec table', () => {
    expect(resolveExceptionsConfig()).toEqual({
      types: {
        window: { approvers: ['release-captain'], limitHours: 4, auditLevel: 'standard' },
        security: { approvers: ['security', 'eng-director'], limitHours: 168, auditLevel: 'high' },
        slo: { approvers: ['sre-lead'], limitHours: 2, auditLevel: 'high' },
        budget: { approvers: ['vp-eng'], limitHours: 1, auditLevel: 'critical' },
        freeze: { approvers: ['vp-eng', 'cto'], limitHours: null, auditLevel: 'critical' },
      },
      adminStandsIn: false, reviewDueHours: 24, overdueReviewBlocks: true,
    });
  });

  it('overrides per type and field, keeping the rest', () => {
    const c = resolveExceptionsConfig({ types: { window: { limitHours: 2 }, freeze: { limitHours: 12 } }, adminStandsIn: true });
    expect(c.types.window).toEqual({ approvers: ['release-captain'], limitHours: 2, auditLevel: 'standard' });
    expect(c.types.freeze.limitHours).toBe(12);
    expect(c.types.security).toEqual(DEFAULT_EXCEPTION_TYPES.security);
    expect(c.adminStandsIn).toBe(true);
  });

  it.each([['pending', false], ['approved', false], ['denied', true], ['expired', true], ['revoked', true]] as const)('%s is terminal: %s', (state, terminal) => {
    expect(isTerminal(state)).toBe(terminal);
  });
});
