import type { AnalysisPhase } from '../analysis/phase.js';

/**
 * Rollout phases. decide() is the only function that moves a rollout from one to another.
 *
 * - `Pending`: created, nothing applied yet.
 * - `Progressing`: the canary is starting, traffic is shifting or an analysis is running.
 * - `Paused`: a pause step is timing, the rollout waits for `promote`, or a hold is set
 *   (user pause, inconclusive analysis, progress deadline).
 * - `Healthy`: promoted; the new version serves 100 % and is the stable one.
 * - `Aborted`: rolled back automatically or by `abort`; all traffic is on stable. `retry` restarts it.
 * - `RolledBack`: `undo` put the previous version back after a promotion.
 */
export type RolloutPhase = 'Pending' | 'Progressing' | 'Paused' | 'Healthy' | 'Aborted' | 'RolledBack';

/** True for phases that only a command can leave (promote, retry, undo); timers may still fire scale-down. */
export function isTerminal(phase: RolloutPhase): boolean {
  return phase === 'Healthy' || phase === 'Aborted' || phase === 'RolledBack';
}

export interface VersionRef {
  readonly version: string;
  readonly revision: number;
}

/** An analysis run this rollout started, with the last phase decide() acted on. */
export interface AnalysisRunRecord {
  readonly ref: string;
  /** `background`, or the plan step index the run belongs to. */
  readonly scope: 'background' | number;
  readonly templates: readonly string[];
  readonly phase: AnalysisPhase;
  /** Set when the rollout stopped the run before its verdict (promote, completion, abort). */
  readonly terminated?: boolean;
}

/** Why a rollout holds until resume/promote. */
export type HoldReason = 'UserPause' | 'InconclusiveAnalysis' | 'ProgressDeadline';

export interface Hold {
  readonly reason: HoldReason;
  readonly since: number;
  readonly actor: string;
  readonly message: string;
}

export interface AbortRecord {
  readonly reason: string;
  readonly actor: string;
  readonly at: number;
}

/**
 * Durable facts of one rollout: enough to resume exactly after the process dies at any instant.
 * All times are epoch milliseconds. JSON-serialisable.
 */
export interface RolloutStatus {
  /** Stable id; analysis refs and effect keys derive from it. */
  readonly id: string;
  readonly service: string;
  /** 1 for the first run; `retry` increments it so refs and effect keys stay unique. */
  readonly attempt: number;
  readonly phase: RolloutPhase;
  readonly message: string;
  /** -1 while the canary starts; `steps.length` once every step is done. */
  readonly stepIndex: number;
  readonly stepStartedAt: number;
  /** The running timed or indefinite pause step; `until` absent means until promote. */
  readonly pause?: { readonly startedAt: number; readonly until?: number };
  readonly hold?: Hold;
  readonly canaryStarted: boolean;
  readonly canaryReady: boolean;
  readonly analysisRuns: readonly AnalysisRunRecord[];
  readonly canary: VersionRef;
  readonly stable: VersionRef;
  /** Traffic percentages as last applied. */
  readonly weights: { readonly canary: number; readonly stable: number };
  readonly headerRoutes: readonly string[];
  readonly mirrors: readonly string[];
  readonly abort?: AbortRecord;
  /** The version replaced by the last promotion, warm until `rollbackWindowUntil`. */
  readonly previous?: VersionRef;
  readonly rollbackWindowUntil?: number;
  /** A version to stop once `at` passes (the canary after abort, the old stable after promotion). */
  readonly scaleDown?: { readonly version: VersionRef; readonly at: number };
  readonly promotedAt?: number;
  readonly startedAt: number;
  /** When the current step times out; set only while a step waits on something other than a timer. */
  readonly progressDeadlineAt?: number;
  /** `promote --full` asked before the canary was healthy: done by this actor as soon as it is. */
  readonly fullPromotionBy?: string;
  /** After an abort: true once stable was reported healthy, false if it was reported unhealthy. */
  readonly rollbackVerified?: boolean;
}

export interface NewRollout {
  readonly id: string;
  readonly service: string;
  readonly canary: VersionRef;
  readonly stable: VersionRef;
}

/** The status of a rollout that has not run yet (phase Pending, all traffic on stable). */
export function createRolloutStatus(input: NewRollout, now: number): RolloutStatus {
  return {
    id: input.id, service: input.service, attempt: 1, phase: 'Pending', message: 'created',
    stepIndex: -1, stepStartedAt: now, canaryStarted: false, canaryReady: false, analysisRuns: [],
    canary: input.canary, stable: input.stable, weights: { canary: 0, stable: 100 },
    headerRoutes: [], mirrors: [], startedAt: now,
  };
}
