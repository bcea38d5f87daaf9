import type { RampartConfig } from '../config/load.js';
import { resolveService } from '../domain/catalog/resolve.js';
import type { EmergencyOverride, ExceptionRecord, ExceptionRequest, ExceptionGrant, Transition } from '../domain/exceptions/index.js';
import {
  approveException, coversService, denyException, effectiveState, emergencyException, expireIfDue, grantOf, needsReview, recordUse,
  requestException, reviewException, reviewOverdue, revokeException,
} from '../domain/exceptions/index.js';
import type { UsedException } from '../domain/gates/index.js';
import { freezeApplies } from '../domain/windows/freezes.js';
import type { Clock } from '../platform/clock.js';
import { RampartError } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import type { Logger } from '../platform/logger.js';
import type { ExceptionFilter } from '../store/exception-repository.js';
import type { Store } from '../store/types.js';
import type { AuditLog } from './audit-log.js';
import type { GateSetup } from './gate-check.js';

/** Who acts: the audit actor and the roles their token holds. */
export interface ExceptionActor {
  actor: string;
  roles: readonly string[];
}

/** What a notifier receives: Critical exceptions' steps and overdue reviews. */
export interface ExceptionEvent {
  action: string;
  actor: string;
  exception: ExceptionRecord;
}

export interface ExceptionServiceOptions {
  /**
   * Called after each Critical step and each newly overdue review. The notifiers (Slack,
   * PagerDuty…) are not built yet: the default does nothing, and every call is also logged.
   */
  notify?: (event: ExceptionEvent) => void | Promise<void>;
  logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
}

/** An exception as the API shows it: the record, plus its state and review status at read time. */
export type ExceptionView = ExceptionRecord & { needsReview: boolean; reviewOverdue: boolean };

/** The audit actor of what the clock does (expiry). */
export const SYSTEM_ACTOR = 'system:rampart';

