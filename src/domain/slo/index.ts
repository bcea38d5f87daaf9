/** Public surface of the SLO domain: import from here, not from the files. */

export type { RollingWindowDays, SloWindow, PrometheusSeries, SloIndicator, AlertSeverity, BurnAlertCondition, SloSource, SloDefinition } from './types.js';
export { budgetRatio, rollingWindowDays } from './types.js';
export { DAY_MS, HOUR_MS, MINUTE_MS, formatDuration, parseDuration } from './duration.js';
export type { CountsSource, DenseSeries, MinuteSample, TimeRange, WindowCounts } from './counts.js';
export { createAggregateCounts, createPrefixSumCounts, createSampleCounts, densify, emptyCounts } from './counts.js';
export { aggregateWindows } from './aggregate.js';
export { budgetConsumed, budgetRemaining, budgetTotal, burnFactor, burnRate, errorRatio, timeToExhaustion } from './budget.js';
export type { AlertEvaluation, AlertState, BurnWindow, ConditionResult, ConditionState, WindowBurn } from './burn-alerts.js';
export { burnWindows, defaultBurnAlertPlan, defaultBurnAlerts, evaluateBurnAlerts, evaluateCondition } from './burn-alerts.js';
export type { BudgetPeriod } from './period.js';
export { budgetPeriod, periodLengthMs } from './period.js';
export type { BudgetState, SloStatus, StatusOptions, WindowStatus } from './status.js';
export { computeStatus } from './status.js';
export type { Approver, BudgetBand, ReleaseKind, ReleasePolicy, ServiceTier } from './policy.js';
export { bandFor, budgetBands, pauseFactorFor, releasePolicy } from './policy.js';
export type { SloProblem } from './validate.js';
export { validateSlo } from './validate.js';
export type { AlertingRule, RecordingRule, RuleGeneration, RuleGroup, RuleOptions } from './rules.js';
export { BURN_ALERT_NAME, generateRules, recordedWindows } from './rules.js';
export { errorRatioExpr, leRegex } from './rules-queries.js';
export type { Phase, Scenario, TestGeneration } from './rules-tests.js';
export { defaultScenarios, generateRuleTests } from './rules-tests.js';
