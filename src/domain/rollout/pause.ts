import type { Ctx } from './context.js';
import { update } from './context.js';

/**
 * Enters a pause step. A timed pause ends at stepStartedAt + duration × speedFactor; the end is
 * stored when the pause starts, so a later change of budget band does not move it and a restart
 * resumes the same timer. An indefinite pause (no duration) ends only with promote.
 */
export function enterPause(ctx: Ctx, durationMs: number | undefined): void {
  const factor = speedFactor(ctx);
  update(ctx, { pause: durationMs === undefined ? { startedAt: ctx.now } : { startedAt: ctx.now, until: ctx.now + Math.round(durationMs * factor) } });
}

/** True once the current timed pause has run out; never for an indefinite pause. */
export function pauseElapsed(ctx: Ctx): boolean {
  const until = ctx.status.pause?.until;
  return until !== undefined && ctx.now >= until;
}

/** The budget band's pause multiplier; non-positive or non-finite values read as 1. */
export function speedFactor(ctx: Ctx): number {
  const f = ctx.obs.speedFactor;
  return f !== undefined && Number.isFinite(f) && f > 0 ? f : 1;
}
