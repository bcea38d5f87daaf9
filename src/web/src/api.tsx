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

export interface Flag {
  key: string;
  state: string;
  defaultVariant: string | null;
  variants: Record<string, unknown>;
  definition: Record<string, unknown>;
  source: Record<string, unknown> | null;
  version: number;
  updatedAt: string;
  updatedBy: string;
  rolloutPercent: number | null;
  kill: Record<string, unknown> | null;
}

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
