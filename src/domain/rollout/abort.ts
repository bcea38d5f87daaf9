import { terminateRuns } from './analysis.js';
import type { Ctx } from './context.js';
import { announce, applyWeights, emit, keyOf, update } from './context.js';
import type { DecidingMeasurement } from './effects.js';
import { AUTO_ACTOR } from './observations.js';
import { DEFAULTS } from './spec.js';
import { isTerminal } from './status.js';

/**
 * Aborts the rollout: the first effect is traffic 100 % to stable, in this very call; then the
 * runs are stopped, header and mirror routes removed, and the rollback flow's remaining boxes are
 * emitted (verify stable health, notify, incident for automatic aborts, history). The canary is
 * kept warm for the abort scale-down delay, then stopped by a timer. A no-op on a terminal rollout.
 */
export function abort(ctx: Ctx, reason: string, actor: string, measurements: readonly DecidingMeasurement[] = []): void {
  if (isTerminal(ctx.status.phase)) return;
  applyWeights(ctx, 0, 'abort');
  terminateRuns(ctx, 'abort');
  clearRoutes(ctx, 'abort');
  const s = ctx.status;
  update(ctx, {
    phase: 'Aborted', message: `aborted: ${reason}`, abort: { reason, actor, at: ctx.now }, hold: undefined, pause: undefined, fullPromotionBy: undefined,
    scaleDown: s.canaryStarted ? { version: s.canary, at: ctx.now + ctx.plan.abortScaleDownDelayMs } : undefined,
  });
  emit(ctx, { type: 'verifyStableHealth', key: keyOf(ctx, 'abort', 'verify'), version: s.stable, attempts: DEFAULTS.verifyAttempts, intervalMs: DEFAULTS.verifyIntervalMs });
  announce(ctx, 'aborted', 'abort', reason, actor, measurements);
  if (actor === AUTO_ACTOR) emit(ctx, { type: 'openIncident', key: keyOf(ctx, 'abort', 'incident'), reason, measurements });
}

/** Removes every header route and mirror the rollout added (Argo removes managed routes at the end). */
export function clearRoutes(ctx: Ctx, tag: string): void {
  for (const name of ctx.status.headerRoutes) emit(ctx, { type: 'setHeaderRoute', key: keyOf(ctx, tag, 'header', name), name });
  for (const name of ctx.status.mirrors) emit(ctx, { type: 'setMirror', key: keyOf(ctx, tag, 'mirror', name), name, percentage: 0 });
  if (ctx.status.headerRoutes.length > 0 || ctx.status.mirrors.length > 0) update(ctx, { headerRoutes: [], mirrors: [] });
}
