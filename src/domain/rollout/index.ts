/**
 * The rollout controller's pure domain: spec and strategies by tier, durable status, and
 * decide(spec, status, observations, now) → { status, effects, requeueAfterMs }.
 */
export type * from './spec.js';
export { DEFAULTS } from './spec.js';
export type { StrategyName } from './strategies.js';
export { isStrategyName, SHADOW_ROUTE, STRATEGY_NAMES, strategyFor } from './strategies.js';
export type { Plan, PlanStep } from './plan.js';
export { planOf, weightAt } from './plan.js';
export type * from './status.js';
export { createRolloutStatus, isTerminal } from './status.js';
export type * from './effects.js';
export type * from './observations.js';
export { AUTO_ACTOR } from './observations.js';
export type { Decision } from './decide.js';
export { decide } from './decide.js';
export { restoreEffects } from './resume.js';
