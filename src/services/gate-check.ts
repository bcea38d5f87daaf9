import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RampartConfig } from '../config/load.js';
import {
  type CompiledPolicy, type DecisionRecord, type Evidence, type PolicyEvaluation, type ReleaseGateConfig, type ReleaseRequest,
  type StepFlag, applyStepFlags, compilePolicy, evaluateRelease, missing, parseStepFlag, present, sha256Hex,
} from '../domain/gates/index.js';
import { parseFreezes } from '../domain/windows/freezes.js';
import { type EvidenceFormat, type TrustedBuilder, isEvidenceFormat, parseEvidence, parseEvidenceFile } from '../evidence/index.js';
import { type ParsedReport, toGateEvidence } from '../evidence/to-gate-evidence.js';
import { RampartError } from '../platform/errors.js';

/** The default policy shipped with Rampart (the spec's release_gate.rego, rule for rule, in CEL). */
export const defaultPolicyFile = resolve(import.meta.dirname, '../../policies/release-gate.yaml');

export type PolicyEngine =
  | { engine: 'builtin'; policy: CompiledPolicy }
  | { engine: 'opa-rest'; url: string; path: string; timeoutMs: number };

/** Everything a decision needs besides the release's own facts; loaded once from config. */
export interface GateSetup {
  engine: PolicyEngine;
  config: ReleaseGateConfig;
  trustedBuilders: TrustedBuilder[];
  publicKeys: string[];
}

function readConfigFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new RampartError('CONFIG_INVALID', `${what} ${path}: ${(err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message}`);
  }
}

/** Compiles the policy, reads freezes and signing keys. Bad files fail with file, line and field. */
export function loadGateSetup(config: RampartConfig): GateSetup {
  const g = config.gates;
  let engine: PolicyEngine;
  if (config.policy.engine === 'opa-rest') {
    if (!config.policy.url) throw new RampartError('CONFIG_INVALID', 'policy.engine opa-rest needs policy.url (the OPA server, e.g. http://127.0.0.1:8181)');
    engine = { engine: 'opa-rest', url: config.policy.url.replace(/\/+$/, ''), path: config.policy.path, timeoutMs: config.policy.timeoutMs };
  } else {
    const file = config.policy.file ?? defaultPolicyFile;
    const compiled = compilePolicy(readConfigFile(file, 'policy'), file);
    if (!compiled.ok) {
      throw new RampartError('CONFIG_INVALID', `policy ${file} is not valid:\n${compiled.issues.map((i) => `${i.file}:${i.line}: ${i.field ? `${i.field}: ` : ''}${i.message}`).join('\n')}`, { issues: compiled.issues });
    }
    engine = { engine: 'builtin', policy: compiled.policy };
  }
  let freezes: ReleaseGateConfig['freezes'] = [];
  if (g.freezesFile) {
    const parsed = parseFreezes(readConfigFile(g.freezesFile, 'freezes file'), g.freezesFile);
    if (!parsed.ok) {
      throw new RampartError('CONFIG_INVALID', `freezes file ${g.freezesFile} is not valid:\n${parsed.issues.map((i) => `${i.file}:${i.line}: ${i.field}: ${i.message}`).join('\n')}`, { issues: parsed.issues });
    }
    freezes = [...parsed.freezes];
  }
  return {
    engine,
    config: {
      thresholds: g.thresholds as ReleaseGateConfig['thresholds'],
      timeZone: g.timeZone,
      ...(g.windows ? { windows: g.windows } : {}),
      freezes,
      freezesSource: g.freezesFile ?? 'no freezes file configured (gates.freezesFile)',
      authorizedOverriders: g.authorizedOverriders,
      ...(g.emergencyBypasses ? { emergencyBypasses: g.emergencyBypasses } : {}),
    },
    trustedBuilders: g.trustedBuilders as TrustedBuilder[],
    publicKeys: g.signingKeys.map((k) => readConfigFile(k, 'signing key')),
  };
}

/** A report handed over the API. */
export interface EvidenceUpload {
  name: string;
  content: string | Uint8Array;
  format?: string;
}

function assertFormat(format: string | undefined): EvidenceFormat | undefined {
  if (format === undefined) return undefined;
  if (!isEvidenceFormat(format)) throw new RampartError('BAD_REQUEST', `unknown evidence format "${format}"`);
  return format;
}

function reportErrors(errors: string[]): never {
  throw new RampartError('BAD_REQUEST', `evidence could not be read (nothing was decided):\n${errors.join('\n')}`, { errors });
}

/** Lists report files: a directory is walked (hidden files skipped), a file is taken as is. */
export function collectEvidencePaths(paths: string[]): string[] {
  const out: string[] = [];
  const walk = (p: string) => {
    let st;
    try {
      st = statSync(p);
    } catch {
      throw new RampartError('BAD_REQUEST', `--evidence ${p}: no such file or directory`);
    }
    if (st.isDirectory()) {
      for (const name of readdirSync(p).sort()) if (!name.startsWith('.')) walk(join(p, name));
    } else out.push(p);
  };
  paths.forEach(walk);
  return out;
}

