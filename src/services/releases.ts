import { isDeepStrictEqual } from 'node:util';
import type { RampartConfig } from '../config/load.js';
import { resolveService } from '../domain/catalog/resolve.js';
import type { DecisionRecord, ReleaseRequest } from '../domain/gates/index.js';
import type { Clock } from '../platform/clock.js';
import { RampartError } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import type { IncidentRow } from '../store/release-repositories.js';
import type { Store } from '../store/types.js';
import type { AuditLog } from './audit-log.js';
import type { BudgetService } from './budgets.js';
import type { ExceptionService } from './exceptions.js';
import type { Actor } from './flags.js';
import {
  type DecisionInputs, type EvidenceUpload, type GateSetup, type ReleaseFacts,
  assembleEvidence, decide, parseSteps, parseUploads, replayDecision,
} from './gate-check.js';

export interface CreateRelease {
  service: string;
  version: string;
  environment: string;
  kind: 'feature' | 'fix' | 'rollback';
  evidence: EvidenceUpload[];
  steps: string[];
  emergency?: { approver: string; incidentId: string };
  /** What-if: evaluate at this instant instead of now. Such a decision is marked and never starts a rollout. */
  at?: string;
}

const day = 24 * 3600 * 1000;

/** The latest synthetic run against a version, as the quality gate's golden_path reads it; undefined: the service has no synthetic checks. */
/** Roles whose approval of a release the gates read: the approval gate's captain, the budget bands' SRE and VP. */
export const RELEASE_APPROVER_ROLES = ['release-captain', 'sre', 'vp-eng'] as const;
export type ReleaseApproverRole = (typeof RELEASE_APPROVER_ROLES)[number];

export type GoldenPathLookup = (service: string, version: string) => Promise<
  { state: 'pass' | 'fail'; at: string; results: Array<{ check: string; ok: boolean; message: string }> } | { state: 'none'; explanation: string } | undefined>;

