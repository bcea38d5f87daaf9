import { stepRun, terminateRuns } from './analysis.js';
import { abort } from './abort.js';
import type { Ctx } from './context.js';
import { announce, update } from './context.js';
import type { Command } from './observations.js';
import { enterStep, promoteFull } from './steps.js';
import { isTerminal } from './status.js';
import { undo } from './undo.js';

/**
 * Applies one manual verb. Commands arrive validated and authorised; one that does not apply to
 * the current phase changes nothing but the status message (the service reports it to the user).
 */
export function applyCommand(ctx: Ctx, command: Command, index: number): void {
  const s = ctx.status;
  const tag = `cmd/${ctx.now}/${index}`;
  const done = isTerminal(s.phase);
  switch (command.verb) {
    case 'promote':
      if (done) return note(ctx, `promote ignored: rollout is ${s.phase}`);
      if (command.full) return promoteFull(ctx, command.actor);
      return promoteStep(ctx, command.actor, tag);
    case 'abort':
      if (done) return note(ctx, `abort ignored: rollout is ${s.phase}`);
      return abort(ctx, command.reason ?? `aborted by ${command.actor}`, command.actor);
    case 'retry':
      if (s.phase !== 'Aborted') return note(ctx, `retry ignored: only an Aborted rollout can be retried (it is ${s.phase})`);
      // The operator cannot have seen an abort decided at this instant; retrying it blind would undo a rollback.
      if (s.abort?.at === ctx.now) return note(ctx, `retry ignored: the rollout was aborted at this instant (${s.abort.reason}); read why, then retry`);
      return retry(ctx, command.actor);
    case 'pause':
      if (done || s.hold) return note(ctx, `pause ignored: rollout is ${s.hold ? 'already held' : s.phase}`);
      update(ctx, { hold: { reason: 'UserPause', since: ctx.now, actor: command.actor, message: `paused by ${command.actor}` } });
      return announce(ctx, 'paused', `${tag}/pause`, `paused by ${command.actor}`, command.actor);
    case 'resume':
      return resume(ctx, command.actor, tag);
    case 'undo':
      return undo(ctx, command.actor, command.toRevision);
  }
}

/** promote: leaves any hold and skips the current step (its pause or analysis). */
function promoteStep(ctx: Ctx, actor: string, tag: string): void {
  const s = ctx.status;
  update(ctx, { hold: undefined });
  announce(ctx, 'resumed', `${tag}/promote`, `promoted past step ${s.stepIndex + 1} by ${actor}`, actor);
  if (s.stepIndex === -1) return; // the canary must be healthy before traffic moves; promote only lifts a hold here
  terminateRuns(ctx, `${tag}/promote`, (r) => r.scope === s.stepIndex);
  if (s.stepIndex < ctx.plan.steps.length) enterStep(ctx, s.stepIndex + 1);
}

/** resume: lifts a hold. After Inconclusive the operator accepts the verdict: the analysis step is passed. */
function resume(ctx: Ctx, actor: string, tag: string): void {
  const hold = ctx.status.hold;
  if (!hold) return note(ctx, 'resume ignored: rollout is not held');
  update(ctx, { hold: undefined });
  announce(ctx, 'resumed', `${tag}/resume`, `resumed by ${actor} (was ${hold.reason})`, actor);
  if (hold.reason === 'ProgressDeadline') update(ctx, { stepStartedAt: ctx.now });
  if (hold.reason === 'InconclusiveAnalysis' && stepRun(ctx)?.phase === 'Inconclusive') enterStep(ctx, ctx.status.stepIndex + 1);
}

/** retry: restarts an Aborted rollout from its first step, as a new attempt (new run refs, new effect keys). */
function retry(ctx: Ctx, actor: string): void {
  const s = ctx.status;
  const keepScaleDown = s.scaleDown && s.scaleDown.version.revision !== s.canary.revision;
  update(ctx, {
    attempt: s.attempt + 1, phase: 'Progressing', message: `retried by ${actor}`, stepIndex: -1, stepStartedAt: ctx.now,
    canaryStarted: false, canaryReady: false, analysisRuns: [], abort: undefined, hold: undefined, pause: undefined, rollbackVerified: undefined,
    scaleDown: keepScaleDown ? s.scaleDown : undefined,
  });
  announce(ctx, 'retried', 'retry', `retried by ${actor}`, actor);
}

function note(ctx: Ctx, message: string): void {
  update(ctx, { message });
}

