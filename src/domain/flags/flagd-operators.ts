/**
 * flagd's custom JsonLogic operators: `fractional`, `sem_ver`, `starts_with`, `ends_with`.
 *
 * Contract shared with flagd: a malformed call (wrong argument count or types, invalid version,
 * unknown sem_ver operator, zero total weight, missing bucketing key) evaluates to `null`, never
 * `false`, so that the flag falls back to its default variant instead of selecting a variant
 * literally named "false".
 */
import { ownProperty } from './json-value.js';
import type { JsonValue } from './json-value.js';
import { MAX_TOTAL_WEIGHT, pickWeighted } from './fractional.js';
import type { WeightedEntry } from './fractional.js';
import { murmur3x86_32 } from './murmur3.js';
import { isSemVerOperator, parseSemVer, semVerMatches } from './semver.js';
import { isLiteral } from './logic-types.js';
import type { EvaluationScope, Evaluator, OperatorFactory } from './logic-types.js';

const none: Evaluator = () => null;

function evaluateAll(args: readonly Evaluator[], data: unknown, scope: EvaluationScope): unknown[] {
  const values = new Array<unknown>(args.length);
  for (let i = 0; i < args.length; i++) values[i] = (args[i] as Evaluator)(data, scope);
  return values;
}

function stringPair(test: (value: string, affix: string) => boolean): OperatorFactory {
  return (args) => (data, scope) => {
    if (args.length !== 2) return null;
    const value = (args[0] as Evaluator)(data, scope);
    const affix = (args[1] as Evaluator)(data, scope);
    if (typeof value !== 'string' || typeof affix !== 'string') return null;
    return test(value, affix);
  };
}

const semVerOperator: OperatorFactory = (args, raw) => {
  if (args.length !== 3) return none;
  const [actualOf, operatorOf, targetOf] = args as [Evaluator, Evaluator, Evaluator];
  const [, operatorRaw, targetRaw] = raw as [JsonValue, JsonValue, JsonValue];
  if (isLiteral(operatorRaw) && isLiteral(targetRaw)) {
    // The usual `[{"var": "version"}, ">=", "1.2.0"]`: check the operator and parse the target once.
    const target = parseSemVer(targetRaw);
    if (!isSemVerOperator(operatorRaw) || target === null) return none;
    return (data, scope) => {
      const actual = parseSemVer(actualOf(data, scope));
      return actual === null ? null : semVerMatches(actual, operatorRaw, target);
    };
  }
  return (data, scope) => {
    const actual = parseSemVer(actualOf(data, scope));
    const operator = operatorOf(data, scope);
    const target = parseSemVer(targetOf(data, scope));
    if (actual === null || target === null || !isSemVerOperator(operator)) return null;
    return semVerMatches(actual, operator, target);
  };
};

/** One evaluated bucket `[variant, weight?]`; `undefined` when it is malformed. */
function toEntry(bucket: unknown): WeightedEntry<unknown> | undefined {
  if (!Array.isArray(bucket) || bucket.length === 0) return undefined;
  const variant: unknown = bucket[0];
  const kind = typeof variant;
  if (variant !== null && kind !== 'string' && kind !== 'boolean' && kind !== 'number') return undefined;
  const rawWeight: unknown = bucket.length >= 2 ? bucket[1] : null;
  if (rawWeight === null || rawWeight === undefined) return { value: variant, weight: 1 };
  if (typeof rawWeight !== 'number' || !Number.isInteger(rawWeight)) return undefined;
  // flagd clamps a negative weight to zero rather than rejecting the rule.
  const weight = Math.max(0, rawWeight);
  if (weight > MAX_TOTAL_WEIGHT) return undefined;
  return { value: variant, weight };
}

interface Distribution {
  readonly entries: readonly WeightedEntry<unknown>[];
}

/** Validates evaluated buckets; `undefined` when any is malformed or the weights are unusable. */
function toDistribution(buckets: readonly unknown[]): Distribution | undefined {
  if (buckets.length === 0) return undefined;
  const entries: WeightedEntry<unknown>[] = [];
  let total = 0;
  for (const bucket of buckets) {
    const entry = toEntry(bucket);
    if (entry === undefined) return undefined;
    total += entry.weight;
    entries.push(entry);
  }
  if (total === 0 || total > MAX_TOTAL_WEIGHT) return undefined;
  return { entries };
}

/** The targeting-key based bucketing key, or `undefined` without a string targetingKey. */
function defaultKey(scope: EvaluationScope): string | undefined {
  const targetingKey = ownProperty(scope.context, 'targetingKey');
  return typeof targetingKey === 'string' ? scope.flagKey + targetingKey : undefined;
}

/**
 * `fractional`: arguments are evaluated first (so variant names and weights may be expressions).
 * If the first evaluates to a string it is the bucketing key; otherwise (null, or already a
 * bucket) the key is `$flagd.flagKey` + the context's `targetingKey`.
 * Literal buckets (the usual case) are validated once, at compile time.
 */
const fractionalOperator: OperatorFactory = (args, raw, options) => {
  const version = options.bucketingVersion;
  const pick = (key: string | undefined, distribution: Distribution | undefined): unknown => {
    if (key === undefined || distribution === undefined) return null;
    const index = pickWeighted(murmur3x86_32(key), distribution.entries, version);
    return index < 0 ? null : (distribution.entries[index] as WeightedEntry<unknown>).value;
  };
  const generic: Evaluator = (data, scope) => {
    const values = evaluateAll(args, data, scope);
    if (typeof values[0] === 'string') return pick(values[0], toDistribution(values.slice(1)));
    const buckets = values[0] === null || values[0] === undefined ? values.slice(1) : values;
    return pick(defaultKey(scope), toDistribution(buckets));
  };
  const firstIsBucket = Array.isArray(raw[0]);
  const rest = firstIsBucket ? raw : raw.slice(1);
  if (!rest.every(isLiteral)) return generic;
  const distribution = toDistribution(rest);
  if (firstIsBucket) return (_data, scope) => pick(defaultKey(scope), distribution);
  const keyOf = args[0] ?? none;
  return (data, scope) => {
    const first = keyOf(data, scope);
    if (typeof first === 'string') return pick(first, distribution);
    if (first === null || first === undefined) return pick(defaultKey(scope), distribution);
    return generic(data, scope); // an expression that produced a bucket: rare, take the slow path
  };
};

export const flagdOperators: Readonly<Record<string, OperatorFactory>> = {
  fractional: fractionalOperator,
  sem_ver: semVerOperator,
  starts_with: stringPair((value, prefix) => value.startsWith(prefix)),
  ends_with: stringPair((value, suffix) => value.endsWith(suffix)),
};
