import { defaultWindowDefinitions, compileWindows } from '../windows/change-window.js';
import { assessEmergency } from '../windows/emergency.js';
import type { EmergencyVerdict } from '../windows/emergency.js';
import { freezeApplies, freezeInForce } from '../windows/freezes.js';
import type { WindowState } from '../windows/window-state.js';
import { isOpen } from '../windows/window-state.js';
import { approvalGate } from './approval-gate.js';
import { buildGate } from './build-gate.js';
import { canonicalDigest } from '../canonical-json.js';
import type { CheckResult, GateName, GateResult } from './check.js';
import { checkLetsGatePass, derivedCheck, gateOf, GATE_ORDER } from './check.js';
import type { GateThresholds, ReleaseGateConfig } from './config.js';
import { DEFAULT_EMERGENCY_BYPASSES, resolveThresholds } from './config.js';
import type { Evidence } from './evidence.js';
import type { CompiledPolicy, PolicyEvaluation } from './policy-engine.js';
import { buildPolicyInput } from './policy-input.js';
import { qualityGate } from './quality-gate.js';
import type { ReleaseRequest } from './request.js';
import { securityGate } from './security-gate.js';
import { budgetAdmission, sloGate } from './slo-gate.js';
import type { UsedException } from './waivers.js';
import { activeGrants, applyWaivers, policyWaivers, usedExceptions, waiveCves } from './waivers.js';

/**
 * The decision record: the spec's rego `decision` object (allow, timestamp, service, version,
 * gates, overrides, violations) plus what an auditor needs to trust and replay it.
 */
export interface DecisionRecord {
  id: string;
  allow: boolean;
  /** Nanoseconds since the epoch, as the rego's `time.now_ns()` (millisecond resolution). */
  timestamp: number;
  service: string;
  version: string;
  environment: string;
  /** The spec's four gate booleans; each is Rampart's gate (a superset of the rego rule). */
  gates: { build: boolean; quality: boolean; security: boolean; slo: boolean };
  overrides: {
    emergency: boolean;
    approver: string | null;
    incidentId: string | null;
    granted: boolean;
    refusedReasons: string[];
    bypassedChecks: string[];
  };
  /** Approved exceptions that waived something in this decision, with the checks they waived. */
  exceptions: UsedException[];
  /** Policy violations (rego messages, sorted), then one line per failing check in gate order. */
  violations: string[];
  /** All six gates with every check: result, value, threshold, source. */
  checks: GateResult[];
  policy: { name: string; file: string } & PolicyEvaluation;
  window: { open: boolean; decidedBy: string | null; reason: string; nextChange: string | null } | { error: string };
  freezes: { id: string; reason: string; start: string; end: string }[];
  thresholds: GateThresholds;
  /** Critical when an emergency was claimed (granted or refused), standard otherwise. */
  auditLevel: 'critical' | 'standard';
  clock: { iso: string; epochMs: number; zone: string };
  digests: { input: string; evidence: string; policy: string; config: string; request: string };
}

/**
 * Evaluates a release: runs the six gates in the spec's order and the policy, and returns the
 * decision. Deterministic: no clock, randomness or I/O is read, so calling it again with the stored
 * arguments (after a JSON round-trip) gives a deep-equal record with equal digests — that is replay.
 *
 * `allow` is true only when every gate passes: build, quality, security and SLO checks, the policy
 * (`allow` of the compiled policy) and approval (release captain, change window, freeze). A granted
 * emergency override bypasses the checks in `config.emergencyBypasses`.
 */
