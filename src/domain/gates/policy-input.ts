import { DateTime } from 'luxon';
import type { Freeze } from '../windows/freezes.js';
import type { CheckResult, GateResult } from './check.js';
import type { Evidence } from './evidence.js';
import { usableValue } from './evidence.js';
import type { ReleaseRequest } from './request.js';

/**
 * The policy input document, in the shape of the spec's rego input plus the clock and `data`.
 * A field whose evidence is missing is left out, so a rule reading it fails exactly as an
 * undefined reference does in rego. Plain JSON: it can be posted to OPA as `{"input": …}`.
 */
export interface PolicyInput {
  service: string;
  version: string;
  environment: string;
  gates: {
    build: { typescript?: string; compile?: string; lint?: string; format?: string };
    quality: { unit_tests?: string; coverage?: number; golden_path?: string; e2e?: string };
    security: { critical_cves?: number; high_cves?: number; secrets_found?: number; slsa_level?: number; image_signed?: boolean };
  };
  slo: { error_budget_remaining?: number; burn_rate?: number; active_p1_incidents?: number; rollbacks_24h?: number };
  emergency_override: boolean;
  override_approver: string;
  incident_id: string;
  /** The clock of this decision: the policy reads time only from here. */
  now: PolicyClock;
  data: PolicyData;
  /** Rule-level exception waivers in force (present only when one is): see policies/release-gate.yaml. */
  waivers?: { change_window?: true; freeze?: true; slo?: true };
  /**
   * Present only when the configuration defines its own change windows (gates.windows): whether one
   * is open now. Without it the policy applies the spec's Mon-Thu 09:00-16:00 rule itself.
   */
  change_window?: { open: boolean };
}

export interface PolicyClock {
  iso: string;
  /** Nanoseconds since the epoch (millisecond resolution): the rego's `time.now_ns()`. */
  ns: number;
  /** IANA zone the change window is read in; `UTC` reproduces the rego exactly. */
  zone: string;
  /** `iso` in `zone`, as rego's `time.weekday` names it: `Monday` … `Sunday`. */
  weekday: string;
  /** Hour 0–23 of `iso` in `zone`: rego's `time.clock(ns)[0]`. */
  hour: number;
}

const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];

/**
 * The policy clock. Weekday and hour are derived here (once, with luxon) so that a policy
 * compares plain fields; parsing a timestamp in a zone inside CEL costs ~70 µs per call.
 */
export function policyClock(epochMs: number, zone: string): PolicyClock {
  const local = DateTime.fromMillis(epochMs, { zone });
  const iso = new Date(epochMs).toISOString();
  // An unknown zone gives no weekday and no hour, so no window rule can match: closed, not open.
  if (!local.isValid) return { iso, ns: epochMs * 1e6, zone, weekday: '', hour: -1 };
  return { iso, ns: epochMs * 1e6, zone, weekday: WEEKDAYS[local.weekday - 1]!, hour: local.hour };
}

export interface PolicyData {
  authorized_overriders: string[];
  /** Freezes whose scope covers this service, whether or not in force now (the policy checks time). */
  active_freezes: { id: string; start_ns: number; end_ns: number; reason: string }[];
}

/** The pass/fail string of a check for the policy, or undefined when its evidence is missing. */
function passFail(checks: readonly CheckResult[], id: string): string | undefined {
  const check = checks.find((c) => c.id === id);
  if (!check || check.result === 'missing') return undefined;
  return check.result === 'fail' ? 'fail' : 'pass';
}

/**
 * Builds the policy input from the evidence and the gate checks (step results are taken from the
 * checks, so a lint report with errors is `fail` even if its exit code was 0).
 */
export function buildPolicyInput(
  evidence: Evidence,
  gates: readonly GateResult[],
  request: ReleaseRequest,
  now: { epochMs: number; zone: string },
  data: { authorizedOverriders: readonly string[]; freezes: readonly Freeze[] },
  waivers?: PolicyInput['waivers'],
  changeWindow?: PolicyInput['change_window'],
): PolicyInput {
  const checks = gates.flatMap((g) => g.checks);
  const v = usableValue;
  const { security: s, slo, quality: q } = evidence;
  const cves = v(s.cves);
  return {
    service: request.service,
    version: request.version,
    environment: request.environment,
    gates: {
      build: prune({
        typescript: passFail(checks, 'build.typecheck'),
        compile: passFail(checks, 'build.compile'),
        lint: passFail(checks, 'build.lint'),
        format: passFail(checks, 'build.format'),
      }),
      quality: prune({
        unit_tests: passFail(checks, 'quality.unit_tests'),
        coverage: v(q.coverage)?.linesPct,
        golden_path: passFail(checks, 'quality.golden_path'),
        e2e: passFail(checks, 'quality.e2e'),
      }),
      security: prune({
        critical_cves: cves?.critical,
        high_cves: cves?.high,
        secrets_found: v(s.secrets)?.count,
        slsa_level: v(s.slsa)?.level,
        image_signed: v(s.imageSigned)?.signed,
      }),
    },
    slo: prune({
      error_budget_remaining: v(slo.errorBudgetRemainingPct),
      burn_rate: v(slo.fastBurnRate),
      active_p1_incidents: v(slo.activeP1Incidents)?.count,
      rollbacks_24h: v(slo.rollbacksLast24h)?.count,
    }),
    // The rego's decision object reads these three, so they are always present.
    emergency_override: request.emergency !== undefined,
    override_approver: request.emergency?.approver ?? '',
    incident_id: request.emergency?.incidentId ?? '',
    now: policyClock(now.epochMs, now.zone),
    data: {
      authorized_overriders: [...data.authorizedOverriders],
      active_freezes: data.freezes.map((f) => ({ id: f.id, start_ns: f.startMs * 1e6, end_ns: f.endMs * 1e6, reason: f.reason })),
    },
    ...(waivers ? { waivers } : {}),
    ...(changeWindow ? { change_window: changeWindow } : {}),
  };
}

function prune<T extends Record<string, unknown>>(record: T): T {
  return Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as T;
}
