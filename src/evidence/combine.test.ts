import { describe, expect, it } from 'vitest';
import { combineFacts } from './combine.js';
import { zeroCounts } from './severity.js';
import type { CoverageFacts, EvidenceFacts, TestFacts, VulnerabilityFacts } from './types.js';

const tests = (over: Partial<TestFacts>): TestFacts => ({
  kind: 'tests', tool: 'junit', tests: 0, passed: 0, failures: 0, errors: 0, skipped: 0, failingCases: [], failingCasesTruncated: false, ...over,
});
const coverage = (over: Partial<CoverageFacts>): CoverageFacts => ({
  kind: 'coverage', tool: 'lcov', lines: null, statements: null, branches: null, functions: null, ...over,
});
const vulnerabilities = (tool: VulnerabilityFacts['tool'], critical: string[]): VulnerabilityFacts => ({
  kind: 'vulnerabilities',
  tool,
  total: critical.length,
  bySeverity: { ...zeroCounts(), critical: critical.length },
  fixableBySeverity: zeroCounts(),
  idsBySeverity: { critical, high: [], medium: [], low: [], info: [], unknown: [] },
});

describe('combineFacts', () => {
  it('adds up JUnit files (one per Surefire class) and keeps 20 failing names', () => {
    const a = tests({ tests: 10, passed: 8, failures: 2, failingCases: Array.from({ length: 15 }, (_, i) => `A.t${i}`) });
    const b = tests({ tests: 5, passed: 3, errors: 1, skipped: 1, failingCases: Array.from({ length: 10 }, (_, i) => `B.t${i}`) });
    const [combined] = combineFacts([a, b]);
    expect(combined).toMatchObject({ tests: 15, passed: 11, failures: 2, errors: 1, skipped: 1, failingCasesTruncated: true });
    expect(combined?.kind === 'tests' && combined.failingCases).toHaveLength(20);
  });

  it('combines coverage from line counts, not by averaging percentages', () => {
    const small = coverage({ lines: 10, linesFound: 10, linesHit: 1, branches: 50 });
    const large = coverage({ lines: 90, linesFound: 990, linesHit: 891 });
    expect(combineFacts([small, large])).toEqual([coverage({ lines: 89.2, linesFound: 1000, linesHit: 892 })]);
  });

  it('leaves coverage without counts uncombined', () => {
    const pctOnly = coverage({ tool: 'istanbul', lines: 85 });
    const counted = coverage({ lines: 50, linesFound: 2, linesHit: 1 });
    expect(combineFacts([pctOnly, counted])).toEqual([counted, pctOnly]);
  });

  it('combines vulnerabilities per tool only', () => {
    const combined = combineFacts([vulnerabilities('trivy', ['CVE-1']), vulnerabilities('trivy', ['CVE-1', 'CVE-2']), vulnerabilities('grype', ['CVE-1'])]);
    expect(combined).toHaveLength(2);
    expect(combined[0]).toMatchObject({ tool: 'trivy', total: 3, bySeverity: { critical: 3 }, idsBySeverity: { critical: ['CVE-1', 'CVE-2'] } });
    expect(combined[1]).toMatchObject({ tool: 'grype', total: 1 });
  });

  it('sums secrets, lint, typecheck and SARIF facts', () => {
    const list: EvidenceFacts[] = [
      { kind: 'secrets', tool: 'gitleaks', count: 1, ruleIds: ['a'], byRule: { a: 1 }, locations: [{ ruleId: 'a', file: 'x', line: 1 }] },
      { kind: 'secrets', tool: 'gitleaks', count: 2, ruleIds: ['a', 'b'], byRule: { a: 1, b: 1 }, locations: [] },
      { kind: 'lint', tool: 'eslint', files: 2, filesWithErrors: 1, errors: 3, warnings: 1, fatal: 0 },
      { kind: 'lint', tool: 'eslint', files: 1, filesWithErrors: 1, errors: 1, warnings: 0, fatal: 1 },
      { kind: 'typecheck', tool: 'tsc', errors: 2, byCode: { TS2322: 2 }, summaryErrors: 2 },
      { kind: 'typecheck', tool: 'tsc', errors: 1, byCode: { TS2322: 1 }, summaryErrors: null },
      { kind: 'static-analysis', tool: 'sarif', tools: ['CodeQL'], runs: 1, total: 2, byLevel: { error: 2, warning: 0, note: 0, none: 0 }, bySecuritySeverity: { critical: 1, high: 1, medium: 0, low: 0 }, withoutSecuritySeverity: 0 },
      { kind: 'static-analysis', tool: 'sarif', tools: ['Semgrep'], runs: 1, total: 1, byLevel: { error: 0, warning: 1, note: 0, none: 0 }, bySecuritySeverity: { critical: 0, high: 0, medium: 0, low: 0 }, withoutSecuritySeverity: 1 },
    ];
    expect(combineFacts(list)).toEqual([
      { kind: 'secrets', tool: 'gitleaks', count: 3, ruleIds: ['a', 'b'], byRule: { a: 2, b: 1 }, locations: [{ ruleId: 'a', file: 'x', line: 1 }] },
      { kind: 'lint', tool: 'eslint', files: 3, filesWithErrors: 2, errors: 4, warnings: 1, fatal: 1 },
      { kind: 'typecheck', tool: 'tsc', errors: 3, byCode: { TS2322: 3 }, summaryErrors: 2 },
      { kind: 'static-analysis', tool: 'sarif', tools: ['CodeQL', 'Semgrep'], runs: 2, total: 3, byLevel: { error: 2, warning: 1, note: 0, none: 0 }, bySecuritySeverity: { critical: 1, high: 1, medium: 0, low: 0 }, withoutSecuritySeverity: 1 },
    ]);
  });

  it('passes provenance and steps through unchanged', () => {
    const step: EvidenceFacts = { kind: 'step', name: 'lint', exitCode: 0, result: 'pass' };
    expect(combineFacts([step, step])).toEqual([step, step]);
  });
});