/** Parses report files from disk; any unreadable file fails the whole call, naming file and position. */
export async function parseReportFiles(paths: string[], setup: GateSetup, format?: string): Promise<ParsedReport[]> {
  const forced = assertFormat(format);
  const results = await Promise.all(paths.map((p) => parseEvidenceFile(p, { publicKeys: setup.publicKeys, ...(forced ? { format: forced } : {}) })));
  return collect(results, paths);
}

export async function parseUploads(uploads: EvidenceUpload[], setup: GateSetup): Promise<ParsedReport[]> {
  const results = await Promise.all(uploads.map((u) => {
    const forced = assertFormat(u.format);
    return parseEvidence(u.name, u.content, { publicKeys: setup.publicKeys, ...(forced ? { format: forced } : {}) });
  }));
  return collect(results, uploads.map((u) => u.name));
}

function collect(results: Awaited<ReturnType<typeof parseEvidence>>[], names: string[]): ParsedReport[] {
  const errors: string[] = [];
  const reports: ParsedReport[] = [];
  results.forEach((r, i) => {
    if (r.ok) reports.push({ file: names[i]!, facts: r.facts });
    else errors.push(r.error.message.startsWith(r.error.file) ? r.error.message : `${r.error.file}: ${r.error.message}`);
  });
  if (errors.length) reportErrors(errors);
  return reports;
}

export function parseSteps(texts: string[]): StepFlag[] {
  return texts.map((t) => {
    const r = parseStepFlag(t);
    if (!r.ok) throw new RampartError('BAD_REQUEST', r.message);
    return r.step;
  });
}

/** Facts that come from Rampart's own records or from the caller, not from report files. */
export interface ReleaseFacts {
  slo: {
    errorBudgetRemainingPct?: { value: number; source: string };
    fastBurnRate?: { value: number; source: string };
    activeP1?: { ids: string[]; source: string };
    rollbacks24h?: { count: number; source: string };
  };
  releaseCaptain?: { approver: string; approvedAt?: string; source: string };
  /** Approvals the budget bands ask for: SRE (a fix or rollback under 20 %), VP Engineering (exhausted). */
  sre?: { approver: string; approvedAt?: string; source: string };
  vpEngineering?: { approver: string; approvedAt?: string; source: string };
  /**
   * The golden path from Rampart's synthetic checks (the latest run against the release's
   * version), or why there is none. Used only when the evidence gives no golden_path: given wins.
   */
  goldenPath?: { outcome: 'pass' | 'fail'; source: string } | { missing: string };
}

export function assembleEvidence(reports: ParsedReport[], steps: StepFlag[], facts: ReleaseFacts, setup: GateSetup): Evidence {
  const e = applyStepFlags(toGateEvidence(reports, { trustedBuilders: setup.trustedBuilders }), steps);
  // Offline facts come from CLI flags; online ones from Rampart's own records (the API).
  const api = (ref: string) => ({ kind: ref.startsWith('--') ? ('flag' as const) : ('api' as const), ref });
  const s = facts.slo;
  const none = 'no SLO data: set it with `rampart services slo-status` or --error-budget-remaining/--burn-rate';
  e.slo.errorBudgetRemainingPct = s.errorBudgetRemainingPct ? present(s.errorBudgetRemainingPct.value, api(s.errorBudgetRemainingPct.source)) : missing(none);
  e.slo.fastBurnRate = s.fastBurnRate ? present(s.fastBurnRate.value, api(s.fastBurnRate.source)) : missing(none);
  e.slo.activeP1Incidents = s.activeP1 ? present({ count: s.activeP1.ids.length, ids: s.activeP1.ids }, api(s.activeP1.source)) : missing('no incident data (--active-p1 N offline)');
  e.slo.rollbacksLast24h = s.rollbacks24h ? present({ count: s.rollbacks24h.count }, api(s.rollbacks24h.source)) : missing('no rollback history (--rollbacks-24h N offline)');
  if (facts.releaseCaptain) {
    const rc = facts.releaseCaptain;
    e.approval.releaseCaptain = present({ approver: rc.approver, ...(rc.approvedAt ? { approvedAt: rc.approvedAt } : {}) }, api(rc.source));
  } else {
    e.approval.releaseCaptain = missing('no release captain approval yet (POST /api/v1/releases/:id/approvals, or --release-captain offline)');
  }
  for (const role of ['sre', 'vpEngineering'] as const) {
    const a = facts[role];
    if (a) e.approval[role] = present({ approver: a.approver, ...(a.approvedAt ? { approvedAt: a.approvedAt } : {}) }, api(a.source));
  }
  // A golden path stated in the evidence (a flag, or a report that could not be read) is never replaced.
  const given = e.quality.goldenPath;
  if (facts.goldenPath && given.state === 'missing' && !given.source) {
    const g = facts.goldenPath;
    e.quality.goldenPath = 'missing' in g ? missing(`${given.reason}; ${g.missing}`) : present({ outcome: g.outcome }, api(g.source));
  }
  return e;
}

