import { describe, expect, it } from 'vitest';
import type { ExceptionRecord, ExceptionType } from './types.js';
import { EXCEPTION_TYPES, resolveExceptionsConfig } from './types.js';
import {
  approvalRole, approveException, denyException, effectiveState, expireIfDue, needsReview, recordUse, requestException,
  reviewException, reviewOverdue, revokeException,
} from './transitions.js';
import type { ExceptionRequest } from './transitions.js';

const config = resolveExceptionsConfig();
const T0 = Date.parse('2026-03-06T10:00:00Z');
const hour = 3600_000;
const freezes = [{ id: 'q-end', startMs: T0 - hour, endMs: T0 + 48 * hour }];

function requested(type: ExceptionType, extra: Partial<ExceptionRequest> = {}, cfg = config): ExceptionRecord {
  const r = requestException({
    type, service: 'api', reason: 'hotfix', mitigation: 'canary 1%',
    ...(type === 'security' ? { cveIds: ['CVE-1'] } : {}), ...(type === 'freeze' ? { expiration: new Date(T0 + 6 * hour).toISOString() } : {}), ...extra,
  }, { id: `exc_${type}`, requestor: 'rita', nowMs: T0, config: cfg, freezes, overdue: [] });
  if (!r.ok) throw new Error(r.reason);
  return r.record;
}

const ALL_ROLES = ['viewer', 'deployer', 'release-captain', 'sre', 'sre-lead', 'security', 'eng-director', 'vp-eng', 'cto', 'admin'];
const required: Record<ExceptionType, string[]> = {
  window: ['release-captain'], security: ['security', 'eng-director'], slo: ['sre-lead'], budget: ['vp-eng'], freeze: ['vp-eng', 'cto'],
};

describe('the approval matrix (every type × role)', () => {
  const rows = EXCEPTION_TYPES.flatMap((type) => ALL_ROLES.map((role) => [type, role, required[type].includes(role)] as const));
  it.each(rows)('%s exception, approver holding only %s → may approve: %s', (type, role, allowed) => {
    const r = approvalRole(requested(type), { person: 'paul', roles: [role] }, config);
    expect(r.ok).toBe(allowed);
    if (!r.ok) expect(r.code).toBe('FORBIDDEN');
  });

  it.each(EXCEPTION_TYPES)('%s: admin stands in only when configured', (type) => {
    expect(approvalRole(requested(type), { person: 'ada', roles: ['admin'] }, config)).toMatchObject({ ok: false, reason: expect.stringMatching(/admin does not stand in/) });
    const lenient = resolveExceptionsConfig({ adminStandsIn: true });
    expect(approvalRole(requested(type, {}, lenient), { person: 'ada', roles: ['admin'] }, lenient)).toEqual({ ok: true, role: required[type][0] });
  });
});

describe('separation of duties', () => {
  it.each(EXCEPTION_TYPES)('%s: a requestor never approves their own, even holding every role', (type) => {
    expect(approvalRole(requested(type), { person: 'rita', roles: ALL_ROLES }, config)).toMatchObject({ ok: false, code: 'FORBIDDEN', reason: expect.stringMatching(/requestor never approves/) });
  });

  it.each(['security', 'freeze'] as const)('%s: one person holding both roles approves once, not twice', (type) => {
    const both = { person: 'bo', roles: required[type] };
    const first = approveException(requested(type), both, T0, config);
    expect(first).toMatchObject({ ok: true, final: false, record: { state: 'pending' } });
    const second = approveException((first as { record: ExceptionRecord }).record, both, T0, config);
    expect(second).toMatchObject({ ok: false, code: 'FORBIDDEN', reason: expect.stringMatching(/different people/) });
  });

  it.each(['security', 'freeze'] as const)('%s: two people with the two roles approve it', (type) => {
    const [a, b] = required[type] as [string, string];
    const first = approveException(requested(type), { person: 'p1', roles: [a] }, T0, config);
    const second = approveException((first as { record: ExceptionRecord }).record, { person: 'p2', roles: [b] }, T0 + 60_000, config);
    expect(second).toMatchObject({ ok: true, final: true, record: { state: 'approved', approvers: ['p1', 'p2'], approvedAt: new Date(T0 + 60_000).toISOString() } });
  });
});

describe('time limits run from final approval (manual clock)', () => {
  const limits: Array<[ExceptionType, number]> = [['window', 4], ['security', 168], ['slo', 2], ['budget', 1], ['freeze', 6]];
  it.each(limits)('%s expires %i h after approval; one second after is expired', (type, hours) => {
    let rec = requested(type);
    const approvedAt = T0 + 30 * 60_000;
    for (const [i, role] of required[type].entries()) {
      const r = approveException(rec, { person: `p${i}`, roles: [role] }, approvedAt, config);
      if (!r.ok) throw new Error(r.reason);
      rec = r.record;
    }
    // freeze: the explicit expiration (T0 + 6 h) counts, not the approval instant.
    const end = type === 'freeze' ? T0 + 6 * hour : approvedAt + hours * hour;
    expect(rec.expiration).toBe(new Date(end).toISOString());
    expect(effectiveState(rec, end - 1000)).toBe('approved');
    expect(effectiveState(rec, end + 1000)).toBe('expired');
    expect(expireIfDue(rec, end - 1, 'clock')).toBeUndefined();
    expect(expireIfDue(rec, end + 1000, 'clock')).toMatchObject({ state: 'expired', stateChangedBy: 'clock' });
  });

  it('an explicit expiration shortens a type limit', () => {
    const rec = requested('window', { expiration: new Date(T0 + hour).toISOString() });
    const r = approveException(rec, { person: 'cap', roles: ['release-captain'] }, T0, config);
    expect(r.ok && r.record.expiration).toBe(new Date(T0 + hour).toISOString());
  });
});

