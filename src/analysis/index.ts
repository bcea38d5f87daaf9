/**
 * The analysis runner (I/O side, no store): steps a run through its measurements with the
 * configured metric providers and the domain's phase rules. The lead's services persist
 * AnalysisRunState (plain JSON) and call stepRun at each nextAt.
 */
export type { StoredValue } from './json-value.js';
export { decodeValue, encodeValue } from './json-value.js';
export type { AnalysisRunState, StoredMeasurement, StoredMetricResult } from './run-state.js';
export { createRunState, requestTermination, toDomainResult } from './run-state.js';
export type { StepOptions, StepResult } from './step-run.js';
export { stepRun } from './step-run.js';
export type { RetrospectiveOptions } from './retrospective.js';
export { runRetrospective } from './retrospective.js';
export type { CanaryComparison, JudgeState, JudgeStep } from './statistical-step.js';
export { stepStatisticalJudge } from './statistical-step.js';
