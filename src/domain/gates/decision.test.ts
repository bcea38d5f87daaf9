import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it, expect } from 'vitest';
import { canonicalJson } from '../canonical-json.js';
import type { ReleaseGateConfig } from './config.js';
import { evaluateRelease } from './decision.js';
import type { DecisionRecord } from './decision.js';
import { missing, present } from './evidence.js';
import type { Evidence } from './evidence.js';
import { compilePolicy } from './policy-engine.js';
import type { ReleaseRequest } from './request.js';
import { passingEvidence } from './test-fixtures.js';
import { createSeededRandom } from '../analysis/statistical/test-support/seeded-random.js';

const POLICY_FILE = 'policies/release-gate.yaml';
const policySource = readFileSync(path.resolve(process.cwd(), POLICY_FILE), 'utf8');
function policyFrom(source: string) {
  const compiled = compilePolicy(source, POLICY_FILE);
  if (!compiled.ok) throw new Error(compiled.issues.map((i) => i.message).join('\n'));
  return compiled.policy;
}
const policy = policyFrom(policySource);

const MONDAY_10 = Date.parse('2026-01-05T10:00:00Z');
const FRIDAY_10 = Date.parse('2026-01-09T10:00:00Z');
const request: ReleaseRequest = { id: 'dec-1', service: 'api', version: '1.4.0', environment: 'production', tier: '1', kind: 'feature' };
const config: ReleaseGateConfig = {
  authorizedOverriders: ['alice'],
  freezes: [{ id: 'migration', startMs: Date.parse('2026-01-06T10:00:00Z'), endMs: Date.parse('2026-01-07T10:00:00Z'), reason: 'DB migration', services: ['api'], tiers: [] }],
};
const check = (d: DecisionRecord, id: string) => d.checks.flatMap((g) => g.checks).find((c) => c.id === id)!;

