/**
 * Evidence facts: what a tool report says, reduced to typed values the gate checks can judge.
 * Parsers produce these; they never decide pass or fail (that is the gates' job).
 */

/** Every report format Rampart reads. `--format` accepts exactly these names. */
export const EVIDENCE_FORMATS = [
  'junit',
  'istanbul-summary',
  'lcov',
  'cobertura',
  'trivy',
  'grype',
  'npm-audit',
  'gitleaks',
  'sarif',
  'eslint',
  'tsc',
  'slsa-provenance',
  'sigstore-bundle',
] as const;

export type EvidenceFormat = (typeof EVIDENCE_FORMATS)[number];

export function isEvidenceFormat(value: string): value is EvidenceFormat {
  return (EVIDENCE_FORMATS as readonly string[]).includes(value);
}

/**
 * Stable error codes. `truncated`: the file ends early; `malformed`: syntax error inside;
 * `wrong_format`: well-formed but not the expected report; `unknown_format`: detection found no
 * match; `unsupported_version`: a known tool with a schema we do not read; `invalid_field`: a
 * required field is missing or has the wrong type; `empty`: no content; `too_large`: over the
 * byte limit; `not_found`: the file does not exist; `read_failed`: reading failed.
 */
export type EvidenceErrorCode =
  | 'truncated'
  | 'malformed'
  | 'wrong_format'
  | 'unknown_format'
  | 'unsupported_version'
  | 'invalid_field'
  | 'empty'
  | 'too_large'
  | 'not_found'
  | 'read_failed';

/** A parse failure as data: names the file, the position when known, and what was expected. */
export interface EvidenceError {
  code: EvidenceErrorCode;
  file: string;
  /** 1-based line, when the position is known. */
  line?: number;
  /** 1-based column, when the position is known. */
  column?: number;
  /** 0-based character offset into the decoded text, when known. */
  offset?: number;
  message: string;
}

export type Severity = 'critical' | 'high' | 'medium' | 'low' | 'info' | 'unknown';
export const SEVERITIES: readonly Severity[] = ['critical', 'high', 'medium', 'low', 'info', 'unknown'];
export type SeverityCounts = Record<Severity, number>;

export interface TestFacts {
  kind: 'tests';
  tool: 'junit';
  tests: number;
  passed: number;
  failures: number;
  errors: number;
  skipped: number;
  /** Names of failing or erroring cases (`classname.name`), at most 20, in file order. */
  failingCases: string[];
  /** True when more cases failed than `failingCases` lists. */
  failingCasesTruncated: boolean;
}

export interface CoverageFileFacts {
  path: string;
  linesFound: number;
  linesHit: number;
}

/** Percentages are 0–100, unrounded; `null` means the tool did not measure it (never 100). */
export interface CoverageFacts {
  kind: 'coverage';
  tool: 'istanbul' | 'lcov' | 'cobertura';
  lines: number | null;
  statements: number | null;
  branches: number | null;
  functions: number | null;
  linesFound?: number;
  linesHit?: number;
  /** Per-file line counts (lcov only). */
  files?: CoverageFileFacts[];
}

export interface VulnerabilityFacts {
  kind: 'vulnerabilities';
  tool: 'trivy' | 'grype' | 'npm-audit';
  /** Findings (trivy, grype: one per package match; npm audit: one per vulnerable package). */
  total: number;
  bySeverity: SeverityCounts;
  /** Findings with a fix available, by severity. */
  fixableBySeverity: SeverityCounts;
  /** Distinct vulnerability ids (npm audit: package names), by severity, sorted. */
  idsBySeverity: Record<Severity, string[]>;
}

/** Secret-scan facts. By contract these never contain a secret value or the matched text. */
export interface SecretFacts {
  kind: 'secrets';
  tool: 'gitleaks';
  count: number;
  /** Distinct rule ids, sorted. */
  ruleIds: string[];
  byRule: Record<string, number>;
  /** Where each finding is, without its content (first 100). */
  locations: Array<{ ruleId: string; file: string; line: number | null }>;
}

export interface StaticAnalysisFacts {
  kind: 'static-analysis';
  tool: 'sarif';
  /** Driver names of the runs, in order. */
  tools: string[];
  runs: number;
  total: number;
  byLevel: { error: number; warning: number; note: number; none: number };
  /** Results whose rule carries a CodeQL-style `security-severity`, by band. */
  bySecuritySeverity: { critical: number; high: number; medium: number; low: number };
  withoutSecuritySeverity: number;
}

export interface LintFacts {
  kind: 'lint';
  tool: 'eslint';
  files: number;
  filesWithErrors: number;
  errors: number;
  warnings: number;
  fatal: number;
}

export interface TypecheckFacts {
  kind: 'typecheck';
  tool: 'tsc';
  /** The larger of the counted `error TSnnnn` lines and the "Found N errors" summary. */
  errors: number;
  /** Counted diagnostics by code, e.g. `{ TS2322: 2 }`. */
  byCode: Record<string, number>;
  /** N from "Found N errors", or null when tsc printed no summary. */
  summaryErrors: number | null;
}

/** The outcome of a signature check. `unverified` always says why. */
export type SignatureCheck =
  | { status: 'verified'; keyId: string | null }
  | { status: 'unverified'; reason: string };

export interface ProvenanceSubject {
  name: string;
  digest: Record<string, string>;
}

export interface ProvenanceFacts {
  kind: 'provenance';
  predicateType: string;
  builderId: string;
  buildType: string | null;
  subjects: ProvenanceSubject[];
  /** How the statement arrived: bare, in a DSSE envelope, or in a Sigstore bundle's envelope. */
  envelope: 'none' | 'dsse' | 'sigstore-bundle';
  signature: SignatureCheck;
}

export interface ImageSignatureFacts {
  kind: 'image-signature';
  mediaType: string;
  content: 'dsse' | 'message-signature';
  signature: SignatureCheck;
}

export interface StepFacts {
  kind: 'step';
  name: string;
  exitCode: number;
  result: 'pass' | 'fail';
}

export type EvidenceFacts =
  | TestFacts
  | CoverageFacts
  | VulnerabilityFacts
  | SecretFacts
  | StaticAnalysisFacts
  | LintFacts
  | TypecheckFacts
  | ProvenanceFacts
  | ImageSignatureFacts
  | StepFacts;

/** What one parser returns: facts, or an error as data. */
export type FactsResult<F extends EvidenceFacts = EvidenceFacts> =
  | { ok: true; facts: F }
  | { ok: false; error: EvidenceError };

/** What `parseEvidence` returns. */
export type EvidenceResult =
  | { ok: true; format: EvidenceFormat; facts: EvidenceFacts }
  | { ok: false; error: EvidenceError };
