import { anyRunPending } from './analysis.js';
import type { Ctx } from './context.js';
import { announce, emit, keyOf, update } from './context.js';
import { AUTO_ACTOR } from './observations.js';
import { DEFAULTS } from './spec.js';
import { waitingOnProgress } from './steps.js';
import { isTerminal } from './status.js';

/** Stops the version whose scale-down delay has passed (the aborted canary, or the replaced stable). */
export function fireScaleDown(ctx: Ctx): void {
  const due = ctx.status.scaleDown;
  if (!due || ctx.now < due.at) return;
  emit(ctx, { type: 'stopVersion', key: keyOf(ctx, 'scale-down', due.version.version, due.version.revision), version: due.version });
  update(ctx, { scaleDown: undefined });
  if (ctx.status.rollbackWindowUntil !== undefined && ctx.now >= ctx.status.rollbackWindowUntil) update(ctx, { rollbackWindowUntil: undefined });
}

/**
 * The rollback flow's "verify" box: after an abort has been applied (a later call than the
 * abort itself), the stable health the reconciler reports (from verifyStableHealth's tries)
 * is recorded once and announced: verified, or still unhealthy (which needs a human).
 */
export function verifyRollback(ctx: Ctx): void {
  const s = ctx.status;
  if (s.phase !== 'Aborted' || !s.abort || s.abort.at >= ctx.now || s.rollbackVerified !== undefined) return;
  const health = ctx.obs.stableHealth;
  if (health !== 'Healthy' && health !== 'Unhealthy') return;
  update(ctx, { rollbackVerified: health === 'Healthy' });
  if (health === 'Healthy') announce(ctx, 'rollback-verified', 'verify', `stable ${s.stable.version} is healthy after the rollback`, AUTO_ACTOR);
  else announce(ctx, 'rollback-unhealthy', 'verify', `stable ${s.stable.version} is still unhealthy after the rollback; a human must look`, AUTO_ACTOR);
}

/**
 * When to call decide() again, as argo-rollouts' calculateNextReconcileTime does: the earliest of
 * the pause end, the progress deadline, the scale-down time; and a short poll while a verdict
 * or the canary's health is awaited. null when only a command can change anything.
 */
export function requeueAfter(ctx: Ctx): number | null {
  const s = ctx.status;
  const at: number[] = [];
  if (!isTerminal(s.phase) && !s.hold && s.pause?.until !== undefined) at.push(s.pause.until);
  if (waitingOnProgress(ctx)) at.push(s.stepStartedAt + ctx.plan.progressDeadlineMs);
  if (s.scaleDown) at.push(s.scaleDown.at);
  if (s.rollbackWindowUntil !== undefined) at.push(s.rollbackWindowUntil);
  if (waitingOnProgress(ctx) || (!isTerminal(s.phase) && anyRunPending(ctx))) at.push(ctx.now + DEFAULTS.pollIntervalMs);
  if (s.phase === 'Aborted' && s.rollbackVerified === undefined) at.push(ctx.now + DEFAULTS.verifyIntervalMs);
  if (at.length === 0) return null;
  return Math.max(0, Math.min(...at) - ctx.now);
}
