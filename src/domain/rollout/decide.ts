import { applyCommand } from './commands.js';
import type { Ctx } from './context.js';
import { update } from './context.js';
import { checkDeadline, detect } from './detect.js';
import type { Effect } from './effects.js';
import type { Observations } from './observations.js';
import { planOf } from './plan.js';
import type { RolloutSpec } from './spec.js';
import type { RolloutPhase, RolloutStatus } from './status.js';
import { isTerminal } from './status.js';
import { progress, waitingOnProgress } from './steps.js';
import { fireScaleDown, requeueAfter, verifyRollback } from './timers.js';

export interface Decision {
  readonly status: RolloutStatus;
  /** In order; the reconciler applies them idempotently by `key` after persisting `status`. */
  readonly effects: readonly Effect[];
  /** Milliseconds until decide() should run again without new observations; null: only on a command. */
  readonly requeueAfterMs: number | null;
}

/**
 * The rollout controller's one decision function, and the only writer of a rollout's phase.
 * Pure: the same inputs give the same output. Order within a call: detection first (Failed/Error
 * analysis, unhealthy canary, synthetic failure abort at once; Inconclusive holds), so no command
 * can promote past a verdict it has not seen; then manual commands; then progression through every step that can finish at `now`, then the
 * progress deadline, then scale-down timers.
 *
 * Idempotent in the sense the reconciler needs: calling decide() again on the status it returned,
 * with the same observations and no new commands, returns that status and no effects. Entry
 * effects are emitted only when the step index changes, verdicts only when a run's recorded
 * phase changes, and every effect carries a key naming the attempt and step.
 */
export function decide(spec: RolloutSpec, status: RolloutStatus, observations: Observations, now: number): Decision {
  const ctx: Ctx = { plan: planOf(spec), obs: observations, now, status, effects: [] };
  detect(ctx);
  (observations.commands ?? []).forEach((command, i) => applyCommand(ctx, command, i));
  detect(ctx);
  progress(ctx);
  detect(ctx);
  checkDeadline(ctx);
  fireScaleDown(ctx);
  verifyRollback(ctx);
  const phase = phaseOf(ctx.status);
  if (phase !== ctx.status.phase) update(ctx, { phase });
  const deadline = waitingOnProgress(ctx) ? ctx.status.stepStartedAt + ctx.plan.progressDeadlineMs : undefined;
  if (deadline !== ctx.status.progressDeadlineAt) update(ctx, { progressDeadlineAt: deadline });
  return { status: ctx.status, effects: ctx.effects, requeueAfterMs: requeueAfter(ctx) };
}

/** Phase of a live rollout from its facts: Paused while a pause step runs or a hold is set. */
function phaseOf(s: RolloutStatus): RolloutPhase {
  if (isTerminal(s.phase)) return s.phase;
  if (s.phase === 'Pending') return s.hold ? 'Paused' : 'Pending';
  return s.hold || s.pause ? 'Paused' : 'Progressing';
}
