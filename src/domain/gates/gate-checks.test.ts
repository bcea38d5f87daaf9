import { describe, it, expect } from 'vitest';
import { buildGate } from './build-gate.js';
import type { CheckOutcome, GateResult } from './check.js';
import { resolveThresholds } from './config.js';
import type { Evidence } from './evidence.js';
import { missing, present } from './evidence.js';
import { qualityGate } from './quality-gate.js';
import { securityGate } from './security-gate.js';
import { sloGate } from './slo-gate.js';
import { passingEvidence } from './test-fixtures.js';

const T = resolveThresholds(undefined, undefined);
const unreadable = missing<never>('trivy.json:1:17: unexpected end of JSON', { kind: 'file', ref: 'trivy.json' });
const src = { kind: 'file', ref: 'report' } as const;

function run(gate: 'build' | 'quality' | 'security' | 'slo', change: (e: Evidence) => void, environment = 'staging'): GateResult {
  const evidence = passingEvidence();
  change(evidence);
  switch (gate) {
    case 'build': return buildGate(evidence);
    case 'quality': return qualityGate(evidence, T);
    case 'security': return securityGate(evidence, T, environment);
    case 'slo': return sloGate(evidence, T);
  }
}

describe('every check passes on passing evidence', () => {
  it.each(['build', 'quality', 'security', 'slo'] as const)('%s', (gate) => {
    const result = run(gate, () => {});
    expect(result.passed).toBe(true);
    expect(result.checks.map((c) => c.result)).toEqual(result.checks.map(() => 'pass'));
  });
});

