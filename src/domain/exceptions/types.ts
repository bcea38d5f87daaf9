/**
 * The spec's exception ("Exception Handling"): a documented override of one gate check, asked
 * for with a reason, approved by exactly the roles its type requires, valid for its time limit,
 * used by releases with a visible trail, and reviewed afterwards.
 */
export const EXCEPTION_TYPES = ['window', 'security', 'slo', 'budget', 'freeze'] as const;
export type ExceptionType = (typeof EXCEPTION_TYPES)[number];

/**
 * `pending` until every required role approved; `approved` while valid; `denied`, `expired` and
 * `revoked` are terminal (see `isTerminal`).
 */
export const EXCEPTION_STATES = ['pending', 'approved', 'denied', 'expired', 'revoked'] as const;
export type ExceptionState = (typeof EXCEPTION_STATES)[number];

export function isTerminal(state: ExceptionState): boolean {
  return state === 'denied' || state === 'expired' || state === 'revoked';
}

export function isExceptionType(value: string): value is ExceptionType {
  return (EXCEPTION_TYPES as readonly string[]).includes(value);
}

export type AuditLevel = 'standard' | 'high' | 'critical';

/** One row of the spec's "Exception Types and Approvers" table. */
export interface ExceptionTypeRule {
  /** Roles that must each approve, by different people (spec: "Security Team + Engineering Director"). */
  approvers: string[];
  /** Hours from final approval; null: the request must name its expiration (freeze: "Per-case"). */
  limitHours: number | null;
  auditLevel: AuditLevel;
}

export interface ExceptionsConfig {
  types: Record<ExceptionType, ExceptionTypeRule>;
  /** When true an admin token may approve in place of a required role. Default false. */
  adminStandsIn: boolean;
  /** A post-deployment review is due this many hours after first use (spec: 24). */
  reviewDueHours: number;
  /** Overdue reviews block new exceptions for the same service (default true). */
  overdueReviewBlocks: boolean;
}

/** The spec's table, as defaults. */
export const DEFAULT_EXCEPTION_TYPES: Readonly<Record<ExceptionType, ExceptionTypeRule>> = Object.freeze({
  window: { approvers: ['release-captain'], limitHours: 4, auditLevel: 'standard' },
  security: { approvers: ['security', 'eng-director'], limitHours: 7 * 24, auditLevel: 'high' },
  slo: { approvers: ['sre-lead'], limitHours: 2, auditLevel: 'high' },
  budget: { approvers: ['vp-eng'], limitHours: 1, auditLevel: 'critical' },
  freeze: { approvers: ['vp-eng', 'cto'], limitHours: null, auditLevel: 'critical' },
});

export interface ExceptionsConfigInput {
  types?: Partial<Record<ExceptionType, Partial<ExceptionTypeRule>>>;
  adminStandsIn?: boolean;
  reviewDueHours?: number;
  overdueReviewBlocks?: boolean;
}

/** Spec defaults ← configuration, per type and field. */
export function resolveExceptionsConfig(input: ExceptionsConfigInput = {}): ExceptionsConfig {
  const types = {} as Record<ExceptionType, ExceptionTypeRule>;
  for (const t of EXCEPTION_TYPES) {
    const base = DEFAULT_EXCEPTION_TYPES[t];
    const over = input.types?.[t] ?? {};
    types[t] = { approvers: [...(over.approvers ?? base.approvers)], limitHours: over.limitHours === undefined ? base.limitHours : over.limitHours, auditLevel: over.auditLevel ?? base.auditLevel };
  }
  return {
    types,
    adminStandsIn: input.adminStandsIn ?? false,
    reviewDueHours: input.reviewDueHours ?? 24,
    overdueReviewBlocks: input.overdueReviewBlocks ?? true,
  };
}

export interface ExceptionApproval {
  person: string;
  /** The required role this approval fills (`admin` stands in only when configured). */
  role: string;
  at: string;
  /** Emergency overrides: the incident the approver named. */
  incidentId?: string;
}

/** A decision that an exception waived a check of. */
export interface ExceptionUse {
  decisionId: string;
  releaseId: string | null;
  at: string;
  checks: string[];
}

/** The spec's ExceptionRecord, plus state, bindings and the trail. Times are ISO-8601 UTC. */
export interface ExceptionRecord {
  id: string;
  /** When it was requested. */
  timestamp: string;
  type: ExceptionType;
  /** A catalog service, or a family glob such as `worker-*`. */
  service: string;
  /** Bound to this version only, when set. */
  version: string | null;
  requestor: string;
  /** People who approved, in order (the spec's `approvers`). */
  approvers: string[];
  approvals: ExceptionApproval[];
  reason: string;
  impact: string | null;
  mitigation: string;
  /** Security waivers: exactly the finding ids waived. */
  cveIds: string[];
  /** An explicit expiration asked for (required for freeze); caps the type's limit. */
  requestedExpiration: string | null;
  /** Set at final approval: min(approval + limit, requested expiration). */
  expiration: string | null;
  /** Final approval instant: the waiver is valid from here until `expiration`. */
  approvedAt: string | null;
  state: ExceptionState;
  stateReason: string | null;
  stateChangedAt: string;
  stateChangedBy: string;
  auditLevel: AuditLevel;
  /** Decisions (the spec's deployment ids) that used it. */
  deploymentIds: string[];
  uses: ExceptionUse[];
  reviewed: boolean;
  reviewNotes: string | null;
  reviewedBy: string | null;
  reviewedAt: string | null;
  /** 24 h (configurable) after first use; null until used. */
  reviewDue: string | null;
  /** `emergency`: created by a granted emergency override, pre-approved, review mandatory. */
  origin: 'request' | 'emergency';
  incidentId: string | null;
}
