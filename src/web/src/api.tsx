/**
 * The dashboard's only door to the server: same-origin fetches that carry the session cookie,
 * the CSRF token on every state-changing request, and the API's error body turned into ApiError.
 */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: unknown;

  constructor(status: number, code: string, message: string, details?: unknown) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

let csrfToken: string | undefined;

/** Set after sign-in (and after reading the current session on load). */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

let onUnauthenticated: () => void = () => {};

/** Called when any request answers 401 (session expired or token revoked). */
export function setUnauthenticatedHandler(fn: () => void): void {
  onUnauthenticated = fn;
}

export async function api<T>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal; quiet401?: boolean } = {}): Promise<T> {
  const method = init.method ?? 'GET';
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let res: Response;
  try {
    res = await fetch(path, {
      method, headers, credentials: 'same-origin', cache: 'no-store',
      ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
      ...(init.signal ? { signal: init.signal } : {}),
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiError(0, 'UNREACHABLE', 'the Rampart server did not answer; is `rampart up` running?');
  }
  const text = await res.text();
  let body: unknown = undefined;
  try {
    body = text ? JSON.parse(text) : undefined;
  } catch {
    body = undefined;
  }
  if (!res.ok) {
    const e = (body as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
    if (res.status === 401 && !init.quiet401) onUnauthenticated();
    throw new ApiError(res.status, e?.code ?? `HTTP_${res.status}`, e?.message ?? `${method} ${path} failed with HTTP ${res.status}`, e?.details);
  }
  return body as T;
}

// Response shapes of the endpoints the dashboard reads (see src/server/routes).

export interface SessionInfo {
  signedIn: true;
  actor: string;
  roles: string[];
  tokenId: string;
  csrfToken: string;
  expiresAt: string;
}

export type SessionState = SessionInfo | { signedIn: false; reason: 'none' | 'expired' | 'revoked' };

export interface Objective {
  target: number;
  thresholdMs?: number;
}

export interface Slo {
  availability?: Objective;
  latency?: Objective;
  durability?: Objective;
  completion?: Objective;
  window: string;
  bestEffort: boolean;
}

export interface AppliedGate {
  gate: string;
  applies: boolean;
  checks: string[];
  note?: string;
}

export interface Service {
  name: string;
  matchedBy: string;
  tier: 1 | 2 | 3;
  tierName: string;
  description: string;
  owners: string[];
  strategy: string;
  slo: Slo;
  gates: AppliedGate[];
}

/** A flag as the API shows it (the server's view type; type-only). */
export type { FlagView as Flag } from '../../services/flags.ts';

export interface JsonChange {
  path: string;
  from?: unknown;
  to?: unknown;
}

export interface FlagVersion {
  key: string;
  version: number;
  actor: string;
  reason: string;
  diff: JsonChange[];
  time: string;
}

export interface AuditEvent {
  seq: number;
  id: string;
  time: string;
  actor: string;
  action: string;
  subjectKind: string;
  subjectId: string;
  service: string | null;
  payload: unknown;
  hash: string;
}

export interface AuditPage {
  events: AuditEvent[];
  next: { before: number } | null;
}

export interface VerifyReport {
  ok: boolean;
  checked: number;
  head?: { seq: number; hash: string };
  problem?: { kind: string; seq?: number; message: string };
}

// Rollouts (src/services/rollouts.ts view; status from src/domain/rollout/status.ts).

export interface VersionRef {
  version: string;
  revision: number;
}

export interface RolloutStatus {
  id: string;
  service: string;
  attempt: number;
  phase: 'Pending' | 'Progressing' | 'Paused' | 'Healthy' | 'Aborted' | 'RolledBack';
  message: string;
  stepIndex: number;
  stepStartedAt: number;
  pause?: { startedAt: number; until?: number };
  hold?: { reason: string; since: number; actor: string; message: string };
  canaryStarted: boolean;
  canaryReady: boolean;
  analysisRuns: Array<{ ref: string; scope: 'background' | number; templates: string[]; phase: string; terminated?: boolean }>;
  canary: VersionRef;
  stable: VersionRef;
  weights: { canary: number; stable: number };
  abort?: { reason: string; actor: string; at: number };
  previous?: VersionRef;
  rollbackWindowUntil?: number;
  promotedAt?: number;
  startedAt: number;
  progressDeadlineAt?: number;
  rollbackVerified?: boolean;
}

/** A canary step as the spec stores it (durations in ms). */
export type CanaryStep =
  | { kind: 'setWeight'; weight: number }
  | { kind: 'pause'; durationMs?: number }
  | { kind: 'analysis'; analysis: { templates: Array<{ templateName: string }> } }
  | { kind: 'setHeaderRoute'; name: string }
  | { kind: 'setMirrorRoute'; name: string; percentage?: number };

export interface RolloutView {
  id: string;
  service: string;
  phase: RolloutStatus['phase'];
  release: string | null;
  createdAt: string;
  createdBy: string;
  status: RolloutStatus;
  spec: { strategy: { type: string; steps?: CanaryStep[]; maxSurge?: number; intervalSeconds?: number } };
  /** Analysis ref → run id. */
  analysisRuns: Record<string, string>;
  pendingCommands: unknown[];
}

export interface Measurement {
  phase: string;
  message: string;
  startedAt: number;
  finishedAt?: number;
  value?: unknown;
  condition?: { success?: string; failure?: string };
  query?: string;
  window?: string;
  sampleCount?: number;
  requestCount?: number;
}

export interface MetricResult {
  name: string;
  phase: string;
  dryRun: boolean;
  counters: { count: number; successful: number; failed: number; inconclusive: number; error: number };
  measurements: Measurement[];
  message?: string;
}

export interface AnalysisRun {
  id: string;
  phase: string;
  createdAt: string;
  spec: { templates: string[]; args: unknown; dryRun: boolean };
  state: { phase: string; message: string; startedAt: number; finishedAt?: number; summary?: string; decidingMetric?: string; results: MetricResult[] };
}

// Releases and decisions (src/domain/gates/decision.ts).

export interface ReleaseRow {
  id: string;
  service: string;
  version: string;
  environment: string;
  kind: string;
  createdAt: string;
  createdBy: string;
  decisionId: string;
  allow: boolean;
}

export interface CheckResult {
  id: string;
  gate: string;
  check: string;
  result: 'pass' | 'fail' | 'warn' | 'missing';
  value: string | number | boolean | null;
  threshold: string;
  source: string | null;
  detail: string;
  bypassed?: { by: string; approver: string; incidentId: string };
  waived?: { exceptionId: string; type: string; cveIds?: string[] };
}

export interface Decision {
  id: string;
  allow: boolean;
  timestamp: number;
  service: string;
  version: string;
  environment: string;
  overrides: { emergency: boolean; approver: string | null; incidentId: string | null; granted: boolean; refusedReasons: string[]; bypassedChecks: string[] };
  exceptions: Array<{ id: string; type: string; checks: string[]; cveIds?: string[] }>;
  violations: string[];
  checks: Array<{ gate: string; passed: boolean; checks: CheckResult[] }>;
  policy: { name: string; file: string; allow: boolean; violations: string[] };
  window: { open: boolean; decidedBy: string | null; reason: string; nextChange: string | null } | { error: string };
  freezes: Array<{ id: string; reason: string; start: string; end: string }>;
  auditLevel: string;
  clock: { iso: string; epochMs: number; zone: string };
  digests: Record<string, string>;
  whatIf?: boolean;
}

export interface Replay {
  id: string;
  identical: boolean;
}

// Exceptions (src/domain/exceptions/types.ts).

export interface ExceptionView {
  id: string;
  timestamp: string;
  type: string;
  service: string;
  version: string | null;
  requestor: string;
  approvals: Array<{ person: string; role: string; at: string }>;
  reason: string;
  impact: string | null;
  mitigation: string;
  cveIds: string[];
  expiration: string | null;
  approvedAt: string | null;
  state: 'pending' | 'approved' | 'denied' | 'expired' | 'revoked';
  stateReason: string | null;
  auditLevel: string;
  uses: Array<{ decisionId: string; releaseId: string | null; at: string; checks: string[] }>;
  reviewDue: string | null;
  origin: 'request' | 'emergency';
  needsReview: boolean;
  reviewOverdue: boolean;
}

export interface ExceptionList {
  exceptions: ExceptionView[];
  /** The configured exception table: which roles approve each type (added for the dashboard). */
  types?: Record<string, { approvers: string[]; limitHours: number | null; auditLevel: string }>;
  adminStandsIn?: boolean;
}

// Runtime safeguards and error budgets (src/services/service-health.ts, src/services/budgets.ts).

export type HealthStatus = 'ok' | 'unknown' | 'warning' | 'critical';

export interface ServiceHealthView {
  service: string;
  tier: number;
  at: string;
  windowSeconds: number;
  status: HealthStatus;
  reasons: string[];
  metrics: Array<{ metric: string; status: HealthStatus; value: number | null; warning: number; critical: number; reason: string }>;
}



// Change windows, freezes and pending approvals (src/services/change-windows.ts, pending-approvals.ts).
// Budgets and pending approvals are the server's own view types (type-only: nothing of the server reaches the bundle).
export type { ServiceBudgetView, SloBudgetView } from '../../services/budgets.ts';
export type { PendingApproval } from '../../services/pending-approvals.ts';

export interface ChangeWindows {
  at: string;
  open: boolean;
  reason: string;
  nextChange: string | null;
  source: string;
  windows: Array<{ name: string; kind: 'allow' | 'deny'; schedule: string; duration: string; timeZone: string; activeNow: boolean; closesAt?: string | null; opensAt?: string | null }>;
  freezes: Array<{ id: string; reason: string; start: string; end: string; services: string[]; tiers: string[]; state: 'in-force' | 'upcoming' | 'ended' }>;
  freezesSource: string;
}

