import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ExceptionGrant } from '../exceptions/grant.js';
import type { ReleaseGateConfig } from './config.js';
import { evaluateRelease } from './decision.js';
import type { DecisionRecord } from './decision.js';
import { present } from './evidence.js';
import { compilePolicy } from './policy-engine.js';
import type { ReleaseRequest } from './request.js';
import { passingEvidence } from './test-fixtures.js';

const compiled = compilePolicy(readFileSync(path.resolve(process.cwd(), 'policies/release-gate.yaml'), 'utf8'), 'policies/release-gate.yaml');
if (!compiled.ok) throw new Error('policy does not compile');
const policy = compiled.policy;

const FRIDAY_10 = Date.parse('2026-01-09T10:00:00Z');
const TUESDAY_11 = Date.parse('2026-01-06T11:00:00Z');
const config: ReleaseGateConfig = {
  freezes: [{ id: 'migration', startMs: Date.parse('2026-01-06T10:00:00Z'), endMs: Date.parse('2026-01-07T10:00:00Z'), reason: 'DB migration', services: ['api'], tiers: [] }],
};
const base: ReleaseRequest = { id: 'dec-1', service: 'api', version: '1.4.0', environment: 'production', tier: '1', kind: 'feature' };
const grant = (type: ExceptionGrant['type'], over: Partial<ExceptionGrant> = {}): ExceptionGrant => ({
  id: `exc_${type}`, type, service: 'api', version: null, cveIds: [], validFrom: '2026-01-01T00:00:00.000Z', validUntil: '2026-02-01T00:00:00.000Z', ...over,
});
const check = (d: DecisionRecord, id: string) => d.checks.flatMap((g) => g.checks).find((c) => c.id === id)!;
const decide = (grants: ExceptionGrant[], nowMs: number, evidence = passingEvidence()) =>
  evaluateRelease({ ...base, exceptions: grants }, evidence, config, policy, nowMs);

describe('exception waivers in a decision', () => {
  it('a window exception lifts the change-window failure, names itself, and lets the policy allow', () => {
    const without = decide([], FRIDAY_10);
    expect(without.allow).toBe(false);
    expect(without.violations).toContain('Outside deployment window (Mon-Thu 09:00-16:00)');
    const d = decide([grant('window')], FRIDAY_10);
    expect(check(d, 'approval.change_window')).toMatchObject({ result: 'fail', waived: { exceptionId: 'exc_window', type: 'window' } });
    expect(d.violations).toEqual([]);
    expect(d.allow).toBe(true);
    expect(d.exceptions).toEqual([{ id: 'exc_window', type: 'window', checks: ['approval.change_window'] }]);
  });

  it('an exception that waives nothing (window open) is not listed as used', () => {
    const d = decide([grant('window')], Date.parse('2026-01-05T10:00:00Z'));
    expect(d.allow).toBe(true);
    expect(d.exceptions).toEqual([]);
  });

  it.each([
    ['expired (validUntil is exclusive)', { validUntil: new Date(FRIDAY_10).toISOString() }],
    ['expired one second before', { validUntil: new Date(FRIDAY_10 - 1000).toISOString() }],
    ['approved after the decision instant', { validFrom: new Date(FRIDAY_10 + 1).toISOString() }],
    ['another service', { service: 'copilot' }],
    ['another version', { version: '1.3.9' }],
  ])('waives nothing when %s', (_name, over) => {
    const d = decide([grant('window', over)], FRIDAY_10);
    expect(check(d, 'approval.change_window').waived).toBeUndefined();
    expect(d.allow).toBe(false);
  });

  it('a family exception (worker-*) covers its members; a version-bound one its version', () => {
    const fam = evaluateRelease({ ...base, service: 'worker-mail', exceptions: [grant('window', { service: 'worker-*', version: '1.4.0' })] }, passingEvidence(), config, policy, FRIDAY_10);
    expect(fam.exceptions.map((e) => e.id)).toEqual(['exc_window']);
  });

  it('a freeze exception lifts the freeze check and the policy freeze rule', () => {
    expect(decide([], TUESDAY_11).allow).toBe(false);
    const d = decide([grant('freeze')], TUESDAY_11);
    expect(check(d, 'approval.freeze')).toMatchObject({ waived: { type: 'freeze' } });
    expect(d.allow).toBe(true);
  });

  it('an slo exception lifts every failing SLO check, never a missing one', () => {
    const e = passingEvidence();
    e.slo.errorBudgetRemainingPct = present(5, { kind: 'api', ref: 'slo' });
    e.slo.activeP1Incidents = present({ count: 1, ids: ['INC-1'] }, { kind: 'api', ref: 'inc' });
    const d = decide([grant('slo')], Date.parse('2026-01-05T10:00:00Z'), e);
    expect(d.exceptions).toEqual([{ id: 'exc_slo', type: 'slo', checks: ['slo.error_budget', 'slo.active_p1'] }]);
    expect(d.violations).toEqual([]);
    expect(d.allow).toBe(true);
    e.slo.fastBurnRate = { state: 'missing', reason: 'no data', source: undefined } as never;
    const missingBurn = decide([grant('slo')], Date.parse('2026-01-05T10:00:00Z'), e);
    expect(check(missingBurn, 'slo.fast_burn')).toMatchObject({ result: 'missing' });
    expect(check(missingBurn, 'slo.fast_burn').waived).toBeUndefined();
    expect(missingBurn.allow).toBe(false);
  });

  it('a security waiver removes exactly its CVE ids: a second critical CVE still counts', () => {
    const e = passingEvidence();
    e.security.cves = present({ critical: 2, high: 0, medium: 0, low: 0, ids: { critical: ['CVE-2026-0001', 'CVE-2026-0002'] } }, { kind: 'file', ref: 'trivy.json' });
    const monday = Date.parse('2026-01-05T10:00:00Z');
    const one = decide([grant('security', { cveIds: ['CVE-2026-0001'] })], monday, e);
    expect(check(one, 'security.critical_cves')).toMatchObject({ result: 'fail', value: 1, waived: { exceptionId: 'exc_security', cveIds: ['CVE-2026-0001'] } });
    expect(check(one, 'security.critical_cves').detail).toMatch(/CVE-2026-0002.*waived: CVE-2026-0001/);
    expect(one.violations).toContain('1 critical CVEs detected');
    expect(one.allow).toBe(false);
    expect(one.exceptions).toEqual([{ id: 'exc_security', type: 'security', checks: ['security.critical_cves'], cveIds: ['CVE-2026-0001'] }]);
    const both = decide([grant('security', { cveIds: ['CVE-2026-0001', 'CVE-2026-0002'] })], monday, e);
    expect(check(both, 'security.critical_cves')).toMatchObject({ result: 'pass', value: 0 });
    expect(both.allow).toBe(true);
  });

  it('budget exceptions lift no gate check yet (the budget band is not built)', () => {
    const d = decide([grant('budget')], FRIDAY_10);
    expect(d.allow).toBe(false);
    expect(d.exceptions).toEqual([]);
  });

  it('replays identically from its JSON-round-tripped arguments, waivers included', () => {
    const req = JSON.parse(JSON.stringify({ ...base, exceptions: [grant('window')] })) as ReleaseRequest;
    expect(evaluateRelease(req, passingEvidence(), config, policy, FRIDAY_10)).toEqual(decide([grant('window')], FRIDAY_10));
  });
});