export function createReleaseService(store: Store, audit: AuditLog, clock: Clock, config: RampartConfig, setup: GateSetup, budgets?: BudgetService, exceptions?: ExceptionService, goldenPath?: GoldenPathLookup) {
  /** Approved exceptions of the service, as grants stored with the decision's inputs (replay waives the same). */
  async function grants(service: string) {
    const g = exceptions ? await exceptions.grantsFor(service) : [];
    return g.length > 0 ? { exceptions: g } : {};
  }

  /** A real (not what-if) decision marks the exceptions it used, and records a granted emergency as one. */
  async function trail(releaseId: string, decision: { record: DecisionRecord; inputs: DecisionInputs }, by: Actor) {
    if (!exceptions) return;
    const r = decision.record;
    await exceptions.recordUses(r.exceptions, r.id, releaseId, by);
    const emergency = decision.inputs.request.emergency;
    if (r.overrides.granted && emergency) {
      await exceptions.recordEmergency({
        service: r.service, version: r.version, approver: emergency.approver, incidentId: emergency.incidentId,
        bypassedChecks: r.overrides.bypassedChecks, decisionId: r.id, releaseId,
      }, by);
    }
  }

  const iso = (ms: number) => new Date(ms).toISOString();

  /** The golden_path fact from the latest synthetic run against the version (when the evidence gives none). */
  async function goldenPathFact(service: string, version: string): Promise<ReleaseFacts['goldenPath']> {
    if (!goldenPath) return undefined;
    const run = await goldenPath(service, version);
    if (!run) return undefined;
    if (run.state === 'none') return { missing: `${run.explanation} (Rampart's synthetic checks)` };
    const failed = run.results.filter((r) => !r.ok);
    const detail = failed.length > 0 ? `failed: ${failed.map((r) => `${r.check}: ${r.message}`).join('; ')}` : `passed: ${run.results.map((r) => r.check).join(', ')}`;
    return { outcome: run.state, source: `synthetic run against ${service} ${version} at ${run.at} (${detail})` };
  }

  /** SLO, incident and approval facts from Rampart's own records. */
  async function recordedFacts(service: string, releaseId: string | undefined, nowMs: number): Promise<ReleaseFacts> {
    // A manual SLO status is an override; otherwise the budget measured from data, when there is one.
    const manual = await store.sloStatus.get(service);
    const measured = !manual && budgets ? await budgets.forService(service).catch(() => undefined) : undefined;
    const slo = manual ?? (measured?.remainingPct !== undefined
      ? { errorBudgetRemainingPct: measured.remainingPct, fastBurnRate: measured.fastBurn ?? null, updatedBy: 'error budget (Prometheus)', updatedAt: new Date(nowMs).toISOString() }
      : undefined);
    const sloSource = manual ? `slo-status (set by ${manual.updatedBy} at ${manual.updatedAt})` : 'error budget measured from Prometheus';
    const approvals = releaseId ? await store.releases.approvals(releaseId) : [];
    const approval = (role: ReleaseApproverRole) => {
      const a = approvals.find((x) => x.role === role);
      return a ? { approver: a.approver, approvedAt: a.at, source: `approvals of ${releaseId}` } : undefined;
    };
    const [releaseCaptain, sre, vpEngineering] = [approval('release-captain'), approval('sre'), approval('vp-eng')];
    return {
      slo: {
        ...(slo?.errorBudgetRemainingPct != null ? { errorBudgetRemainingPct: { value: slo.errorBudgetRemainingPct, source: sloSource } } : {}),
        ...(slo?.fastBurnRate != null ? { fastBurnRate: { value: slo.fastBurnRate, source: sloSource } } : {}),
        activeP1: { ids: await store.incidents.activeP1(service), source: 'incidents' },
        rollbacks24h: { count: await store.incidents.rollbacksSince(service, iso(nowMs - day)), source: 'incidents (rollbacks, last 24 h)' },
      },
      ...(releaseCaptain ? { releaseCaptain } : {}),
      ...(sre ? { sre } : {}),
      ...(vpEngineering ? { vpEngineering } : {}),
    };
  }

  async function record(releaseId: string, row: { service: string; version: string; environment: string; kind: string; createdAt: string; createdBy: string }, decision: { record: DecisionRecord; inputs: DecisionInputs }, whatIf: boolean, action: string, by: Actor) {
    const createdAt = iso(clock.now());
    const { record: r } = decision;
    await audit.record(
      {
        actor: by.actor, action, subject: { kind: 'release', id: releaseId }, service: row.service,
        payload: {
          decision: r.id, allow: r.allow, version: row.version, environment: row.environment, violations: r.violations, whatIf,
          auditLevel: r.auditLevel,
          ...(r.overrides.emergency ? { emergency: { approver: r.overrides.approver, incident: decision.inputs.request.emergency?.incidentId } } : {}),
        },
      },
      async (trx) => {
        await store.releases.insertDecision({ id: r.id, releaseId, createdAt, allow: r.allow, record: { ...r, whatIf }, inputs: decision.inputs }, trx);
        await store.releases.upsertRelease({ id: releaseId, ...row, decisionId: r.id, allow: r.allow && !whatIf, facts: decision.inputs.evidence }, trx);
      },
    );
  }

  return {
    async create(input: CreateRelease, by: Actor) {
      const service = resolveService(config.catalog, input.service);
      if (!service) throw new RampartError('NOT_FOUND', `no service "${input.service}" in the catalog; see \`rampart services list\``);
      const nowMs = input.at ? Date.parse(input.at) : clock.now();
      if (Number.isNaN(nowMs)) throw new RampartError('VALIDATION_FAILED', `at: "${input.at}" is not an ISO-8601 time`, { field: 'at' });
      const steps = parseSteps(input.steps);
      const reports = await parseUploads(input.evidence, setup);
      const releaseId = newId('rel_', clock.now());
      const request: ReleaseRequest = {
        id: newId('dec_', clock.now()), service: input.service, version: input.version, environment: input.environment,
        tier: String(service.tier), kind: input.kind, ...(input.emergency ? { emergency: input.emergency } : {}),
        ...(await grants(input.service)),
      };
      const facts = { ...(await recordedFacts(input.service, undefined, nowMs)), goldenPath: await goldenPathFact(input.service, input.version) };
      const evidence = assembleEvidence(reports, steps, facts, setup);
      const decision = await decide(setup, request, evidence, nowMs);
      const row = { service: input.service, version: input.version, environment: input.environment, kind: input.kind, createdAt: iso(clock.now()), createdBy: by.actor };
      await record(releaseId, row, decision, input.at !== undefined, 'release.create', by);
      if (input.at === undefined) await trail(releaseId, decision, by);
      return this.get(releaseId);
    },

    async get(id: string) {
      const release = await store.releases.getRelease(id);
      if (!release) throw new RampartError('NOT_FOUND', `no release ${id}`);
      const decision = await store.releases.getDecision(release.decisionId);
      return { ...release, decision: decision?.record as DecisionRecord & { whatIf: boolean }, approvals: await store.releases.approvals(id) };
    },

    list: (filter: { service?: string; limit: number }) => store.releases.listReleases(filter),

    /**
     * An approval by a person in `role` (the release captain's approval gate; SRE or VP Engineering
     * for the budget bands); the release is decided again with it, at the current time.
     */
    async approve(id: string, by: Actor & { roles: string[] }, comment: string | undefined, role: ReleaseApproverRole = 'release-captain') {
      const release = await store.releases.getRelease(id);
      if (!release) throw new RampartError('NOT_FOUND', `no release ${id}`);
      const previous = await store.releases.getDecision(release.decisionId);
      const inputs = previous!.inputs as DecisionInputs;
      const at = iso(clock.now());
      await audit.record({ actor: by.actor, action: 'release.approve', subject: { kind: 'release', id }, service: release.service, payload: { role, comment: comment ?? null } },
        (trx) => store.releases.addApproval({ releaseId: id, approver: by.actor, role, at, comment: comment ?? null }, trx));
      const nowMs = clock.now();
      const facts = await recordedFacts(release.service, id, nowMs);
      // Reports stay as first decided; SLO facts and approvals are read again, now.
      const fresh = assembleEvidence([], [], facts, setup);
      const evidence = { ...inputs.evidence, slo: fresh.slo, approval: fresh.approval };
      const { exceptions: _stale, ...previousRequest } = inputs.request;
      const request = { ...previousRequest, id: newId('dec_', nowMs), ...(await grants(release.service)) };
      const decision = await decide(setup, request, evidence, nowMs);
      await record(id, release, decision, false, 'release.decide', by);
      await trail(id, decision, by);
      return this.get(id);
    },

    async decision(id: string) {
      const d = await store.releases.getDecision(id);
      if (!d) throw new RampartError('NOT_FOUND', `no decision ${id}`);
      return d;
    },

    /** Re-evaluates a stored decision from what was stored; `identical` must always be true. */
    async replay(id: string) {
      const d = await this.decision(id);
      const { whatIf: _w, ...stored } = d.record as DecisionRecord & { whatIf?: boolean };
      const replayed = replayDecision(d.inputs as DecisionInputs);
      // Compare as stored JSON: the stored copy went through JSON once.
      const identical = isDeepStrictEqual(JSON.parse(JSON.stringify(replayed)), stored);
      return { id, identical, decision: stored, replayed };
    },

    async openIncident(input: { service: string; severity: IncidentRow['severity']; title: string; links: string[]; kind?: IncidentRow['kind'] }, by: Actor) {
      const row: IncidentRow = {
        id: newId('inc_', clock.now()), service: input.service, severity: input.severity, kind: input.kind ?? 'incident', status: 'open',
        title: input.title, links: input.links, openedAt: iso(clock.now()), openedBy: by.actor, resolvedAt: null,
      };
      await audit.record({ actor: by.actor, action: 'incident.open', subject: { kind: 'incident', id: row.id }, service: row.service, payload: { severity: row.severity, kind: row.kind, title: row.title } },
        (trx) => store.incidents.insert(row, trx));
      return row;
    },

    async resolveIncident(id: string, by: Actor) {
      const row = await store.incidents.get(id);
      if (!row) throw new RampartError('NOT_FOUND', `no incident ${id}`);
      if (row.status === 'resolved') throw new RampartError('CONFLICT', `incident ${id} was resolved at ${row.resolvedAt}`);
      const at = iso(clock.now());
      await audit.record({ actor: by.actor, action: 'incident.resolve', subject: { kind: 'incident', id }, service: row.service, payload: {} },
        async (trx) => {
          if (!(await store.incidents.resolve(id, at, trx))) throw new RampartError('CONFLICT', `incident ${id} was resolved meanwhile`);
        });
      return { ...row, status: 'resolved' as const, resolvedAt: at };
    },

    listIncidents: (filter: { service?: string; status?: string; limit: number }) => store.incidents.list(filter),

    /** The manual SLO facts (until error budgets are computed from data; then an override). */
    async putSloStatus(service: string, input: { errorBudgetRemainingPct: number | null; fastBurnRate: number | null }, by: Actor) {
      if (!resolveService(config.catalog, service)) throw new RampartError('NOT_FOUND', `no service "${service}" in the catalog`);
      const row = { service, ...input, updatedAt: iso(clock.now()), updatedBy: by.actor };
      await audit.record({ actor: by.actor, action: 'slo-status.put', subject: { kind: 'service', id: service }, service, payload: input },
        (trx) => store.sloStatus.put(row, trx));
      return row;
    },
    getSloStatus: (service: string) => store.sloStatus.get(service),
  };
}

export type ReleaseService = ReturnType<typeof createReleaseService>;
