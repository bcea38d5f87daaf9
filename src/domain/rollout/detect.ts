import { absorbRunPhases, measurementsOf } from './analysis.js';
import { abort } from './abort.js';
import type { Ctx } from './context.js';
import { announce, update } from './context.js';
import { AUTO_ACTOR } from './observations.js';
import { waitingOnProgress } from './steps.js';
import { isTerminal } from './status.js';

/**
 * The "detect → decide" boxes of the rollback flow. Failed or Error analysis, an unhealthy canary
 * or a failing synthetic check abort at once (traffic to stable in this call); Inconclusive holds
 * the rollout and notifies. Each verdict is acted on once: run phases are recorded in status.
 */
export function detect(ctx: Ctx): void {
  if (isTerminal(ctx.status.phase) || ctx.status.phase === 'Pending') return;
  const changed = absorbRunPhases(ctx);
  const failed = changed.find((r) => r.phase === 'Failed') ?? changed.find((r) => r.phase === 'Error');
  if (failed) {
    const message = ctx.obs.analysis?.[failed.ref]?.message;
    const where = failed.scope === 'background' ? 'background analysis' : `analysis at step ${failed.scope + 1}`;
    abort(ctx, `${where} ${failed.ref} (${failed.templates.join(', ')}) ${failed.phase}${message ? `: ${message}` : ''}`, AUTO_ACTOR, measurementsOf(ctx, failed.ref));
    return;
  }
  if (ctx.status.canaryStarted && ctx.obs.canaryHealth === 'Unhealthy') {
    abort(ctx, `canary ${ctx.status.canary.version} is unhealthy`, AUTO_ACTOR);
    return;
  }
  const synthetic = ctx.obs.syntheticFailures ?? [];
  if (ctx.status.canaryStarted && synthetic.length > 0) {
    abort(ctx, `synthetic check failed: ${synthetic.map((f) => `${f.check}: ${f.message}`).join('; ')}`, AUTO_ACTOR);
    return;
  }
  const inconclusive = changed.find((r) => r.phase === 'Inconclusive');
  if (inconclusive) {
    const reason = `analysis ${inconclusive.ref} (${inconclusive.templates.join(', ')}) is Inconclusive; promote or resume to continue, abort to roll back`;
    update(ctx, { hold: { reason: 'InconclusiveAnalysis', since: ctx.now, actor: AUTO_ACTOR, message: reason } });
    announce(ctx, 'inconclusive', `inconclusive/${inconclusive.ref}`, reason, AUTO_ACTOR, measurementsOf(ctx, inconclusive.ref));
  }
}

/**
 * Progress deadline, per step: a step that waits on something other than a timer for longer
 * than the deadline aborts or holds, as configured. Pauses never count (as in Argo).
 */
export function checkDeadline(ctx: Ctx): void {
  if (!waitingOnProgress(ctx)) return;
  const s = ctx.status;
  if (ctx.now < s.stepStartedAt + ctx.plan.progressDeadlineMs) return;
  const what = s.stepIndex === -1 ? `canary ${s.canary.version} did not become healthy` : `step ${s.stepIndex + 1} made no progress`;
  const reason = `ProgressDeadlineExceeded: ${what} within ${ctx.plan.progressDeadlineMs / 1000}s`;
  if (ctx.plan.onProgressDeadline === 'abort') {
    abort(ctx, reason, AUTO_ACTOR);
    return;
  }
  update(ctx, { hold: { reason: 'ProgressDeadline', since: ctx.now, actor: AUTO_ACTOR, message: reason } });
  announce(ctx, 'deadline', `deadline/s${s.stepIndex}/${s.stepStartedAt}`, reason, AUTO_ACTOR);
}
