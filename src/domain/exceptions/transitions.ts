import { globMatch } from '../windows/glob.js';
import type { ExceptionRecord, ExceptionType, ExceptionsConfig, ExceptionUse } from './types.js';
import { isTerminal } from './types.js';

/** A refusal with the reason a person reads; `code` maps to the API status in one place. */
export type Refusal = { ok: false; code: 'FORBIDDEN' | 'CONFLICT' | 'VALIDATION_FAILED'; reason: string };
export type Transition = { ok: true; record: ExceptionRecord } | Refusal;

const iso = (ms: number) => new Date(ms).toISOString();
const hour = 3600 * 1000;
const refuse = (code: Refusal['code'], reason: string): Refusal => ({ ok: false, code, reason });

export interface ExceptionRequest {
  type: ExceptionType;
  service: string;
  version?: string;
  reason: string;
  mitigation: string;
  impact?: string;
  cveIds?: string[];
  expiration?: string;
}

export interface RequestContext {
  id: string;
  requestor: string;
  nowMs: number;
  config: ExceptionsConfig;
  /** Freezes covering the service (freeze type: the expiration may not outlast one of them). */
  freezes: ReadonlyArray<{ id: string; startMs: number; endMs: number }>;
  /** Exceptions of the same service whose review is overdue (block, when configured). */
  overdue: readonly ExceptionRecord[];
}

/** Validates a request and builds the pending record. Never throws: a refusal names the field. */
export function requestException(req: ExceptionRequest, ctx: RequestContext): Transition {
  if (!req.reason.trim()) return refuse('VALIDATION_FAILED', 'reason: say why the exception is needed');
  if (!req.mitigation.trim()) return refuse('VALIDATION_FAILED', 'mitigation: say how the risk is contained');
  if (ctx.config.overdueReviewBlocks && ctx.overdue.length > 0) {
    return refuse('CONFLICT', `service ${req.service} has overdue exception reviews (${ctx.overdue.map((e) => e.id).join(', ')}): review them with \`rampart exception review ID --notes …\` first`);
  }
  const cveIds = [...new Set(req.cveIds ?? [])].sort();
  if (req.type === 'security' && cveIds.length === 0) return refuse('VALIDATION_FAILED', 'cveIds: a security waiver names the CVE ids it waives (--cve ID)');
  if (req.type !== 'security' && cveIds.length > 0) return refuse('VALIDATION_FAILED', `cveIds: only security waivers name CVEs (this is a ${req.type} exception)`);
  let expirationMs: number | null = null;
  if (req.expiration !== undefined) {
    expirationMs = Date.parse(req.expiration);
    if (Number.isNaN(expirationMs)) return refuse('VALIDATION_FAILED', `expiration: "${req.expiration}" is not an ISO-8601 time`);
    if (expirationMs <= ctx.nowMs) return refuse('VALIDATION_FAILED', `expiration: ${req.expiration} is already past`);
  }
  const rule = ctx.config.types[req.type];
  if (rule.limitHours === null && expirationMs === null) return refuse('VALIDATION_FAILED', `expiration: a ${req.type} exception needs an explicit expiration (--expires ISO-8601)`);
  if (req.type === 'freeze') {
    const freezes = ctx.freezes.filter((f) => f.endMs > ctx.nowMs);
    if (freezes.length === 0) return refuse('VALIDATION_FAILED', `service ${req.service}: no freeze in force or ahead covers it; there is nothing to override`);
    const lastEnd = Math.max(...freezes.map((f) => f.endMs));
    if (expirationMs! > lastEnd) return refuse('VALIDATION_FAILED', `expiration: ${req.expiration} outlasts the freeze (ends ${iso(lastEnd)})`);
  }
  const at = iso(ctx.nowMs);
  return {
    ok: true,
    record: {
      id: ctx.id, timestamp: at, type: req.type, service: req.service, version: req.version ?? null, requestor: ctx.requestor,
      approvers: [], approvals: [], reason: req.reason, impact: req.impact ?? null, mitigation: req.mitigation, cveIds,
      requestedExpiration: expirationMs === null ? null : iso(expirationMs), expiration: null, approvedAt: null,
      state: 'pending', stateReason: 'requested', stateChangedAt: at, stateChangedBy: ctx.requestor, auditLevel: rule.auditLevel,
      deploymentIds: [], uses: [], reviewed: false, reviewNotes: null, reviewedBy: null, reviewedAt: null, reviewDue: null,
      origin: 'request', incidentId: null,
    },
  };
}

