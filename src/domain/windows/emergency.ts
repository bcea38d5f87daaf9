/** What a release asks for when it claims an emergency. */
export interface EmergencyClaim {
  emergency: boolean;
  approver?: string;
  incidentId?: string;
}

/**
 * The verdict on an emergency claim. A claim is always audited at Critical level, granted or not:
 * an unauthorized emergency attempt is exactly what an auditor wants to see.
 */
export type EmergencyVerdict =
  | { kind: 'none' }
  | { kind: 'granted'; approver: string; incidentId: string; auditLevel: 'critical' }
  | { kind: 'refused'; reasons: string[]; auditLevel: 'critical' };

/**
 * Emergency override rule (spec rego, "Allow with emergency override"): granted only when the
 * approver is listed in `authorizedOverriders` and the incident id is non-empty. Unlike the rego,
 * an id of only spaces is refused too: it names no incident. A granted override bypasses the
 * change window and freezes; the decision records it.
 */
export function assessEmergency(claim: EmergencyClaim, authorizedOverriders: readonly string[]): EmergencyVerdict {
  if (!claim.emergency) return { kind: 'none' };
  const reasons: string[] = [];
  // Matched exactly as the rego's `in` does: " bob" is not "bob".
  const approver = claim.approver ?? '';
  const incidentId = claim.incidentId?.trim() ?? '';
  if (approver.trim() === '') reasons.push('an emergency override needs an approver');
  else if (!authorizedOverriders.includes(approver)) reasons.push(`approver "${approver}" is not in authorized_overriders`);
  if (incidentId === '') reasons.push('an emergency override needs a non-empty incident id');
  if (reasons.length > 0) return { kind: 'refused', reasons, auditLevel: 'critical' };
  return { kind: 'granted', approver, incidentId, auditLevel: 'critical' };
}
