import type { EvidenceSource, Fact } from './evidence.js';
import { describeSource, unusableReason } from './evidence.js';

/** A check's verdict. `missing` (no or unreadable evidence) fails its gate exactly like `fail`. */
export type CheckOutcome = 'pass' | 'fail' | 'warn' | 'missing';

/** The spec's six gates, in the order they are evaluated and shown. */
export const GATE_ORDER = ['build', 'quality', 'security', 'slo', 'policy', 'approval'] as const;
export type GateName = (typeof GATE_ORDER)[number];

export type CheckValue = string | number | boolean | null;

export interface CheckResult {
  /** `gate.check`, e.g. `security.critical_cves`: stable, used by bypass lists and waivers. */
  id: string;
  gate: GateName;
  check: string;
  result: CheckOutcome;
  value: CheckValue;
  /** What passes, as a person reads it: `>= 80`, `0`, `pass`. */
  threshold: string;
  /** `file:coverage-summary.json`, `flag:--step lint=pass`…; null when nothing was supplied. */
  source: string | null;
  detail: string;
  /** Set when a granted emergency override lifted this check's failure. */
  bypassed?: { by: 'emergency'; approver: string; incidentId: string };
  /**
   * Set when an approved exception applied: a window, freeze or SLO exception lifts this check's
   * failure; a security waiver only lowers the CVE count (the result already reflects it).
   */
  waived?: { exceptionId: string; type: string; cveIds?: string[] };
}

export interface GateResult {
  gate: GateName;
  /** True when every check passed or warned, or its failure was bypassed. */
  passed: boolean;
  checks: CheckResult[];
}

/** Whether a check lets its gate pass. */
export function checkLetsGatePass(check: CheckResult): boolean {
  return check.result === 'pass' || check.result === 'warn' || check.bypassed !== undefined
    || (check.waived !== undefined && check.waived.type !== 'security');
}

/** Builds a gate result from its checks. */
export function gateOf(gate: GateName, checks: CheckResult[]): GateResult {
  return { gate, passed: checks.every(checkLetsGatePass), checks };
}

export interface Verdict {
  result: Exclude<CheckOutcome, 'missing'>;
  value: CheckValue;
  detail: string;
}

/**
 * Judges one fact: a missing fact yields `missing` (never a pass); a present one is handed to
 * `judge`. The check id is `gate.check`.
 */
export function judgeFact<T>(gate: GateName, check: string, threshold: string, fact: Fact<T>, judge: (value: T) => Verdict): CheckResult {
  const base = { id: `${gate}.${check}`, gate, check, threshold };
  if (fact.state === 'missing') {
    return { ...base, result: 'missing', value: null, source: describeSource(fact.source), detail: fact.reason };
  }
  const unusable = unusableReason(fact.value);
  if (unusable) return { ...base, result: 'missing', value: null, source: describeSource(fact.source), detail: `unreadable: ${unusable}` };
  return { ...base, ...judge(fact.value), source: describeSource(fact.source) };
}

/** A check whose verdict does not come from one evidence fact (window, freeze, policy). */
export function derivedCheck(gate: GateName, check: string, threshold: string, source: EvidenceSource | null, verdict: Verdict): CheckResult {
  return { id: `${gate}.${check}`, gate, check, threshold, ...verdict, source: describeSource(source ?? undefined) };
}