type Row = [string, (e: Evidence) => void, CheckOutcome, unknown, boolean];
// check id, change to passing evidence, expected result, expected value, gate passes
const rows: Row[] = [
  // Gate 1: build
  ['build.typecheck', (e) => { e.build.typecheck = present({ outcome: 'fail', errorCount: 7 }, src); }, 'fail', 'fail (7 errors)', false],
  ['build.typecheck', (e) => { e.build.typecheck = present({ outcome: 'pass', errorCount: 2 }, src); }, 'fail', 'pass (2 errors)', false],
  ['build.typecheck', (e) => { e.build.typecheck = missing('no evidence supplied'); }, 'missing', null, false],
  ['build.compile', (e) => { e.build.compile = present({ outcome: 'fail' }, src); }, 'fail', 'fail', false],
  ['build.compile', (e) => { e.build.compile = unreadable; }, 'missing', null, false],
  ['build.lint', (e) => { e.build.lint = present({ outcome: 'pass', errorCount: 1 }, src); }, 'fail', 'pass (1 errors)', false],
  ['build.lint', (e) => { e.build.lint = present({ outcome: 'pass', errorCount: 0, warningCount: 40 }, src); }, 'pass', 'pass (0 errors)', true],
  ['build.format', (e) => { e.build.format = present({ outcome: 'fail' }, src); }, 'fail', 'fail', false],
  ['build.format', (e) => { e.build.format = missing('no evidence supplied'); }, 'missing', null, false],
  // Gate 2: quality
  ['quality.unit_tests', (e) => { e.quality.unitTests = present({ total: 10, failed: 1, errors: 0, skipped: 0 }, src); }, 'fail', '10 total, 1 failed, 0 errors, 0 skipped', false],
  ['quality.unit_tests', (e) => { e.quality.unitTests = present({ total: 10, failed: 0, errors: 2, skipped: 0 }, src); }, 'fail', '10 total, 0 failed, 2 errors, 0 skipped', false],
  ['quality.unit_tests', (e) => { e.quality.unitTests = present({ total: 0, failed: 0, errors: 0, skipped: 0 }, src); }, 'fail', '0 total, 0 failed, 0 errors, 0 skipped', false],
  ['quality.unit_tests', (e) => { e.quality.unitTests = present({ total: 4, failed: 0, errors: 0, skipped: 4 }, src); }, 'fail', '4 total, 0 failed, 0 errors, 4 skipped', false],
  ['quality.unit_tests', (e) => { e.quality.unitTests = unreadable; }, 'missing', null, false],
  ['quality.coverage', (e) => { e.quality.coverage = present({ linesPct: 79.99 }, src); }, 'fail', 79.99, false],
  ['quality.coverage', (e) => { e.quality.coverage = present({ linesPct: 80 }, src); }, 'pass', 80, true],
  ['quality.coverage', (e) => { e.quality.coverage = missing('no evidence supplied'); }, 'missing', null, false],
  ['quality.coverage', (e) => { e.quality.coverage = present({ linesPct: Number.NaN }, src); }, 'missing', null, false],
  ['quality.coverage', (e) => { e.quality.coverage = present({ linesPct: null as unknown as number }, src); }, 'missing', null, false],
  ['quality.e2e', (e) => { e.quality.e2e = missing('no evidence supplied'); }, 'pass', 'not required', true],
  ['quality.e2e', (e) => { e.quality.e2e = missing('no evidence supplied'); e.quality.changes = present({ highRiskFilesChanged: true, apiChanged: false }, src); }, 'missing', null, false],
  ['quality.e2e', (e) => { e.quality.e2e = missing('no evidence supplied'); e.quality.changes = present({ highRiskFilesChanged: false, apiChanged: true }, src); }, 'missing', null, false],
  ['quality.e2e', (e) => { e.quality.e2e = missing('no evidence supplied'); e.quality.changes = missing('no evidence supplied'); }, 'missing', null, false],
  ['quality.e2e', (e) => { e.quality.e2e = present({ total: 5, failed: 1, errors: 0, skipped: 0 }, src); }, 'fail', '5 total, 1 failed, 0 errors, 0 skipped', false],
  ['quality.e2e', (e) => { e.quality.e2e = present({ outcome: 'pass' }, src); e.quality.changes = present({ highRiskFilesChanged: true, apiChanged: true }, src); }, 'pass', 'pass', true],
  ['quality.golden_path', (e) => { e.quality.goldenPath = present({ outcome: 'fail' }, src); }, 'fail', 'fail', false],
  ['quality.golden_path', (e) => { e.quality.goldenPath = missing('no evidence supplied'); }, 'missing', null, false],
  // Gate 3: security (environment staging unless the id says otherwise)
  ['security.critical_cves', (e) => { e.security.cves = present({ critical: 2, high: 0, medium: 0, low: 0, ids: { critical: ['CVE-2024-1', 'CVE-2024-2'] } }, src); }, 'fail', 2, false],
  ['security.critical_cves', (e) => { e.security.cves = unreadable; }, 'missing', null, false],
  ['security.high_cves', (e) => { e.security.cves = present({ critical: 0, high: 3, medium: 0, low: 0, ids: {} }, src); }, 'warn', 3, true],
  ['security.high_cves@production', (e) => { e.security.cves = present({ critical: 0, high: 3, medium: 0, low: 0, ids: {} }, src); }, 'fail', 3, false],
  ['security.high_cves@production', (e) => { e.security.cves = present({ critical: 0, high: 0, medium: 9, low: 0, ids: {} }, src); }, 'pass', 0, true],
  ['security.secrets', (e) => { e.security.secrets = present({ count: 1, ruleIds: ['aws-access-token'] }, src); }, 'fail', 1, false],
  ['security.secrets', (e) => { e.security.secrets = missing('no evidence supplied'); }, 'missing', null, false],
  ['security.slsa_level', (e) => { e.security.slsa = present({ level: 2 }, src); }, 'fail', 2, false],
  ['security.slsa_level', (e) => { e.security.slsa = present({ level: 4 }, src); }, 'pass', 4, true],
  ['security.slsa_level', (e) => { e.security.slsa = missing('no evidence supplied'); }, 'missing', null, false],
  ['security.image_signed', (e) => { e.security.imageSigned = present({ signed: false }, src); }, 'fail', false, false],
  ['security.image_signed', (e) => { e.security.imageSigned = missing('signature did not verify against the trusted root', src); }, 'missing', null, false],
  // Gate 4: SLO
  ['slo.error_budget', (e) => { e.slo.errorBudgetRemainingPct = present(19.9, src); }, 'fail', 19.9, false],
  ['slo.error_budget', (e) => { e.slo.errorBudgetRemainingPct = present(20, src); }, 'pass', 20, true],
  ['slo.error_budget', (e) => { e.slo.errorBudgetRemainingPct = present(-30, src); }, 'fail', -30, false],
  ['slo.error_budget', (e) => { e.slo.errorBudgetRemainingPct = missing('no evidence supplied'); }, 'missing', null, false],
  ['slo.fast_burn', (e) => { e.slo.fastBurnRate = present(2.0, src); }, 'fail', 2, false],
  ['slo.fast_burn', (e) => { e.slo.fastBurnRate = present(1.99, src); }, 'pass', 1.99, true],
  ['slo.fast_burn', (e) => { e.slo.fastBurnRate = missing('no evidence supplied'); }, 'missing', null, false],
  ['slo.active_p1', (e) => { e.slo.activeP1Incidents = present({ count: 1, ids: ['INC-7'] }, src); }, 'fail', 1, false],
  ['slo.active_p1', (e) => { e.slo.activeP1Incidents = missing('no evidence supplied'); }, 'missing', null, false],
  ['slo.rollbacks_24h', (e) => { e.slo.rollbacksLast24h = present({ count: 1 }, src); }, 'pass', 1, true],
  ['slo.rollbacks_24h', (e) => { e.slo.rollbacksLast24h = present({ count: 2 }, src); }, 'fail', 2, false],
  ['slo.rollbacks_24h', (e) => { e.slo.rollbacksLast24h = missing('no evidence supplied'); }, 'missing', null, false],
];

