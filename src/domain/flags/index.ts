/**
 * Feature flags, pure core: flagd flag definitions, JsonLogic targeting compiled to closures,
 * `fractional` bucketing (v2, and legacy v1), `sem_ver`, `starts_with` / `ends_with`, the
 * spec's friendly `featureConfig` form, and `evaluate()` with OpenFeature reasons and error codes.
 */
export type { JsonObject, JsonValue } from './json-value.js';
export { murmur3x86_32, murmur3x86_32Bytes } from './murmur3.js';
export { MAX_TOTAL_WEIGHT, bucketKey, bucketV2, pickWeighted } from './fractional.js';
export type { BucketingVersion, WeightedEntry } from './fractional.js';
export { compareSemVer, parseSemVer, semVerMatches } from './semver.js';
export type { SemVer, SemVerOperator } from './semver.js';
export { compileLogic, supportedOperators, truthy } from './json-logic.js';
export type { CompileResult } from './json-logic.js';
export type { CompileOptions, EvaluationScope, Evaluator } from './logic-types.js';
export { formatFlagIssue } from './flag-model.js';
export type {
  CompiledFlag,
  CompiledTargeting,
  FlagDefinition,
  FlagIssue,
  FlagMetadata,
  FlagSet,
  FlagState,
} from './flag-model.js';
export { parseFlagDefinition, parseFlagSet, parseFlagSetJson } from './parse-flag-set.js';
export type { ParseFlagResult, ParseFlagSetOptions, ParseFlagSetResult } from './parse-flag-set.js';
export { resolveRefs } from './evaluator-refs.js';
export { createFlagSet, withFlag, withoutFlag } from './flag-set.js';
export { evaluate } from './evaluate.js';
export { matchesType } from './resolution.js';
export type {
  EvaluationContext,
  EvaluationErrorCode,
  FlagValueType,
  FlagValueTypes,
  RequestedType,
  ResolutionDetails,
  ResolutionReason,
} from './resolution.js';
export { compileFeatureConfig, featureConfigSchema, ruleOperators } from './feature-config.js';
export type {
  CompileFeatureConfigResult,
  CompiledFeatureConfig,
  FeatureConfig,
  FlagGuardSpec,
  RuleOperator,
  Segments,
} from './feature-config.js';
export { parseGherkin, parseTableRow } from './gherkin.js';
export type { DataTable, GherkinResult, Pickle, PickleStep } from './gherkin.js';
