/** Loading Argo `strategy:` blocks and Rollout manifests into the rollout domain's `RolloutSpec`. */
export type { LoadedRollout, RolloutLoadResult, RolloutProblem } from './load-rollout.js';
export { loadRolloutSpecs } from './load-rollout.js';
