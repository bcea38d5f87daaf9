import { startRun, stepRun, terminateRuns } from './analysis.js';
import { clearRoutes } from './abort.js';
import type { Ctx } from './context.js';
import { announce, applyWeights, emit, keyOf, update } from './context.js';
import { AUTO_ACTOR } from './observations.js';
import { enterPause, pauseElapsed } from './pause.js';
import { isTerminal } from './status.js';

/**
 * Moves to step `index` and performs its entry: traffic steps apply at once, a pause starts its
 * timer, an analysis starts its run. Entry effects are emitted only here, when the index
 * changes, which is what keeps a repeated decide() free of duplicate effects.
 */
export function enterStep(ctx: Ctx, index: number): void {
  update(ctx, { stepIndex: index, stepStartedAt: ctx.now, pause: undefined });
  const bg = ctx.plan.background;
  if (bg && index === (bg.startingStep ?? 0)) startRun(ctx, 'background', bg);
  const step = ctx.plan.steps[index];
  if (!step) return;
  switch (step.kind) {
    case 'setWeight':
      applyWeights(ctx, step.weight, `s${index}`);
      announce(ctx, 'step', `s${index}`, `step ${index + 1}/${ctx.plan.steps.length}: canary weight ${step.weight}%`, AUTO_ACTOR);
      return;
    case 'pause':
      enterPause(ctx, step.durationMs);
      return;
    case 'analysis':
      startRun(ctx, index, step.analysis);
      return;
    case 'setHeaderRoute': {
      emit(ctx, { type: 'setHeaderRoute', key: keyOf(ctx, `s${index}`, 'header'), name: step.name, ...(step.match ? { match: step.match } : {}) });
      const others = ctx.status.headerRoutes.filter((n) => n !== step.name);
      update(ctx, { headerRoutes: step.match ? [...others, step.name] : others });
      return;
    }
    case 'setMirrorRoute': {
      const percentage = step.match || step.percentage !== undefined ? step.percentage ?? 100 : 0;
      emit(ctx, { type: 'setMirror', key: keyOf(ctx, `s${index}`, 'mirror'), name: step.name, percentage, ...(step.match ? { match: step.match } : {}) });
      const others = ctx.status.mirrors.filter((n) => n !== step.name);
      update(ctx, { mirrors: percentage > 0 ? [...others, step.name] : others });
      return;
    }
  }
}

/** True when the current step has finished (traffic steps at once; pauses on their timer; analyses on Successful). */
export function stepDone(ctx: Ctx): boolean {
  const step = ctx.plan.steps[ctx.status.stepIndex];
  if (!step) return true;
  if (step.kind === 'pause') return pauseElapsed(ctx);
  if (step.kind === 'analysis') return stepRun(ctx)?.phase === 'Successful';
  return true;
}

/** True when the rollout waits on something other than a timer (canary readiness or an analysis): the progress deadline applies. */
export function waitingOnProgress(ctx: Ctx): boolean {
  const s = ctx.status;
  if (isTerminal(s.phase) || s.hold || s.phase === 'Pending') return false;
  if (s.stepIndex === -1) return !s.canaryReady;
  return ctx.plan.steps[s.stepIndex]?.kind === 'analysis' && !stepDone(ctx);
}

/**
 * Advances through as many steps as can finish at `now`. Starts the canary first and waits until
 * it reports Healthy before any traffic moves. Stops at a hold, a running pause or analysis, or
 * completion.
 */
export function progress(ctx: Ctx): void {
  for (let guard = 0; guard <= ctx.plan.steps.length + 2; guard++) {
    const s = ctx.status;
    if (s.hold || isTerminal(s.phase)) return;
    if (s.stepIndex === -1) {
      if (!s.canaryStarted) {
        emit(ctx, { type: 'startVersion', key: keyOf(ctx, 'start', 'version'), version: s.canary, ...(ctx.plan.previewService ? { previewService: ctx.plan.previewService } : {}) });
        update(ctx, { canaryStarted: true, phase: 'Progressing', message: `starting ${s.canary.version}`, stepStartedAt: ctx.now });
        announce(ctx, 'started', 'start', `rollout of ${s.canary.version} (revision ${s.canary.revision}) over ${s.stable.version}`, AUTO_ACTOR);
      }
      if (!ctx.status.canaryReady) {
        if (ctx.obs.canaryHealth !== 'Healthy') return;
        update(ctx, { canaryReady: true });
      }
      const fullBy = ctx.status.fullPromotionBy;
      if (fullBy !== undefined) return promoteFull(ctx, fullBy);
      enterStep(ctx, 0);
      continue;
    }
    if (s.stepIndex >= ctx.plan.steps.length) return complete(ctx);
    if (!stepDone(ctx)) return;
    enterStep(ctx, s.stepIndex + 1);
  }
}

/**
 * promote --full: the canary takes 100 % and the rollout completes in the same call. Asked
 * before the canary is healthy, it is remembered and done the moment the canary is: traffic
 * never goes to a version that has not reported healthy.
 */
export function promoteFull(ctx: Ctx, actor: string): void {
  if (!ctx.status.canaryReady) {
    update(ctx, { fullPromotionBy: actor, hold: undefined });
    return;
  }
  terminateRuns(ctx, 'full');
  update(ctx, { hold: undefined, pause: undefined, stepIndex: ctx.plan.steps.length, stepStartedAt: ctx.now, fullPromotionBy: undefined });
  applyWeights(ctx, 100, 'full');
  complete(ctx, actor);
}

/**
 * Promotion: the canary becomes stable and serves 100 %; the old stable stays warm for the
 * scale-down delay, which is also the window for an instant undo. Runs once per attempt: the
 * phase turns Healthy, which no later call leaves without a command.
 */
export function complete(ctx: Ctx, actor: string = AUTO_ACTOR): void {
  if (isTerminal(ctx.status.phase)) return;
  terminateRuns(ctx, 'complete');
  clearRoutes(ctx, 'complete');
  const { canary, stable } = ctx.status;
  const until = ctx.now + ctx.plan.scaleDownDelayMs;
  update(ctx, {
    phase: 'Healthy', message: `promoted ${canary.version}`, stable: canary, previous: stable, weights: { canary: 0, stable: 100 },
    promotedAt: ctx.now, rollbackWindowUntil: until, scaleDown: { version: stable, at: until }, stepIndex: ctx.plan.steps.length, hold: undefined, pause: undefined, fullPromotionBy: undefined,
  });
  emit(ctx, { type: 'setWeight', key: keyOf(ctx, 'complete', 'weight'), canary, stable: canary, canaryWeight: 0, stableWeight: 100 });
  announce(ctx, 'promoted', 'complete', `${canary.version} promoted to stable`, actor);
}
