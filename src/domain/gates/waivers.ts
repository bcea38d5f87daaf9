import type { ExceptionGrant } from '../exceptions/grant.js';
import { grantApplies, waivedCheckIds } from '../exceptions/grant.js';
import { globMatch } from '../windows/glob.js';
import type { CheckResult, GateResult } from './check.js';
import { gateOf } from './check.js';
import type { CveCounts, Evidence } from './evidence.js';
import type { ReleaseRequest } from './request.js';

/** An exception a decision used, and what it waived. */
export interface UsedException {
  id: string;
  type: ExceptionGrant['type'];
  checks: string[];
  cveIds?: string[];
}

/** The grants in the request that apply to this release at `nowMs`, in id order. */
export function activeGrants(request: ReleaseRequest, nowMs: number): ExceptionGrant[] {
  const target = { service: request.service, version: request.version };
  const matches = (pattern: string, name: string) => pattern === name || globMatch(pattern, name);
  return (request.exceptions ?? []).filter((g) => grantApplies(g, target, nowMs, matches)).sort((a, b) => a.id.localeCompare(b.id));
}

export interface CveWaiver {
  evidence: Evidence;
  /** Per severity: the waived ids and the exception that waived each. */
  waived: { critical: Array<{ id: string; exceptionId: string }>; high: Array<{ id: string; exceptionId: string }> };
}

/**
 * Takes the CVE ids that security grants waive out of the counts. Only the listed ids: every other
 * finding still counts, and a count whose ids are not known is never reduced below them.
 */
export function waiveCves(evidence: Evidence, grants: readonly ExceptionGrant[]): CveWaiver {
  const waived: CveWaiver['waived'] = { critical: [], high: [] };
  const fact = evidence.security.cves;
  const security = grants.filter((g) => g.type === 'security');
  if (fact.state !== 'present' || security.length === 0) return { evidence, waived };
  const counts = fact.value as CveCounts;
  const next: CveCounts = { ...counts, ids: { ...counts.ids } };
  for (const severity of ['critical', 'high'] as const) {
    const ids = counts.ids[severity] ?? [];
    const remaining: string[] = [];
    for (const id of ids) {
      const by = security.find((g) => g.cveIds.includes(id));
      if (by) waived[severity].push({ id, exceptionId: by.id });
      else remaining.push(id);
    }
    next.ids[severity] = remaining;
    next[severity] = Math.max(0, counts[severity] - waived[severity].length);
  }
  if (waived.critical.length === 0 && waived.high.length === 0) return { evidence, waived };
  return { evidence: { ...evidence, security: { ...evidence.security, cves: { ...fact, value: next } } }, waived };
}

/**
 * Marks the failing checks that an active exception waives (window, freeze, SLO) and annotates the
 * CVE checks with the ids waived. A `missing` check is never waived: no evidence is not a pass.
 */
export function applyWaivers(gate: GateResult, grants: readonly ExceptionGrant[], cves: CveWaiver): GateResult {
  const checks = gate.checks.map((c): CheckResult => {
    if (c.id === 'security.critical_cves' || c.id === 'security.high_cves') {
      const list = cves.waived[c.id === 'security.critical_cves' ? 'critical' : 'high'];
      if (list.length === 0) return c;
      const first = list[0]!;
      return {
        ...c, detail: `${c.detail}; waived: ${list.map((w) => `${w.id} (${w.exceptionId})`).join(', ')}`,
        waived: { exceptionId: first.exceptionId, type: 'security', cveIds: list.map((w) => w.id) },
      };
    }
    if (c.result !== 'fail') return c;
    const by = grants.find((g) => waivedCheckIds(g.type).includes(c.id));
    return by ? { ...c, waived: { exceptionId: by.id, type: by.type } } : c;
  });
  return gateOf(gate.gate, checks);
}

/** Each exception that waived something, with the checks (and CVE ids) it waived. */
export function usedExceptions(gates: readonly GateResult[], grants: readonly ExceptionGrant[]): UsedException[] {
  const used: UsedException[] = [];
  for (const g of grants) {
    const checks = gates.flatMap((x) => x.checks).filter((c) => c.waived?.exceptionId === g.id || (c.waived?.type === 'security' && g.type === 'security' && c.waived.cveIds?.some((id) => g.cveIds.includes(id))));
    if (checks.length === 0) continue;
    const cveIds = g.type === 'security' ? [...new Set(checks.flatMap((c) => c.waived?.cveIds ?? []).filter((id) => g.cveIds.includes(id)))].sort() : undefined;
    used.push({ id: g.id, type: g.type, checks: checks.map((c) => c.id), ...(cveIds ? { cveIds } : {}) });
  }
  return used;
}

/** What the policy is told: which rule-level waivers are in force (only the true ones). */
export function policyWaivers(grants: readonly ExceptionGrant[]): { change_window?: true; freeze?: true; slo?: true } | undefined {
  const out: { change_window?: true; freeze?: true; slo?: true } = {};
  if (grants.some((g) => g.type === 'window')) out.change_window = true;
  if (grants.some((g) => g.type === 'freeze')) out.freeze = true;
  if (grants.some((g) => g.type === 'slo')) out.slo = true;
  return Object.keys(out).length > 0 ? out : undefined;
}