export function evaluateRelease(
  request: ReleaseRequest,
  evidence: Evidence,
  config: ReleaseGateConfig,
  policy: CompiledPolicy,
  nowMs: number,
): DecisionRecord {
  const thresholds = resolveThresholds(config.thresholds, request.tier);
  const zone = config.timeZone ?? 'UTC';
  const window = windowAt(config, zone, nowMs);
  const target = { service: request.service, tier: request.tier };
  const scopedFreezes = (config.freezes ?? []).filter((f) => freezeApplies(f, target));
  const inForce = scopedFreezes.filter((f) => freezeInForce(f, nowMs));
  const overriders = config.authorizedOverriders ?? [];
  const emergency = assessEmergency({ emergency: request.emergency !== undefined, approver: request.emergency?.approver, incidentId: request.emergency?.incidentId }, overriders);

  const grants = activeGrants(request, nowMs);
  const cves = waiveCves(evidence, grants);
  const waivedEvidence = cves.evidence;
  const partial: GateResult[] = [
    buildGate(waivedEvidence),
    qualityGate(waivedEvidence, thresholds),
    securityGate(waivedEvidence, thresholds, request.environment),
    sloGate(waivedEvidence, thresholds, request.kind),
    approvalGate(waivedEvidence, {
      window,
      windowSource: { kind: 'config', ref: config.windows ? 'windows' : `default window (Mon-Thu 09:00-16:00 ${zone})` },
      activeFreezes: inForce,
      freezeSource: { kind: 'file', ref: config.freezesSource ?? 'deployment_freezes.yaml' },
    }),
  ].map((g) => applyWaivers(g, grants, cves));
  // A release the budget bands admit below the minimum budget (a fix with SRE approval) reaches the
  // policy as its SLO waiver, the one input the spec's policy has for it; burn rate and P1
  // incidents are still judged by the SLO gate above.
  const admitted = budgetAdmission(waivedEvidence, thresholds, request.kind)?.admitted === true;
  const grantWaivers = policyWaivers(grants);
  const waivers = admitted ? { ...grantWaivers, slo: true as const } : grantWaivers;
  // Configured windows replace the spec's fixed Mon-Thu 09:00-16:00 in the policy too.
  const changeWindow = config.windows ? { open: 'open' in window && window.open } : undefined;
  const input = buildPolicyInput(waivedEvidence, partial, request, { epochMs: nowMs, zone }, { authorizedOverriders: overriders, freezes: scopedFreezes }, waivers, changeWindow);
  const evaluation = policy.evaluate(input as unknown as Record<string, unknown>);
  const policyGate = gateOf('policy', [policyCheck(policy, evaluation)]);

  const bypasses = new Set(config.emergencyBypasses ?? DEFAULT_EMERGENCY_BYPASSES);
  const byName = new Map<GateName, GateResult>([...partial, policyGate].map((g) => [g.gate, applyEmergency(g, emergency, bypasses)]));
  const checks = GATE_ORDER.map((name) => byName.get(name)!);
  const failing = checks.flatMap((g) => g.checks).filter((c) => !checkLetsGatePass(c));
  const gatePassed = (name: GateName) => byName.get(name)!.passed;

  return {
    id: request.id,
    allow: checks.every((g) => g.passed),
    timestamp: nowMs * 1e6,
    service: request.service,
    version: request.version,
    environment: request.environment,
    gates: { build: gatePassed('build'), quality: gatePassed('quality'), security: gatePassed('security'), slo: gatePassed('slo') },
    overrides: {
      emergency: request.emergency !== undefined,
      approver: request.emergency?.approver ?? null,
      incidentId: request.emergency?.incidentId ?? null,
      granted: emergency.kind === 'granted',
      refusedReasons: emergency.kind === 'refused' ? emergency.reasons : [],
      bypassedChecks: checks.flatMap((g) => g.checks).filter((c) => c.bypassed).map((c) => c.id),
    },
    exceptions: usedExceptions(checks, grants),
    violations: [...evaluation.violations, ...failing.map((c) => `${c.id}: ${c.result} (${c.detail})`)],
    checks,
    policy: { name: policy.name, file: policy.file, ...evaluation },
    window: 'error' in window ? window : {
      open: window.open,
      decidedBy: window.decidedBy?.name ?? null,
      reason: window.reason,
      nextChange: window.nextChangeMs === null ? null : new Date(window.nextChangeMs).toISOString(),
    },
    freezes: inForce.map((f) => ({ id: f.id, reason: f.reason, start: new Date(f.startMs).toISOString(), end: new Date(f.endMs).toISOString() })),
    thresholds,
    auditLevel: emergency.kind === 'none' ? 'standard' : 'critical',
    clock: { iso: new Date(nowMs).toISOString(), epochMs: nowMs, zone },
    digests: {
      input: canonicalDigest(input),
      evidence: canonicalDigest(evidence),
      policy: policy.digest,
      config: canonicalDigest(config),
      request: canonicalDigest(request),
    },
  };
}

function windowAt(config: ReleaseGateConfig, zone: string, nowMs: number): WindowState | { error: string } {
  const compiled = compileWindows(config.windows ?? defaultWindowDefinitions(zone));
  if (!compiled.ok) return { error: compiled.issues.map((i) => i.message).join('; ') };
  return isOpen(compiled.windows, nowMs);
}

function policyCheck(policy: CompiledPolicy, evaluation: PolicyEvaluation): CheckResult {
  const errors = evaluation.errors.length > 0 ? `; ${evaluation.errors.length} evaluation errors` : '';
  const detail = evaluation.allow
    ? `allowed by ${evaluation.allowedBy.join(', ')}${errors}`
    : `denied by ${policy.name}${evaluation.violations.length ? `: ${evaluation.violations.join('; ')}` : ''}${errors}`;
  return derivedCheck('policy', 'allow', 'allow', { kind: 'config', ref: `${policy.file} (${policy.digest.slice(0, 19)})` }, {
    result: evaluation.allow ? 'pass' : 'fail', value: evaluation.allow, detail,
  });
}

function applyEmergency(gate: GateResult, verdict: EmergencyVerdict, bypasses: ReadonlySet<string>): GateResult {
  if (verdict.kind !== 'granted') return gate;
  const checks = gate.checks.map((c) =>
    bypasses.has(c.id) && (c.result === 'fail' || c.result === 'missing')
      ? { ...c, bypassed: { by: 'emergency' as const, approver: verdict.approver, incidentId: verdict.incidentId } }
      : c);
  return gateOf(gate.gate, checks);
}
