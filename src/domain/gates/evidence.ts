/**
 * The evidence model: the facts the release gates judge, each with where it came from. A fact is
 * either present (value + source) or explicitly missing (with why, and the source that failed
 * when it was unreadable). Parsers and the shell build these; checks never see raw files.
 */

/** Where a fact came from: a report file, a CLI flag (`--step lint=pass`), an API call, config. */
export interface EvidenceSource {
  kind: 'file' | 'flag' | 'api' | 'config';
  /** File name, flag text, API path or config key, as a person would recognise it. */
  ref: string;
}

export type Fact<T> =
  | { state: 'present'; value: T; source: EvidenceSource }
  /** `source` is set when something was supplied but could not be read (truncated, wrong format). */
  | { state: 'missing'; reason: string; source?: EvidenceSource };

export type StepOutcome = 'pass' | 'fail';

/** A build step result (exit code based), optionally with the error count its report gave. */
export interface StepResult {
  outcome: StepOutcome;
  /** tsc errors, eslint errors… Any error counted makes the step fail whatever the exit code. */
  errorCount?: number;
  warningCount?: number;
}

export interface TestCounts {
  total: number;
  failed: number;
  errors: number;
  skipped: number;
}

export interface CoverageFact {
  /** Line coverage, percent 0–100. */
  linesPct: number;
}

export interface ChangeFacts {
  highRiskFilesChanged: boolean;
  apiChanged: boolean;
}

export type Severity = 'critical' | 'high' | 'medium' | 'low';

export interface CveCounts {
  critical: number;
  high: number;
  medium: number;
  low: number;
  /** Finding ids per severity (CVE/GHSA ids), for the record and for waivers. */
  ids: Partial<Record<Severity, string[]>>;
}

export interface SecretsFact {
  count: number;
  /** Rule ids that matched (e.g. `aws-access-token`). Never the secret value. */
  ruleIds: string[];
}

export interface SloFacts {
  errorBudgetRemainingPct: Fact<number>;
  fastBurnRate: Fact<number>;
  activeP1Incidents: Fact<{ count: number; ids: string[] }>;
  rollbacksLast24h: Fact<{ count: number }>;
}

export interface Evidence {
  build: {
    typecheck: Fact<StepResult>;
    compile: Fact<StepResult>;
    lint: Fact<StepResult>;
    format: Fact<StepResult>;
  };
  quality: {
    unitTests: Fact<TestCounts>;
    coverage: Fact<CoverageFact>;
    e2e: Fact<StepResult | TestCounts>;
    goldenPath: Fact<StepResult>;
    /** Decides whether e2e is required; unknown changes are treated as requiring it. */
    changes: Fact<ChangeFacts>;
  };
  security: {
    cves: Fact<CveCounts>;
    secrets: Fact<SecretsFact>;
    slsa: Fact<{ level: number; builderId?: string }>;
    imageSigned: Fact<{ signed: boolean; identity?: string }>;
  };
  slo: SloFacts;
  approval: {
    releaseCaptain: Fact<{ approver: string; approvedAt?: string }>;
    /** An SRE's approval: what the budget bands require for a fix or rollback under 20 %. */
    sre?: Fact<{ approver: string; approvedAt?: string }>;
    /** VP Engineering's approval: what an exhausted budget requires for a rollback. */
    vpEngineering?: Fact<{ approver: string; approvedAt?: string }>;
  };
}

/** A present fact. */
export function present<T>(value: T, source: EvidenceSource): Fact<T> {
  return { state: 'present', value, source };
}

/** A missing fact; give the source when something was supplied but was unreadable. */
export function missing<T>(reason: string, source?: EvidenceSource): Fact<T> {
  return source ? { state: 'missing', reason, source } : { state: 'missing', reason };
}

const NONE = 'no evidence supplied';

/** Evidence where every fact is missing: the starting point that sources fill in. */
export function emptyEvidence(): Evidence {
  return {
    build: { typecheck: missing(NONE), compile: missing(NONE), lint: missing(NONE), format: missing(NONE) },
    quality: { unitTests: missing(NONE), coverage: missing(NONE), e2e: missing(NONE), goldenPath: missing(NONE), changes: missing(NONE) },
    security: { cves: missing(NONE), secrets: missing(NONE), slsa: missing(NONE), imageSigned: missing(NONE) },
    slo: { errorBudgetRemainingPct: missing(NONE), fastBurnRate: missing(NONE), activeP1Incidents: missing(NONE), rollbacksLast24h: missing(NONE) },
    approval: { releaseCaptain: missing(NONE) },
  };
}

/**
 * Why a present value cannot be judged: a null or a non-finite number anywhere inside it (a
 * parser that met "Unknown" or divided by zero). Such a fact counts as missing, never as a value.
 */
export function unusableReason(value: unknown): string | null {
  // One reason for null and non-finite: a stored (JSON) copy turns NaN into null, and a replay
  // must say the same thing as the first evaluation did.
  const reason = 'a value is null or not a finite number';
  if (value === null || value === undefined) return reason;
  if (typeof value === 'number') return Number.isFinite(value) ? null : reason;
  if (typeof value !== 'object') return null;
  for (const item of Object.values(value)) {
    if (item === undefined) continue;
    const reason = unusableReason(item);
    if (reason) return reason;
  }
  return null;
}

/** The fact's value when it is present and usable, otherwise undefined. */
export function usableValue<T>(fact: Fact<T>): T | undefined {
  return fact.state === 'present' && unusableReason(fact.value) === null ? fact.value : undefined;
}

/** Human-readable source text for tables: `file:trivy.json`, `flag:--step lint=pass`. */
export function describeSource(source: EvidenceSource | undefined): string | null {
  return source ? `${source.kind}:${source.ref}` : null;
}