export interface Person {
  person: string;
  roles: readonly string[];
}

/** The required roles not yet filled by an approval. */
export function missingRoles(record: ExceptionRecord, config: ExceptionsConfig): string[] {
  const filled = new Set(record.approvals.map((a) => a.role));
  return config.types[record.type].approvers.filter((r) => !filled.has(r));
}

/**
 * The role `who` would fill by approving, or why they may not. Separation of duties: never the
 * requestor; never twice by one person (a two-role type needs two people, even when one holds
 * both roles); admin stands in only when `adminStandsIn`.
 */
export function approvalRole(record: ExceptionRecord, who: Person, config: ExceptionsConfig): { ok: true; role: string } | Refusal {
  if (record.state !== 'pending') return refuse('CONFLICT', `exception ${record.id} is ${record.state}, not pending`);
  if (who.person === record.requestor) return refuse('FORBIDDEN', 'separation of duties: a requestor never approves their own exception');
  if (record.approvals.some((a) => a.person === who.person)) {
    return refuse('FORBIDDEN', `separation of duties: ${who.person} already approved; a ${record.type} exception needs ${config.types[record.type].approvers.join(' and ')} from different people`);
  }
  const missing = missingRoles(record, config);
  const held = missing.find((r) => who.roles.includes(r));
  if (held) return { ok: true, role: held };
  if (config.adminStandsIn && who.roles.includes('admin') && missing[0]) return { ok: true, role: missing[0] };
  return refuse('FORBIDDEN', `approving a ${record.type} exception needs role ${missing.join(' or ')}${who.roles.includes('admin') ? ' (admin does not stand in: exceptions.adminStandsIn is false)' : ''}; this token has ${who.roles.join(', ')}`);
}

/** Adds an approval; the last required one approves the exception and starts its time limit. */
export function approveException(record: ExceptionRecord, who: Person, nowMs: number, config: ExceptionsConfig): Transition & { final?: boolean } {
  const r = approvalRole(record, who, config);
  if (!r.ok) return r;
  const at = iso(nowMs);
  const next: ExceptionRecord = {
    ...record, approvals: [...record.approvals, { person: who.person, role: r.role, at }], approvers: [...record.approvers, who.person],
  };
  if (missingRoles(next, config).length > 0) return { ok: true, record: next, final: false };
  const limit = config.types[record.type].limitHours;
  const candidates = [limit === null ? Infinity : nowMs + limit * hour, record.requestedExpiration ? Date.parse(record.requestedExpiration) : Infinity];
  const expiresMs = Math.min(...candidates);
  return {
    ok: true, final: true,
    record: { ...next, state: 'approved', approvedAt: at, expiration: iso(expiresMs), stateReason: `approved by ${next.approvers.join(', ')}`, stateChangedAt: at, stateChangedBy: who.person },
  };
}

/** Whether `who` may decide on (deny, revoke, review) this exception: a required role, or admin. */
function mayDecide(record: ExceptionRecord, who: Person, config: ExceptionsConfig): boolean {
  return who.roles.includes('admin') || config.types[record.type].approvers.some((r) => who.roles.includes(r));
}