describe('requests', () => {
  const ctx = { id: 'x', requestor: 'rita', nowMs: T0, config, freezes, overdue: [] as ExceptionRecord[] };
  it.each([
    [{ type: 'security' as const }, /cveIds: a security waiver names/],
    [{ type: 'window' as const, cveIds: ['CVE-1'] }, /only security waivers name CVEs/],
    [{ type: 'freeze' as const }, /needs an explicit expiration/],
    [{ type: 'freeze' as const, expiration: new Date(T0 + 49 * hour).toISOString() }, /outlasts the freeze/],
    [{ type: 'window' as const, expiration: new Date(T0 - 1).toISOString() }, /already past/],
    [{ type: 'window' as const, reason: ' ' }, /reason/],
  ])('refuses %o', (over, message) => {
    const r = requestException({ service: 'api', reason: 'r', mitigation: 'm', ...over } as ExceptionRequest, ctx);
    expect(r).toMatchObject({ ok: false, code: 'VALIDATION_FAILED', reason: expect.stringMatching(message) });
  });

  it('a freeze exception with no freeze covering the service is refused', () => {
    const r = requestException({ type: 'freeze', service: 'api', reason: 'r', mitigation: 'm', expiration: new Date(T0 + hour).toISOString() }, { ...ctx, freezes: [] });
    expect(r).toMatchObject({ ok: false, reason: expect.stringMatching(/no freeze/) });
  });

  it('overdue reviews block new requests for the service, unless configured not to', () => {
    const overdue = [requested('window')];
    expect(requestException({ type: 'window', service: 'api', reason: 'r', mitigation: 'm' }, { ...ctx, overdue })).toMatchObject({ ok: false, code: 'CONFLICT' });
    const lax = resolveExceptionsConfig({ overdueReviewBlocks: false });
    expect(requestException({ type: 'window', service: 'api', reason: 'r', mitigation: 'm' }, { ...ctx, config: lax, overdue }).ok).toBe(true);
  });
});

describe('deny, revoke, use and review', () => {
  const approved = () => {
    const r = approveException(requested('window'), { person: 'cap', roles: ['release-captain'] }, T0, config);
    if (!r.ok) throw new Error(r.reason);
    return r.record;
  };

  it('denies a pending exception with a reason, by a required role only', () => {
    expect(denyException(requested('window'), { person: 'd', roles: ['deployer'] }, 'no', T0, config)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(denyException(requested('window'), { person: 'cap', roles: ['release-captain'] }, 'too risky', T0, config)).toMatchObject({ ok: true, record: { state: 'denied', stateReason: 'too risky' } });
    expect(denyException(approved(), { person: 'cap', roles: ['release-captain'] }, 'x', T0, config)).toMatchObject({ ok: false, code: 'CONFLICT' });
  });

  it('revokes an approved exception; an expired one cannot be revoked', () => {
    expect(revokeException(approved(), { person: 'rita', roles: ['deployer'] }, undefined, T0 + hour, config)).toMatchObject({ ok: true, record: { state: 'revoked' } });
    expect(revokeException(approved(), { person: 'eve', roles: ['deployer'] }, undefined, T0 + hour, config)).toMatchObject({ ok: false, code: 'FORBIDDEN' });
    expect(revokeException(approved(), { person: 'rita', roles: [] }, undefined, T0 + 5 * hour, config)).toMatchObject({ ok: false, code: 'CONFLICT' });
  });

  it('the first use sets the review due 24 h later; later uses keep it; the same decision counts once', () => {
    const used = recordUse(approved(), { decisionId: 'd1', releaseId: 'r1', at: new Date(T0 + hour).toISOString(), checks: ['approval.change_window'] }, config);
    expect(used.reviewDue).toBe(new Date(T0 + 25 * hour).toISOString());
    const again = recordUse(used, { decisionId: 'd2', releaseId: 'r2', at: new Date(T0 + 2 * hour).toISOString(), checks: [] }, config);
    expect(again.reviewDue).toBe(used.reviewDue);
    expect(again.deploymentIds).toEqual(['d1', 'd2']);
    expect(recordUse(again, { decisionId: 'd1', releaseId: 'r1', at: '2026-03-07T00:00:00Z', checks: [] }, config)).toBe(again);
    expect(needsReview(again)).toBe(true);
    expect(reviewOverdue(again, T0 + 25 * hour - 1)).toBe(false);
    expect(reviewOverdue(again, T0 + 25 * hour)).toBe(true);
    const reviewed = reviewException(again, { person: 'cap', roles: ['release-captain'] }, 'fine', T0 + 26 * hour, config);
    expect(reviewed).toMatchObject({ ok: true, record: { reviewed: true, reviewNotes: 'fine', reviewedBy: 'cap' } });
    expect(needsReview((reviewed as { record: ExceptionRecord }).record)).toBe(false);
  });

  it('an unused exception has nothing to review', () => {
    expect(reviewException(approved(), { person: 'cap', roles: ['release-captain'] }, 'n', T0, config)).toMatchObject({ ok: false, code: 'CONFLICT' });
  });
});