describe('checks (spec Gates 1–4)', () => {
  it.each(rows)('%s: case %#', (idAndEnv, change, result, value, gatePasses) => {
    const [id, environment] = idAndEnv.split('@') as [string, string | undefined];
    const gate = id.split('.')[0] as 'build' | 'quality' | 'security' | 'slo';
    const outcome = run(gate, change, environment ?? 'staging');
    const check = outcome.checks.find((c) => c.id === id)!;
    expect(check.result).toBe(result);
    expect(check.value).toEqual(value);
    expect(outcome.passed).toBe(gatePasses);
    // Only the changed check differs from pass (the two CVE checks read the same report).
    const sharing = id.endsWith('_cves') ? ['security.critical_cves', 'security.high_cves'] : [id];
    expect(outcome.checks.filter((c) => !sharing.includes(c.id)).every((c) => c.result === 'pass')).toBe(true);
  });

  it('names the evidence source, including for unreadable files', () => {
    const check = run('security', (e) => { e.security.cves = unreadable; }).checks[0]!;
    expect(check).toMatchObject({ id: 'security.critical_cves', result: 'missing', source: 'file:trivy.json', detail: 'trivy.json:1:17: unexpected end of JSON' });
    expect(run('build', () => {}).checks[0]!.source).toBe('file:tsc.log');
  });

  it('never shows secret values: only counts and rule ids', () => {
    const check = run('security', (e) => { e.security.secrets = present({ count: 2, ruleIds: ['aws-access-token', 'aws-access-token'] }, src); }).checks.find((c) => c.id === 'security.secrets')!;
    expect(check.detail).toBe('2 secrets found (rules: aws-access-token)');
  });

  it('lists critical CVE ids, at most ten', () => {
    const ids = Array.from({ length: 12 }, (_, i) => `CVE-2025-${1000 + i}`);
    const check = run('security', (e) => { e.security.cves = present({ critical: 12, high: 0, medium: 0, low: 0, ids: { critical: ids } }, src); }).checks[0]!;
    expect(check.detail).toBe(`12 critical CVEs: ${ids.slice(0, 10).join(', ')} and 2 more`);
  });
});

describe('thresholds: spec defaults with tier overrides', () => {
  it.each([
    [undefined, undefined, 80],
    [{ defaults: { coverageMinPct: 70 } }, undefined, 70],
    [{ defaults: { coverageMinPct: 70 }, tiers: { '1': { coverageMinPct: 90 } } }, '1', 90],
    [{ defaults: { coverageMinPct: 70 }, tiers: { '1': { coverageMinPct: 90 } } }, '3', 70],
  ])('config %j tier %s → coverage minimum %d', (config, tier, expected) => {
    const thresholds = resolveThresholds(config, tier);
    expect(thresholds.coverageMinPct).toBe(expected);
    const evidence = passingEvidence();
    evidence.quality.coverage = present({ linesPct: 85 }, src);
    expect(qualityGate(evidence, thresholds).passed).toBe(85 >= expected);
  });

  it('keeps the other spec defaults', () => {
    expect(resolveThresholds(undefined, undefined)).toEqual({
      coverageMinPct: 80, maxCriticalCves: 0, highCvesFailIn: ['production'], maxSecrets: 0, minSlsaLevel: 3,
      requireSignedImage: true, minErrorBudgetPct: 20, fastBurnMax: 2, maxActiveP1: 0, rollbacks24hBlockAt: 2,
    });
  });
});
