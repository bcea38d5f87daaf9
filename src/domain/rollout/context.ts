import type { DecidingMeasurement, Effect, RolloutEvent } from './effects.js';
import type { Observations } from './observations.js';
import type { Plan } from './plan.js';
import type { RolloutStatus } from './status.js';

/** The working state of one decide() call: the status so far and the effects emitted so far. */
export interface Ctx {
  readonly plan: Plan;
  readonly obs: Observations;
  readonly now: number;
  status: RolloutStatus;
  readonly effects: Effect[];
}

type Patch = { [K in keyof RolloutStatus]?: RolloutStatus[K] | undefined };

/** Applies a patch; a key set to undefined is removed, so statuses round-trip through JSON unchanged. */
export function update(ctx: Ctx, patch: Patch): void {
  const next: Record<string, unknown> = { ...ctx.status };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete next[k];
    else next[k] = v;
  }
  ctx.status = next as unknown as RolloutStatus;
}

/** `<id>/a<attempt>/<parts…>`: unique per rollout attempt and stable across replays. */
export function keyOf(ctx: Ctx, ...parts: (string | number)[]): string {
  return [ctx.status.id, `a${ctx.status.attempt}`, ...parts].join('/');
}

/** Emits the effect unless one with the same key was already emitted in this call. */
export function emit(ctx: Ctx, effect: Effect): void {
  if (!ctx.effects.some((e) => e.key === effect.key)) ctx.effects.push(effect);
}

/** A notification plus its history entry, both keyed by `tag`. */
export function announce(ctx: Ctx, event: RolloutEvent, tag: string, reason: string, actor: string, measurements: readonly DecidingMeasurement[] = []): void {
  emit(ctx, { type: 'notify', key: keyOf(ctx, tag, 'notify'), event, reason, actor, measurements });
  emit(ctx, { type: 'recordHistory', key: keyOf(ctx, tag, 'history'), event, actor, reason });
}

/** Emits a setWeight matching the status' weights after setting them. */
export function applyWeights(ctx: Ctx, canaryWeight: number, tag: string): void {
  update(ctx, { weights: { canary: canaryWeight, stable: 100 - canaryWeight } });
  const s = ctx.status;
  emit(ctx, { type: 'setWeight', key: keyOf(ctx, tag, 'weight'), canary: s.canary, stable: s.stable, canaryWeight, stableWeight: 100 - canaryWeight });
}
