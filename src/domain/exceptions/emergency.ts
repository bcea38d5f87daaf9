import type { ExceptionRecord, ExceptionType, ExceptionsConfig } from './types.js';

export interface EmergencyOverride {
  id: string;
  service: string;
  version: string;
  approver: string;
  incidentId: string;
  /** The check ids the override bypassed. */
  bypassedChecks: string[];
  decisionId: string;
  releaseId: string | null;
  nowMs: number;
}

/** The type an emergency is recorded as: the most severe check it bypassed (freeze, slo, window). */
export function emergencyType(bypassed: readonly string[]): ExceptionType {
  if (bypassed.includes('approval.freeze')) return 'freeze';
  if (bypassed.some((c) => c.startsWith('slo.'))) return 'slo';
  return 'window';
}

/**
 * The exception record of a granted emergency override: pre-approved by its approver with its
 * incident, already used by the decision that claimed it, and with a mandatory review due
 * `reviewDueHours` later. It expires at once: the override was for that decision only.
 */
export function emergencyException(e: EmergencyOverride, config: ExceptionsConfig): ExceptionRecord {
  const at = new Date(e.nowMs).toISOString();
  const due = new Date(e.nowMs + config.reviewDueHours * 3600 * 1000).toISOString();
  return {
    id: e.id, timestamp: at, type: emergencyType(e.bypassedChecks), service: e.service, version: e.version, requestor: e.approver,
    approvers: [e.approver], approvals: [{ person: e.approver, role: 'emergency-overrider', at, incidentId: e.incidentId }],
    reason: `emergency override for incident ${e.incidentId}`, impact: null, mitigation: `incident ${e.incidentId}`, cveIds: [],
    requestedExpiration: null, expiration: at, approvedAt: at, state: 'expired', stateReason: 'emergency override: valid for its decision only',
    stateChangedAt: at, stateChangedBy: e.approver, auditLevel: 'critical',
    deploymentIds: [e.decisionId], uses: [{ decisionId: e.decisionId, releaseId: e.releaseId, at, checks: e.bypassedChecks }],
    reviewed: false, reviewNotes: null, reviewedBy: null, reviewedAt: null, reviewDue: due, origin: 'emergency', incidentId: e.incidentId,
  };
}