describe('evaluateRelease', () => {
  it('lets configured windows replace the spec\'s Mon-Thu 09:00-16:00 in the policy as well', () => {
    const weekends = { ...config, windows: [{ name: 'fri-sun', kind: 'allow' as const, schedule: '0 0 * * 5', duration: '72h', timeZone: 'UTC' }] };
    const friday = evaluateRelease(request, passingEvidence(), weekends, policy, FRIDAY_10);
    expect(friday.policy.allow).toBe(true);
    expect(friday.allow).toBe(true);
    const monday = evaluateRelease(request, passingEvidence(), weekends, policy, MONDAY_10);
    expect(monday.policy.violations).toContain('Outside deployment window (Mon-Thu 09:00-16:00)');
    expect(monday.allow).toBe(false);
  });

  it('allows when all six gates pass, with the spec decision shape', () => {
    const d = evaluateRelease(request, passingEvidence(), config, policy, MONDAY_10);
    expect(d).toMatchObject({
      id: 'dec-1', allow: true, timestamp: MONDAY_10 * 1e6, service: 'api', version: '1.4.0',
      gates: { build: true, quality: true, security: true, slo: true },
      overrides: { emergency: false, approver: null, granted: false },
      violations: [], auditLevel: 'standard',
      clock: { iso: '2026-01-05T10:00:00.000Z', epochMs: MONDAY_10, zone: 'UTC' },
    });
    expect(d.checks.map((g) => g.gate)).toEqual(['build', 'quality', 'security', 'slo', 'policy', 'approval']);
    expect(d.digests.policy).toBe(policy.digest);
    expect(d.window).toMatchObject({ open: true, decidedBy: 'weekdays-0900-1600', nextChange: '2026-01-05T16:00:00.000Z' });
  });

  it.each([
    // what changes, failing check ids, rego violations expected in front
    ['no release captain', (e: Evidence) => { e.approval.releaseCaptain = missing('no approval recorded'); }, MONDAY_10, ['approval.release_captain'], []],
    ['outside the window', () => {}, FRIDAY_10, ['policy.allow', 'approval.change_window'], ['Outside deployment window (Mon-Thu 09:00-16:00)']],
    ['in a freeze (start inclusive)', () => {}, Date.parse('2026-01-06T10:00:00Z'), ['policy.allow', 'approval.freeze'], []],
    ['freeze ended (end exclusive)', () => {}, Date.parse('2026-01-07T10:00:00Z'), [], []],
    ['format failing (not in the rego)', (e: Evidence) => { e.build.format = present({ outcome: 'fail' }, { kind: 'flag', ref: '--step format=fail' }); }, MONDAY_10, ['build.format'], []],
    ['high CVEs in production', (e: Evidence) => { e.security.cves = present({ critical: 0, high: 1, medium: 0, low: 0, ids: { high: ['CVE-2025-1'] } }, { kind: 'file', ref: 'trivy.json' }); }, MONDAY_10, ['security.high_cves'], []],
    ['coverage evidence missing', (e: Evidence) => { e.quality.coverage = missing('no evidence supplied'); }, MONDAY_10, ['quality.coverage', 'policy.allow'], []],
    ['critical CVEs', (e: Evidence) => { e.security.cves = present({ critical: 2, high: 0, medium: 0, low: 0, ids: {} }, { kind: 'file', ref: 'trivy.json' }); }, MONDAY_10, ['security.critical_cves', 'policy.allow'], ['2 critical CVEs detected']],
  ])('%s', (_name, change, now, failing, regoViolations) => {
    const evidence = passingEvidence();
    change(evidence);
    const d = evaluateRelease(request, evidence, config, policy, now);
    const failed = d.checks.flatMap((g) => g.checks).filter((c) => c.result === 'fail' || c.result === 'missing').map((c) => c.id);
    expect(failed).toEqual(failing);
    expect(d.allow).toBe(failing.length === 0);
    expect(d.policy.violations).toEqual(regoViolations);
    expect(d.violations.slice(0, regoViolations.length)).toEqual(regoViolations);
    expect(d.violations.slice(regoViolations.length).map((v) => v.split(':')[0])).toEqual(failing);
  });

  it('a granted emergency bypasses window, freeze and active P1, and is audited Critical', () => {
    const evidence = passingEvidence();
    evidence.slo.activeP1Incidents = present({ count: 1, ids: ['INC-9'] }, { kind: 'api', ref: '/api/v1/incidents' });
    const d = evaluateRelease({ ...request, emergency: { approver: 'alice', incidentId: 'INC-9' } }, evidence, config, policy, Date.parse('2026-01-06T20:00:00Z'));
    expect(d.allow).toBe(true);
    expect(d.auditLevel).toBe('critical');
    expect(d.overrides).toEqual({ emergency: true, approver: 'alice', incidentId: 'INC-9', granted: true, refusedReasons: [], bypassedChecks: ['slo.active_p1', 'approval.change_window', 'approval.freeze'] });
    expect(check(d, 'approval.freeze')).toMatchObject({ result: 'fail', bypassed: { by: 'emergency', approver: 'alice', incidentId: 'INC-9' } });
    expect(d.policy.allowedBy).toEqual(['authorized_emergency_override']);
  });

  it('a granted emergency does not lift a failing build', () => {
    const evidence = passingEvidence();
    evidence.build.compile = present({ outcome: 'fail' }, { kind: 'flag', ref: '--step build=fail' });
    const d = evaluateRelease({ ...request, emergency: { approver: 'alice', incidentId: 'INC-9' } }, evidence, config, policy, MONDAY_10);
    expect(d.policy.allow).toBe(true); // the rego's emergency clause
    expect(d.allow).toBe(false); // but Rampart's build gate still fails
    expect(d.gates.build).toBe(false);
  });

  it('an unauthorized emergency claim bypasses nothing, though the rego opens its window for it', () => {
    const d = evaluateRelease({ ...request, emergency: { approver: 'mallory', incidentId: 'INC-9' } }, passingEvidence(), config, policy, FRIDAY_10);
    expect(d.policy.rules.deployment_window_open).toBe(true);
    expect(d.allow).toBe(false);
    expect(check(d, 'approval.change_window').result).toBe('fail');
    expect(d.overrides).toMatchObject({ granted: false, refusedReasons: ['approver "mallory" is not in authorized_overriders'], bypassedChecks: [] });
    expect(d.auditLevel).toBe('critical');
  });

  it('reads the window in the configured zone, for checks and policy alike', () => {
    const nyMonday10 = Date.parse('2026-01-05T15:00:00Z');
    const d = evaluateRelease(request, passingEvidence(), { ...config, timeZone: 'America/New_York' }, policy, nyMonday10);
    expect(d.allow).toBe(true);
    const early = evaluateRelease(request, passingEvidence(), { ...config, timeZone: 'America/New_York' }, policy, MONDAY_10);
    expect(early.allow).toBe(false);
    expect(early.policy.violations).toEqual(['Outside deployment window (Mon-Thu 09:00-16:00)']);
  });

  it('an unknown time zone closes the window instead of throwing', () => {
    const d = evaluateRelease(request, passingEvidence(), { ...config, timeZone: 'Mars/Olympus_Mons' }, policy, MONDAY_10);
    expect(d.allow).toBe(false);
    expect(check(d, 'approval.change_window').result).toBe('missing');
    expect(d.policy.violations).toEqual(['Outside deployment window (Mon-Thu 09:00-16:00)']);
  });

  it('misconfigured windows make the change-window check missing, never open', () => {
    const d = evaluateRelease(request, passingEvidence(), { ...config, windows: [{ name: 'x', kind: 'allow', schedule: 'nope', duration: '1h', timeZone: 'UTC' }] }, policy, MONDAY_10);
    expect(check(d, 'approval.change_window').result).toBe('missing');
    expect(d.allow).toBe(false);
  });
});