/** What a decision was made from, stored so that `gate replay` makes it again exactly. */
export interface DecisionInputs {
  request: ReleaseRequest;
  evidence: Evidence;
  config: ReleaseGateConfig;
  policy: { engine: 'builtin'; file: string; source: string } | { engine: 'opa-rest'; url: string; path: string; response: unknown };
  nowMs: number;
}

/** A policy whose answer was already obtained (from OPA): replays return the same answer. */
function recordedPolicy(url: string, path: string, response: unknown): CompiledPolicy {
  const text = JSON.stringify(response ?? null);
  const evaluation = opaEvaluation(response, path);
  return { name: `opa-rest ${path}`, file: `${url}/v1/data/${path}`, digest: sha256Hex(text), source: text, evaluate: () => evaluation };
}

/** Maps OPA's Data API answer to a policy evaluation. No `result` is a deny, never an allow. */
export function opaEvaluation(response: unknown, path: string): PolicyEvaluation {
  const result = (response as { result?: unknown } | null)?.result;
  if (result === undefined) {
    return { allow: false, allowedBy: [], rules: {}, violations: [`OPA returned no result for data.${path.replaceAll('/', '.')} (is the policy loaded at that path?)`], errors: [] };
  }
  if (typeof result === 'boolean') return { allow: result, allowedBy: result ? [path] : [], rules: { [path]: result }, violations: [], errors: [] };
  const r = result as { allow?: unknown; violations?: unknown; violation?: unknown };
  const violations = [r.violations, r.violation].find(Array.isArray) as unknown[] | undefined;
  return {
    allow: r.allow === true,
    allowedBy: r.allow === true ? [`${path}.allow`] : [],
    rules: { allow: r.allow === true },
    violations: (violations ?? []).map(String).sort(),
    errors: typeof r.allow === 'boolean' ? [] : [{ at: `${path}.allow`, message: 'OPA result has no boolean "allow": treated as deny' }],
  };
}

async function askOpa(engine: Extract<PolicyEngine, { engine: 'opa-rest' }>, input: unknown): Promise<unknown> {
  try {
    const res = await fetch(`${engine.url}/v1/data/${engine.path}`, {
      method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ input }), signal: AbortSignal.timeout(engine.timeoutMs),
    });
    if (!res.ok) return { error: `OPA answered ${res.status}` };
    return await res.json();
  } catch (err) {
    // An unreachable OPA is a deny with a reason (the response has no `result`), never an allow.
    return { error: `OPA unreachable at ${engine.url}: ${(err as Error).message}` };
  }
}

/** Decides a release. With OPA, the policy input is built first, sent, and its answer recorded. */
export async function decide(setup: GateSetup, request: ReleaseRequest, evidence: Evidence, nowMs: number): Promise<{ record: DecisionRecord; inputs: DecisionInputs }> {
  if (setup.engine.engine === 'builtin') {
    const { policy } = setup.engine;
    const inputs: DecisionInputs = { request, evidence, config: setup.config, policy: { engine: 'builtin', file: policy.file, source: policy.source }, nowMs };
    return { record: evaluateRelease(request, evidence, setup.config, policy, nowMs), inputs };
  }
  const engine = setup.engine;
  let captured: unknown;
  const probe: CompiledPolicy = { name: 'probe', file: '', digest: '', source: '', evaluate: (input) => {
    captured = input;
    return { allow: false, allowedBy: [], rules: {}, violations: [], errors: [] };
  } };
  evaluateRelease(request, evidence, setup.config, probe, nowMs);
  const response = await askOpa(engine, captured);
  const inputs: DecisionInputs = { request, evidence, config: setup.config, policy: { engine: 'opa-rest', url: engine.url, path: engine.path, response }, nowMs };
  return { record: replayDecision(inputs), inputs };
}

/** Re-evaluates a stored decision from its inputs alone. */
export function replayDecision(inputs: DecisionInputs): DecisionRecord {
  const p = inputs.policy;
  let policy: CompiledPolicy;
  if (p.engine === 'builtin') {
    const compiled = compilePolicy(p.source, p.file);
    if (!compiled.ok) throw new RampartError('INTERNAL', `the stored policy no longer compiles: ${compiled.issues[0]?.message}`);
    policy = compiled.policy;
  } else {
    policy = recordedPolicy(p.url, p.path, p.response);
  }
  return evaluateRelease(inputs.request, inputs.evidence, inputs.config, policy, inputs.nowMs);
}