export function denyException(record: ExceptionRecord, who: Person, reason: string, nowMs: number, config: ExceptionsConfig): Transition {
  if (record.state !== 'pending') return refuse('CONFLICT', `exception ${record.id} is ${record.state}, not pending`);
  if (!reason.trim()) return refuse('VALIDATION_FAILED', 'reason: say why it is denied');
  if (!mayDecide(record, who, config)) return refuse('FORBIDDEN', `denying a ${record.type} exception needs role ${config.types[record.type].approvers.join(' or ')}`);
  return { ok: true, record: { ...record, state: 'denied', stateReason: reason, stateChangedAt: iso(nowMs), stateChangedBy: who.person } };
}

/** The requestor, an approver role or admin may revoke a pending or approved exception. */
export function revokeException(record: ExceptionRecord, who: Person, reason: string | undefined, nowMs: number, config: ExceptionsConfig): Transition {
  const current = effectiveState(record, nowMs);
  if (isTerminal(current)) return refuse('CONFLICT', `exception ${record.id} is already ${current}`);
  if (who.person !== record.requestor && !mayDecide(record, who, config)) return refuse('FORBIDDEN', `revoking needs the requestor, role ${config.types[record.type].approvers.join(' or ')}, or admin`);
  return { ok: true, record: { ...record, state: 'revoked', stateReason: reason ?? 'revoked', stateChangedAt: iso(nowMs), stateChangedBy: who.person } };
}

/** The state at `nowMs`: an approved exception past its expiration is expired. */
export function effectiveState(record: ExceptionRecord, nowMs: number): ExceptionRecord['state'] {
  if (record.state === 'approved' && record.expiration !== null && nowMs >= Date.parse(record.expiration)) return 'expired';
  return record.state;
}

/** The expired record when due (idempotent: undefined when nothing changes). */
export function expireIfDue(record: ExceptionRecord, nowMs: number, by: string): ExceptionRecord | undefined {
  if (record.state !== 'approved' || effectiveState(record, nowMs) !== 'expired') return undefined;
  return { ...record, state: 'expired', stateReason: `time limit reached at ${record.expiration}`, stateChangedAt: iso(nowMs), stateChangedBy: by };
}

/** Records a decision that used it; the first use sets when the review is due. Idempotent per decision. */
export function recordUse(record: ExceptionRecord, use: ExceptionUse, config: ExceptionsConfig): ExceptionRecord {
  if (record.deploymentIds.includes(use.decisionId)) return record;
  const reviewDue = record.reviewDue ?? iso(Date.parse(use.at) + config.reviewDueHours * hour);
  return { ...record, uses: [...record.uses, use], deploymentIds: [...record.deploymentIds, use.decisionId], reviewDue };
}

export function reviewException(record: ExceptionRecord, who: Person, notes: string, nowMs: number, config: ExceptionsConfig): Transition {
  if (record.reviewed) return refuse('CONFLICT', `exception ${record.id} was reviewed at ${record.reviewedAt} by ${record.reviewedBy}`);
  if (record.uses.length === 0 && record.origin !== 'emergency') return refuse('CONFLICT', `exception ${record.id} has not been used: there is nothing to review yet`);
  if (!notes.trim()) return refuse('VALIDATION_FAILED', 'notes: write what the review found');
  if (!mayDecide(record, who, config) && !who.roles.includes('sre-lead')) return refuse('FORBIDDEN', `reviewing needs role ${config.types[record.type].approvers.join(', ')}, sre-lead or admin`);
  return { ok: true, record: { ...record, reviewed: true, reviewNotes: notes, reviewedBy: who.person, reviewedAt: iso(nowMs) } };
}

/** Used (or an emergency) and not yet reviewed. */
export function needsReview(record: ExceptionRecord): boolean {
  return !record.reviewed && (record.uses.length > 0 || record.origin === 'emergency');
}

export function reviewOverdue(record: ExceptionRecord, nowMs: number): boolean {
  return needsReview(record) && record.reviewDue !== null && nowMs >= Date.parse(record.reviewDue);
}

/** Whether an exception's service (a name or family glob) covers `service`. */
export function coversService(record: Pick<ExceptionRecord, 'service'>, service: string): boolean {
  return record.service === service || globMatch(record.service, service);
}