/** The shared seeded PRNG (mulberry32), so every run and every failing seed reproduce. */
const prng = (seed: number): (() => number) => createSeededRandom(seed).next;

function randomCase(rand: () => number, i: number) {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const maybe = <T>(value: T) => (rand() < 0.05 ? missing<T extends { value: infer V } ? V : never>('no evidence supplied') : value);
  const src = { kind: 'file', ref: `r${i}.json` } as const;
  // Each fact is good 85% of the time, so allows, denies and every gate's failures all occur.
  const good = () => rand() < 0.85;
  const e = passingEvidence();
  e.build.typecheck = maybe(present({ outcome: good() ? 'pass' : 'fail', errorCount: good() ? 0 : 3 }, src)) as Evidence['build']['typecheck'];
  e.build.lint = maybe(present({ outcome: 'pass', errorCount: good() ? 0 : 1 }, src)) as Evidence['build']['lint'];
  e.quality.coverage = maybe(present({ linesPct: good() ? 90 + Math.round(rand() * 100) / 10 : Math.round(rand() * 900) / 10 }, src)) as Evidence['quality']['coverage'];
  e.quality.changes = present({ highRiskFilesChanged: rand() < 0.3, apiChanged: rand() < 0.3 }, src);
  e.quality.e2e = maybe(present({ outcome: good() ? 'pass' : 'fail' }, src)) as Evidence['quality']['e2e'];
  e.security.cves = maybe(present({ critical: good() ? 0 : pick([1, 4]), high: good() ? 0 : 2, medium: 1, low: 0, ids: {} }, src)) as Evidence['security']['cves'];
  e.security.slsa = present({ level: good() ? pick([3, 4]) : pick([1, 2]) }, src);
  e.slo.errorBudgetRemainingPct = maybe(present(good() ? 20 + Math.round(rand() * 8000) / 100 : Math.round((rand() * 60 - 40) * 100) / 100, src)) as Evidence['slo']['errorBudgetRemainingPct'];
  e.slo.fastBurnRate = present(good() ? Math.round(rand() * 199) / 100 : 2 + Math.round(rand() * 200) / 100, src);
  e.slo.rollbacksLast24h = present({ count: good() ? pick([0, 1]) : pick([2, 3]) }, src);
  if (!good()) e.approval.releaseCaptain = missing('no approval recorded');
  const req: ReleaseRequest = {
    id: `dec-${i}`, service: pick(['api', 'copilot', 'worker-email']), version: `1.${i}.0`,
    environment: pick(['production', 'staging']), tier: pick(['1', '2', '3']),
    ...(rand() < 0.15 ? { emergency: { approver: pick(['alice', 'mallory']), incidentId: pick(['INC-1', '']) } } : {}),
  };
  const cfg: ReleaseGateConfig = {
    ...config,
    timeZone: pick(['UTC', 'Europe/Berlin', 'America/New_York']),
    thresholds: { tiers: { '1': { coverageMinPct: 90 } } },
    freezes: [...config.freezes!, { id: 'workers', startMs: Date.parse('2026-03-01T00:00:00Z'), endMs: Date.parse('2026-03-08T00:00:00Z'), reason: 'r', services: ['worker-*'], tiers: ['2'] }],
  };
  // Any millisecond in the first quarter of 2026 (windows, freezes, the March DST switches), but
  // mostly on a weekday morning in New York so that the window is often open.
  const day = Date.parse('2026-01-05T14:00:00Z') + Math.floor(rand() * 12) * 7 * 24 * 3600 * 1000 + pick([0, 1, 2, 3]) * 24 * 3600 * 1000;
  const now = rand() < 0.6 ? day + Math.floor(rand() * 3600 * 1000) : Date.parse('2026-01-01T00:00:00Z') + Math.floor(rand() * 90 * 24 * 3600 * 1000);
  return { request: req, evidence: e, config: cfg, policySource, now };
}