export function createExceptionService(store: Store, audit: AuditLog, clock: Clock, config: RampartConfig, setup: GateSetup, options: ExceptionServiceOptions = {}) {
  const cfg = config.exceptions;
  const notify = options.notify ?? (() => undefined);
  const notifiedOverdue = new Set<string>();

  async function tell(event: ExceptionEvent) {
    options.logger?.warn({ exception: event.exception.id, action: event.action, actor: event.actor, type: event.exception.type }, 'exception notification');
    try {
      await notify(event);
    } catch (err) {
      // A failing notifier never undoes an audited step.
      options.logger?.error({ err, exception: event.exception.id }, 'exception notifier failed');
    }
  }

  /** Writes the record and its audit event in one transaction; `expected` guards against a concurrent change. */
  async function write(action: string, record: ExceptionRecord, expected: string | null, actor: string, payload: Record<string, unknown>) {
    await audit.record(
      { actor, action, subject: { kind: 'exception', id: record.id }, service: record.service, payload: { type: record.type, state: record.state, auditLevel: record.auditLevel, ...payload } },
      async (trx) => {
        if (expected === null) await store.exceptions.insert(record, trx);
        else if (!(await store.exceptions.update(record, expected, trx))) throw new RampartError('CONFLICT', `exception ${record.id} changed meanwhile; read it again`);
      },
    );
    if (record.auditLevel === 'critical') await tell({ action, actor, exception: record });
    return record;
  }

  function unwrap(t: Transition): ExceptionRecord {
    if (!t.ok) throw new RampartError(t.code, t.reason);
    return t.record;
  }

  /** Lazy expiry: an approved exception read after its expiration is expired (and audited) now. */
  async function current(record: ExceptionRecord): Promise<ExceptionRecord> {
    const expired = expireIfDue(record, clock.now(), SYSTEM_ACTOR);
    if (!expired) return record;
    try {
      return await write('exception.expire', expired, 'approved', SYSTEM_ACTOR, { expiration: record.expiration });
    } catch (err) {
      if (err instanceof RampartError && err.code === 'CONFLICT') return (await store.exceptions.get(record.id)) ?? expired;
      throw err;
    }
  }

  async function mustGet(id: string): Promise<ExceptionRecord> {
    const r = await store.exceptions.get(id);
    if (!r) throw new RampartError('NOT_FOUND', `no exception ${id}; see \`rampart exception list\``);
    return current(r);
  }

  const view = (r: ExceptionRecord): ExceptionView => ({ ...r, needsReview: needsReview(r), reviewOverdue: reviewOverdue(r, clock.now()) });

  async function overdueFor(service: string): Promise<ExceptionRecord[]> {
    const now = clock.now();
    const all = await store.exceptions.list({ needsReview: true, limit: 10_000 });
    return all.filter((r) => (coversService(r, service) || coversService({ service }, r.service)) && reviewOverdue(r, now));
  }

  return {
    /** Files a pending exception. Refused while the service has overdue reviews (configurable). */
    async request(input: ExceptionRequest, by: ExceptionActor): Promise<ExceptionView> {
      const service = resolveService(config.catalog, input.service);
      if (!service) throw new RampartError('NOT_FOUND', `no service "${input.service}" in the catalog; see \`rampart services list\``);
      const nowMs = clock.now();
      const freezes = (setup.config.freezes ?? []).filter((f) => freezeApplies(f, { service: input.service, tier: String(service.tier) }));
      const record = unwrap(requestException(input, { id: newId('exc_', nowMs), requestor: by.actor, nowMs, config: cfg, freezes, overdue: await overdueFor(input.service) }));
      await write('exception.request', record, null, by.actor, {
        reason: record.reason, impact: record.impact, mitigation: record.mitigation, version: record.version, cveIds: record.cveIds, requestedExpiration: record.requestedExpiration,
      });
      return view(record);
    },

    /** One approval; the last required one approves the exception and starts its time limit. */
    async approve(id: string, by: ExceptionActor): Promise<ExceptionView> {
      const before = await mustGet(id);
      const t = approveException(before, { person: by.actor, roles: by.roles }, clock.now(), cfg);
      if (!t.ok && t.code === 'FORBIDDEN') {
        // A refused approval (wrong role, own request, same person twice) is part of the trail.
        await audit.record({ actor: by.actor, action: 'exception.approve-refused', subject: { kind: 'exception', id }, service: before.service, payload: { reason: t.reason, held: [...by.roles] } });
      }
      const record = unwrap(t);
      const approval = record.approvals.at(-1)!;
      await write('exception.approve', record, before.state, by.actor, { role: approval.role, final: record.state === 'approved', expiration: record.expiration });
      return view(record);
    },

    async deny(id: string, reason: string, by: ExceptionActor): Promise<ExceptionView> {
      const before = await mustGet(id);
      const record = unwrap(denyException(before, { person: by.actor, roles: by.roles }, reason, clock.now(), cfg));
      await write('exception.deny', record, before.state, by.actor, { reason });
      return view(record);
    },

    async revoke(id: string, reason: string | undefined, by: ExceptionActor): Promise<ExceptionView> {
      const before = await mustGet(id);
      const record = unwrap(revokeException(before, { person: by.actor, roles: by.roles }, reason, clock.now(), cfg));
      await write('exception.revoke', record, before.state, by.actor, { reason: reason ?? null });
      return view(record);
    },

    async review(id: string, notes: string, by: ExceptionActor): Promise<ExceptionView> {
      const before = await mustGet(id);
      const record = unwrap(reviewException(before, { person: by.actor, roles: by.roles }, notes, clock.now(), cfg));
      await write('exception.review', record, before.state, by.actor, { notes });
      notifiedOverdue.delete(id);
      return view(record);
    },

    async get(id: string): Promise<ExceptionView> {
      return view(await mustGet(id));
    },

    async list(filter: ExceptionFilter): Promise<ExceptionView[]> {
      const rows = await Promise.all((await store.exceptions.list({ ...filter, limit: filter.state === 'expired' ? 10_000 : filter.limit })).map(current));
      // Lazy expiry may have moved a row out of the asked state.
      return rows.filter((r) => !filter.state || r.state === filter.state).filter((r) => !filter.needsReview || needsReview(r)).slice(0, filter.limit).map(view);
    },

    /**
     * The grants a decision of `service` at `nowMs` may use: approved exceptions, and expired ones
     * (a what-if in the past may fall inside their validity; the decision checks the instant).
     */
    async grantsFor(service: string): Promise<ExceptionGrant[]> {
      const rows = await store.exceptions.inStates(['approved', 'expired']);
      return rows.filter((r) => coversService(r, service)).map(grantOf).filter((g): g is ExceptionGrant => g !== undefined);
    },

    /** Records that a (non what-if) decision used these exceptions; the first use starts the review clock. */
    async recordUses(used: readonly UsedException[], decisionId: string, releaseId: string | null, by: { actor: string }): Promise<void> {
      for (const u of used) {
        const before = await store.exceptions.get(u.id);
        if (!before) continue;
        const record = recordUse(before, { decisionId, releaseId, at: new Date(clock.now()).toISOString(), checks: u.checks }, cfg);
        if (record === before) continue;
        await write('exception.use', record, before.state, by.actor, { decision: decisionId, release: releaseId, checks: u.checks, ...(u.cveIds ? { cveIds: u.cveIds } : {}), reviewDue: record.reviewDue });
      }
    },

    /** A granted emergency override becomes an exception of its own, pre-approved, review mandatory. */
    async recordEmergency(e: Omit<EmergencyOverride, 'id' | 'nowMs'>, by: { actor: string }): Promise<ExceptionRecord> {
      const nowMs = clock.now();
      const record = emergencyException({ ...e, id: newId('exc_', nowMs), nowMs }, cfg);
      return write('exception.emergency', record, null, by.actor, { approver: e.approver, incident: e.incidentId, decision: e.decisionId, release: e.releaseId, bypassed: e.bypassedChecks, reviewDue: record.reviewDue });
    },

    /**
     * The periodic sweep (from the reconcile loop): expires what is due and notifies newly overdue
     * reviews. Idempotent. Returns the delay until it wants to run again.
     */
    async sweep(): Promise<number> {
      const nowMs = clock.now();
      for (const r of await store.exceptions.dueToExpire(new Date(nowMs).toISOString())) await current(r);
      for (const r of await store.exceptions.list({ needsReview: true, limit: 10_000 })) {
        if (reviewOverdue(r, nowMs) && !notifiedOverdue.has(r.id)) {
          notifiedOverdue.add(r.id);
          await tell({ action: 'exception.review-overdue', actor: SYSTEM_ACTOR, exception: r });
        }
      }
      const next = (await store.exceptions.inStates(['approved'])).map((r) => Date.parse(r.expiration ?? '') - nowMs).filter((ms) => ms > 0);
      return Math.min(60_000, ...next);
    },

    effectiveState: (r: ExceptionRecord) => effectiveState(r, clock.now()),
  };
}

export type ExceptionService = ReturnType<typeof createExceptionService>;
