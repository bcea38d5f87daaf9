import type { ExceptionRecord, ExceptionType } from './types.js';

/**
 * What a decision needs of an exception: plain data stored with the decision's inputs, so a
 * replay waives exactly what the decision waived.
 */
export interface ExceptionGrant {
  id: string;
  type: ExceptionType;
  service: string;
  version: string | null;
  cveIds: string[];
  /** Final approval instant (ISO-8601). */
  validFrom: string;
  /** Expiration (ISO-8601, exclusive). */
  validUntil: string;
}

/** The SLO gate's checks: an slo exception waives the gate, i.e. each of them. */
export const SLO_CHECKS: readonly string[] = Object.freeze(['slo.error_budget', 'slo.fast_burn', 'slo.active_p1', 'slo.rollbacks_24h']);

/**
 * The check ids a type waives by lifting their failure. Security waives CVE ids instead (the
 * count drops; other findings still count). Budget waives the budget band's restrictions, which
 * are not built yet: a budget exception is recorded and granted, and lifts no gate check today.
 */
export function waivedCheckIds(type: ExceptionType): readonly string[] {
  switch (type) {
    case 'window': return ['approval.change_window'];
    case 'freeze': return ['approval.freeze'];
    case 'slo': return SLO_CHECKS;
    case 'security': return [];
    case 'budget': return [];
  }
}

/**
 * The grant of an exception that was approved (whether or not it has expired since: a what-if in
 * the past may fall inside its validity). Pending, denied and revoked exceptions grant nothing.
 */
export function grantOf(record: ExceptionRecord): ExceptionGrant | undefined {
  if ((record.state !== 'approved' && record.state !== 'expired') || !record.approvedAt || !record.expiration) return undefined;
  return {
    id: record.id, type: record.type, service: record.service, version: record.version, cveIds: [...record.cveIds],
    validFrom: record.approvedAt, validUntil: record.expiration,
  };
}

/**
 * Whether a grant applies to a release evaluated at `nowMs`: approved at or before that instant,
 * not yet expired (expiration exclusive), same service (or family) and, if bound, same version.
 * The instant is the decision's (its `--at` for a what-if), so what-ifs see validity as it was or
 * will be then; the limit itself was fixed on the server clock at final approval.
 */
export function grantApplies(grant: ExceptionGrant, target: { service: string; version: string }, nowMs: number, matchService: (pattern: string, name: string) => boolean): boolean {
  if (nowMs < Date.parse(grant.validFrom) || nowMs >= Date.parse(grant.validUntil)) return false;
  if (!matchService(grant.service, target.service)) return false;
  return grant.version === null || grant.version === target.version;
}