describe('replay', () => {
  it('1,000 seeded random decisions evaluate identically from their stored (JSON) arguments', () => {
    const rand = prng(20260105);
    const outcomes = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const args = randomCase(rand, i);
      const first = evaluateRelease(args.request, args.evidence, args.config, policyFrom(args.policySource), args.now);
      const stored = JSON.parse(JSON.stringify(args)) as typeof args;
      const second = evaluateRelease(stored.request, stored.evidence, stored.config, policyFrom(stored.policySource), stored.now);
      expect(second).toEqual(first);
      expect(canonicalJson(second)).toBe(canonicalJson(first));
      expect(second.digests).toEqual(first.digests);
      outcomes.add(`${first.allow}:${first.policy.allow}:${first.overrides.granted}`);
    }
    // The random cases reach allows and denies, by policy and by checks, with and without emergencies.
    expect(outcomes.size).toBeGreaterThanOrEqual(4);
  });

  it('evidence with a non-finite number replays identically (it counts as missing both times)', () => {
    const evidence = passingEvidence();
    evidence.quality.coverage = present({ linesPct: Number.NaN }, { kind: 'file', ref: 'coverage-summary.json' });
    evidence.slo.fastBurnRate = present(Number.POSITIVE_INFINITY, { kind: 'api', ref: '/api/v1/services/api/slo-status' });
    const first = evaluateRelease(request, evidence, config, policy, MONDAY_10);
    const second = evaluateRelease(request, JSON.parse(JSON.stringify(evidence)) as Evidence, config, policy, MONDAY_10);
    expect(second).toEqual(first);
    expect(canonicalJson(second)).toBe(canonicalJson(first));
    expect(check(first, 'quality.coverage')).toMatchObject({ result: 'missing', detail: 'unreadable: a value is null or not a finite number' });
    expect(check(first, 'slo.fast_burn').result).toBe('missing');
  });

  it('a changed argument changes the digests', () => {
    const a = evaluateRelease(request, passingEvidence(), config, policy, MONDAY_10);
    const evidence = passingEvidence();
    evidence.slo.fastBurnRate = present(0.41, { kind: 'api', ref: '/api/v1/services/api/slo-status' });
    const b = evaluateRelease(request, evidence, config, policy, MONDAY_10);
    expect(b.digests.evidence).not.toBe(a.digests.evidence);
    expect(b.digests.input).not.toBe(a.digests.input);
    const c = evaluateRelease(request, passingEvidence(), config, policyFrom(`${policySource}\n# comment\n`), MONDAY_10);
    expect(c.digests.policy).not.toBe(a.digests.policy);
    expect(c.digests.input).toBe(a.digests.input);
  });
});
