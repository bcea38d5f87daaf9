import type { RollupLeColumn } from './rollup-columns.js';

/** Row shapes of every table, shared by both dialects. Times are ISO-8601 UTC text. */
export interface Database {
  audit_events: {
    seq: number;
    id: string;
    time: string;
    actor: string;
    action: string;
    subject_kind: string;
    subject_id: string;
    service: string | null;
    payload: string;
    prev_hash: string;
    hash: string;
  };
  /** One row (id = 1): the seq and hash of the last append, written in the same transaction. */
  audit_head: { id: number; seq: number; hash: string };
  tokens: {
    id: string;
    name: string;
    token_hash: string;
    /** First characters of the token, for people to recognise it in lists. */
    prefix: string;
    /** JSON array of role names. */
    roles: string;
    created_at: string;
    created_by: string;
    revoked_at: string | null;
  };
  flags: {
    key: string;
    /** flagd definition JSON (refs resolved), as served. */
    definition: string;
    /** The friendly featureConfig it was compiled from, if any (JSON). */
    source: string | null;
    version: number;
    updated_at: string;
    updated_by: string;
    /** The kill-switch verdict that switched the flag off (JSON), or null. */
    kill: string | null;
    guard_state: string | null;
  };
  flag_versions: {
    key: string;
    version: number;
    definition: string;
    source: string | null;
    actor: string;
    reason: string;
    /** JSON array of {path, from, to}. */
    diff: string;
    time: string;
  };
  segments: { name: string; members: string; updated_at: string; updated_by: string };
  client_keys: {
    id: string;
    name: string;
    environment: string;
    key_hash: string;
    prefix: string;
    created_at: string;
    created_by: string;
    revoked_at: string | null;
  };
  releases: {
    id: string; service: string; version: string; environment: string; kind: string;
    created_at: string; created_by: string; decision_id: string; allow: number;
    /** JSON: the evidence facts (never report contents). */
    facts: string;
  };
  decisions: { id: string; release_id: string | null; created_at: string; allow: number; record: string; inputs: string };
  approvals: { release_id: string; approver: string; role: string; at: string; comment: string | null };
  incidents: {
    id: string; service: string; severity: string; kind: string; status: string; title: string;
    links: string; opened_at: string; opened_by: string; resolved_at: string | null;
  };
  slo_status: { service: string; error_budget_remaining_pct: number | null; fast_burn_rate: number | null; updated_at: string; updated_by: string };
  analysis_runs: {
    id: string;
    /** JSON: template texts, args, dry run: everything needed to resolve the analysis again. */
    spec: string;
    /** JSON: AnalysisRunState (NaN and ±Inf encoded). */
    state: string;
    phase: string;
    /** Epoch ms of the next measurement; null once finished. */
    next_at: number | null;
    created_at: string;
    created_by: string;
  };
  /** Exceptions: indexed columns, and the whole ExceptionRecord as JSON in `record`. */
  exceptions: {
    id: string; type: string; service: string; state: string; created_at: string;
    expiration: string | null; review_due: string | null; reviewed: number; record: string;
  };
  rollouts: {
    id: string;
    service: string;
    /** JSON RolloutSpec: the same spec is passed to every decide() of this rollout. */
    spec: string;
    /** JSON RolloutStatus (the domain's durable facts). */
    status: string;
    phase: string;
    /** JSON array of manual commands not yet seen by decide(). */
    commands: string;
    /** JSON array of effect keys already applied (effects are applied once). */
    applied: string;
    /** JSON array of the last decision's effects, saved with its status: a restart applies what is left. */
    pending: string;
    /** JSON map: analysis ref → analysis run id. */
    runs: string;
    release_id: string | null;
    created_at: string;
    created_by: string;
  };
  /** Anomaly alerts (0007): opened when a rule fires, resolved when its condition clears. */
  alerts: {
    id: string; service: string; rule: string; severity: string;
    /** firing | resolved */
    state: string;
    opened_at: string; resolved_at: string | null; summary: string;
    /** JSON: the signal at opening and, once resolved, at resolution. */
    detail: string;
  };
  /** Synthetic check results (0007): one row per check per run. */
  synthetic_results: {
    id: string; service: string; check_name: string; ok: number; duration_ms: number; at: string; target: string; message: string;
    /** The version the run was aimed at (0011); null when it ran against the service URL. */
    version: string | null;
  };
  /** Notifications waiting for (or done with) delivery: one row per event and notifier. */
  notification_outbox: {
    id: string; notifier: string; event_type: string;
    /** JSON: the NotificationEvent (never a secret). */
    event: string;
    /** pending | delivered | dead */
    state: string; attempts: number;
    /** Epoch ms when a pending row is next due (or its claim expires). */
    next_at: number;
    last_error: string | null; created_at: string; delivered_at: string | null;
  };
  /** Built-in proxy request counts per minute (0010): `le_*` are cumulative latency bucket counts. */
  rollup_minutes: RollupRow;
  /** The same per hour, each the sum of its minute rows; `minutes` is how many rows it sums. */
  rollup_hours: RollupRow & { minutes: number };
  /** The same per UTC day, each the sum of its hour rows. */
  rollup_days: RollupRow & { minutes: number };
  /** The last error-budget band seen per service (0010): a change is audited and notified once. */
  budget_bands: { service: string; band: string; remaining_pct: number | null; changed_at: string };
}

/** One rollup row: `start_ms` is the minute's (or hour's) start, epoch ms. */
export type RollupRow = {
  service: string; version: string; start_ms: number; requests: number; errors: number;
} & Record<RollupLeColumn, number>;
