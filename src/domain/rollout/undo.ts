import { abort } from './abort.js';
import type { Ctx } from './context.js';
import { announce, emit, keyOf, update } from './context.js';
import { DEFAULTS } from './spec.js';

/**
 * undo [--to-revision N]:
 * - after a promotion, inside the rollback window, to the previous revision: instant — the
 *   previous version, still warm, takes 100 % in this call (phase RolledBack);
 * - after a promotion outside the window, or to another revision: a `startRollout` effect asks
 *   the service for a new rollout of that revision;
 * - while progressing or paused: an abort (traffic back to stable) by the actor;
 * - when aborted: already on stable, so only another revision starts a new rollout.
 */
export function undo(ctx: Ctx, actor: string, toRevision: number | undefined): void {
  const s = ctx.status;
  if (s.phase === 'Progressing' || s.phase === 'Paused' || s.phase === 'Pending') {
    return abort(ctx, `undo requested by ${actor}`, actor);
  }
  if (s.phase === 'Healthy' && s.previous) {
    const target = toRevision ?? s.previous.revision;
    const warm = s.rollbackWindowUntil !== undefined && ctx.now < s.rollbackWindowUntil;
    if (target === s.previous.revision && warm) return instantUndo(ctx, actor);
    return newRollout(ctx, actor, target, target === s.previous.revision ? s.previous.version : undefined, warm ? 'revision is not the warm previous one' : 'rollback window has passed');
  }
  const target = toRevision ?? s.previous?.revision;
  if (target === undefined || target === s.stable.revision) {
    update(ctx, { message: `undo ignored: ${s.stable.version} (revision ${s.stable.revision}) already serves all traffic` });
    return;
  }
  newRollout(ctx, actor, target, target === s.previous?.revision ? s.previous.version : undefined, `rollout is ${s.phase}`);
}

function instantUndo(ctx: Ctx, actor: string): void {
  const s = ctx.status;
  const back = s.previous;
  if (!back) return;
  const undone = s.stable;
  update(ctx, {
    phase: 'RolledBack', message: `undo: ${back.version} restored by ${actor}`, stable: back, canary: undone, previous: undone,
    weights: { canary: 0, stable: 100 }, rollbackWindowUntil: undefined,
    scaleDown: { version: undone, at: ctx.now + ctx.plan.scaleDownDelayMs },
  });
  emit(ctx, { type: 'setWeight', key: keyOf(ctx, 'undo', 'weight'), canary: undone, stable: back, canaryWeight: 0, stableWeight: 100 });
  emit(ctx, { type: 'verifyStableHealth', key: keyOf(ctx, 'undo', 'verify'), version: back, attempts: DEFAULTS.verifyAttempts, intervalMs: DEFAULTS.verifyIntervalMs });
  announce(ctx, 'undone', 'undo', `${undone.version} undone; ${back.version} (revision ${back.revision}) serves 100 %`, actor);
}

function newRollout(ctx: Ctx, actor: string, revision: number, version: string | undefined, why: string): void {
  const reason = `undo to revision ${revision} by ${actor}: a new rollout (${why})`;
  emit(ctx, { type: 'startRollout', key: keyOf(ctx, 'undo', `r${revision}`, ctx.now), revision, ...(version ? { version } : {}), reason, actor });
  update(ctx, { message: reason });
}
