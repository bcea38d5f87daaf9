/**
 * The analysis domain's public surface: template model, resolution with defaults, conditions,
 * Argo's phase rules, scheduling, explanations, and the statistical canary judge. Pure.
 */
export type { AnalysisPhase, TerminalPhase } from './phase.js';
export { isTerminal, isWorse, worst } from './phase.js';
export type { DurationResult } from './duration.js';
export { formatDuration, parseDuration } from './duration.js';
export type * from './template.js';
export type { MetricValue } from './value.js';
export { formatValue } from './value.js';
export type { ArgProblem, ArgResult, ArgValues, ReleaseContext } from './args.js';
export { referencedArgs, resolveArgValues, substituteArgs } from './args.js';
export type { CompileResult, CompiledCondition, ConditionOutcome, ConditionProblem } from './condition.js';
export { compileCondition } from './condition.js';
export { DEFAULTS } from './defaults.js';
export type { ResolveOptions } from './resolve.js';
export type { ResolvedAnalysis, ResolvedJudge, ResolvedMetric, ResolvedNoData, ResolveProblem, ResolveResult } from './resolved.js';
export { resolve } from './resolve.js';
export type { Assessment, MeasurementPhase, MeasurementRecord, Observation } from './measurement.js';
export { assessMeasurement, recordMeasurement } from './measurement.js';
export type { MetricAssessment, MetricCounters, MetricResult } from './metric-result.js';
export { applyMeasurement, assessMetric, createMetricResult, limitBreach, ZERO_COUNTERS } from './metric-result.js';
export type { PhaseTally, RunAssessment } from './run-assessment.js';
export { assessRun, isTerminating } from './run-assessment.js';
export { isMeasurementDue, nextMeasurementAt, nextReconcileAt } from './schedule.js';
export type { RunSummary } from './summary.js';
export { summarizeRun } from './summary.js';
export type { ErrorWindow, SequentialDecision, SprtBoundaries, SprtConfig, SprtState } from './statistical/error-rate-sprt.js';
export { canaryShareOfErrors, createSprtState, DEFAULT_SPRT, expectedSecondsToDecide, sprtBoundaries, updateSprt, waldAsn } from './statistical/error-rate-sprt.js';
export type { LatencyTestConfig, LatencyVerdict, MannWhitneyResult } from './statistical/mann-whitney.js';
export { DEFAULT_LATENCY_TEST, judgeLatency, mannWhitneyGreater } from './statistical/mann-whitney.js';
export type { CanaryVerdict, ErrorRateVerdict, JudgeConfig, JudgeDecision } from './statistical/judge.js';
export { DEFAULT_JUDGE, errorRateVerdict, judgeCanary } from './statistical/judge.js';
