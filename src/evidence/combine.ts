import { zeroCounts } from './severity.js';
import type {
  CoverageFacts,
  EvidenceFacts,
  LintFacts,
  SecretFacts,
  Severity,
  StaticAnalysisFacts,
  TestFacts,
  TypecheckFacts,
  VulnerabilityFacts,
} from './types.js';
import { SEVERITIES } from './types.js';

const MAX_FAILING_NAMES = 20;
const MAX_LOCATIONS = 100;

/**
 * Combines facts read from several files into one per kind (Surefire writes one JUnit file per
 * test class; monorepos write one lcov per package). Pure; order-preserving. Counts add up;
 * vulnerabilities combine per tool (Trivy and Grype scanning the same image would count each
 * CVE twice). Coverage combines exactly from line counts — statements, branches and functions
 * become null (missing) when more than one file is combined, since only percentages are known;
 * coverage without line counts is left uncombined. Provenance, signatures and steps are
 * returned as they are.
 */
export function combineFacts(list: readonly EvidenceFacts[]): EvidenceFacts[] {
  const groups = new Map<string, EvidenceFacts[]>();
  const passThrough: EvidenceFacts[] = [];
  for (const facts of list) {
    const key = groupKey(facts);
    if (key === undefined) passThrough.push(facts);
    else groups.set(key, [...(groups.get(key) ?? []), facts]);
  }
  const combined = [...groups.values()].map((group) => (group.length === 1 ? (group[0] as EvidenceFacts) : combineGroup(group)));
  return [...combined, ...passThrough];
}

function groupKey(facts: EvidenceFacts): string | undefined {
  switch (facts.kind) {
    case 'vulnerabilities':
      return `vulnerabilities:${facts.tool}`;
    case 'coverage':
      return facts.linesFound !== undefined && facts.linesHit !== undefined ? 'coverage' : undefined;
    case 'tests':
    case 'lint':
    case 'typecheck':
    case 'secrets':
    case 'static-analysis':
      return facts.kind;
    default:
      return undefined;
  }
}

function combineGroup(group: EvidenceFacts[]): EvidenceFacts {
  const first = group[0] as EvidenceFacts;
  switch (first.kind) {
    case 'tests':
      return combineTests(group as TestFacts[]);
    case 'coverage':
      return combineCoverage(group as CoverageFacts[]);
    case 'vulnerabilities':
      return combineVulnerabilities(group as VulnerabilityFacts[]);
    case 'secrets':
      return combineSecrets(group as SecretFacts[]);
    case 'lint':
      return sumFields(group as LintFacts[], ['files', 'filesWithErrors', 'errors', 'warnings', 'fatal']);
    case 'typecheck':
      return combineTypecheck(group as TypecheckFacts[]);
    case 'static-analysis':
      return combineStaticAnalysis(group as StaticAnalysisFacts[]);
    default:
      return first;
  }
}

function sumFields<F extends EvidenceFacts>(group: F[], fields: ReadonlyArray<keyof F>): F {
  const result = { ...(group[0] as F) };
  for (const field of fields) {
    (result[field] as number) = group.reduce((sum, facts) => sum + (facts[field] as number), 0);
  }
  return result;
}

function combineTests(group: TestFacts[]): TestFacts {
  const result = sumFields(group, ['tests', 'passed', 'failures', 'errors', 'skipped']);
  const names = group.flatMap((facts) => facts.failingCases);
  result.failingCases = names.slice(0, MAX_FAILING_NAMES);
  result.failingCasesTruncated = names.length > MAX_FAILING_NAMES || group.some((facts) => facts.failingCasesTruncated);
  return result;
}

function combineCoverage(group: CoverageFacts[]): CoverageFacts {
  const linesFound = group.reduce((sum, facts) => sum + (facts.linesFound ?? 0), 0);
  const linesHit = group.reduce((sum, facts) => sum + (facts.linesHit ?? 0), 0);
  const files = group.flatMap((facts) => facts.files ?? []);
  const tools = new Set(group.map((facts) => facts.tool));
  return {
    kind: 'coverage',
    tool: tools.size === 1 ? (group[0] as CoverageFacts).tool : 'lcov',
    lines: linesFound > 0 ? (linesHit / linesFound) * 100 : null,
    statements: null,
    branches: null,
    functions: null,
    linesFound,
    linesHit,
    ...(files.length > 0 ? { files } : {}),
  };
}

function combineVulnerabilities(group: VulnerabilityFacts[]): VulnerabilityFacts {
  const bySeverity = zeroCounts();
  const fixableBySeverity = zeroCounts();
  const ids = Object.fromEntries(SEVERITIES.map((severity) => [severity, new Set<string>()])) as Record<Severity, Set<string>>;
  for (const facts of group) {
    for (const severity of SEVERITIES) {
      bySeverity[severity] += facts.bySeverity[severity];
      fixableBySeverity[severity] += facts.fixableBySeverity[severity];
      for (const id of facts.idsBySeverity[severity]) ids[severity].add(id);
    }
  }
  const idsBySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, [...ids[severity]].sort()])) as Record<Severity, string[]>;
  const total = group.reduce((sum, facts) => sum + facts.total, 0);
  return { kind: 'vulnerabilities', tool: (group[0] as VulnerabilityFacts).tool, total, bySeverity, fixableBySeverity, idsBySeverity };
}

function combineSecrets(group: SecretFacts[]): SecretFacts {
  const byRule: Record<string, number> = {};
  for (const facts of group) for (const [rule, n] of Object.entries(facts.byRule)) byRule[rule] = (byRule[rule] ?? 0) + n;
  return {
    kind: 'secrets',
    tool: 'gitleaks',
    count: group.reduce((sum, facts) => sum + facts.count, 0),
    ruleIds: Object.keys(byRule).sort(),
    byRule,
    locations: group.flatMap((facts) => facts.locations).slice(0, MAX_LOCATIONS),
  };
}

function combineTypecheck(group: TypecheckFacts[]): TypecheckFacts {
  const byCode: Record<string, number> = {};
  for (const facts of group) for (const [code, n] of Object.entries(facts.byCode)) byCode[code] = (byCode[code] ?? 0) + n;
  const summaries = group.map((facts) => facts.summaryErrors).filter((n): n is number => n !== null);
  return {
    kind: 'typecheck',
    tool: 'tsc',
    errors: group.reduce((sum, facts) => sum + facts.errors, 0),
    byCode,
    summaryErrors: summaries.length > 0 ? summaries.reduce((a, b) => a + b, 0) : null,
  };
}

function combineStaticAnalysis(group: StaticAnalysisFacts[]): StaticAnalysisFacts {
  const result = sumFields(group, ['runs', 'total', 'withoutSecuritySeverity']);
  result.tools = group.flatMap((facts) => facts.tools);
  result.byLevel = { error: 0, warning: 0, note: 0, none: 0 };
  result.bySecuritySeverity = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const facts of group) {
    for (const level of ['error', 'warning', 'note', 'none'] as const) result.byLevel[level] += facts.byLevel[level];
    for (const band of ['critical', 'high', 'medium', 'low'] as const) result.bySecuritySeverity[band] += facts.bySecuritySeverity[band];
  }
  return result;
}
