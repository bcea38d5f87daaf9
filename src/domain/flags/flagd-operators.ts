/**
 * flagd's custom JsonLogic operators: `fractional`, `sem_ver`, `starts_with`, `ends_with`.
 *
 * Contract shared with flagd: a malformed call (wrong argument count or types, invalid version,
 * unknown sem_ver operator, zero total weight, missing bucketing key) evaluates to `null`, never
 * `false`, so that the flag falls back to its default variant instead of selecting a variant
 * literally named "false".
 */
import { ownProperty } from './json-value.js';
import { MAX_TOTAL_WEIGHT, pickWeighted } from './fractional.js';
import type { WeightedEntry } from './fractional.js';
import { murmur3x86_32 } from './murmur3.js';
import { isSemVerOperator, parseSemVer, semVerMatches } from './semver.js';
import type { Evaluator, OperatorFactory } from './logic-types.js';

function evaluateAll(args: readonly Evaluator[], data: unknown, root: unknown): unknown[] {
  const values = new Array<unknown>(args.length);
  for (let i = 0; i < args.length; i++) values[i] = (args[i] as Evaluator)(data, root);
  return values;
}

function stringPair(test: (value: string, affix: string) => boolean): OperatorFactory {
  return (args) => (data, root) => {
    if (args.length !== 2) return null;
    const value = (args[0] as Evaluator)(data, root);
    const affix = (args[1] as Evaluator)(data, root);
    if (typeof value !== 'string' || typeof affix !== 'string') return null;
    return test(value, affix);
  };
}

const semVerOperator: OperatorFactory = (args) => (data, root) => {
  if (args.length !== 3) return null;
  const [actualRaw, operator, targetRaw] = evaluateAll(args, data, root);
  if (!isSemVerOperator(operator)) return null;
  const actual = parseSemVer(actualRaw);
  const target = parseSemVer(targetRaw);
  if (actual === null || target === null) return null;
  return semVerMatches(actual, operator, target);
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

/**
 * `fractional`: arguments are evaluated first (so variant names and weights may be expressions).
 * If the first evaluates to a string it is the bucketing key; otherwise (null, or already a
 * bucket) the key is `$flagd.flagKey` + `targetingKey` from the root context.
 */
const fractionalOperator: OperatorFactory = (args, _raw, options) => (data, root) => {
  const values = evaluateAll(args, data, root);
  let key: string;
  let buckets: unknown[];
  if (typeof values[0] === 'string') {
    key = values[0];
    buckets = values.slice(1);
  } else {
    buckets = values[0] === null || values[0] === undefined ? values.slice(1) : values;
    const targetingKey = ownProperty(root, 'targetingKey');
    if (typeof targetingKey !== 'string') return null;
    const flagKey = ownProperty(ownProperty(root, '$flagd'), 'flagKey');
    key = `${typeof flagKey === 'string' ? flagKey : ''}${targetingKey}`;
  }
  if (buckets.length === 0) return null;
  const entries: WeightedEntry<unknown>[] = [];
  let total = 0;
  for (const bucket of buckets) {
    const entry = toEntry(bucket);
    if (entry === undefined) return null;
    total += entry.weight;
    entries.push(entry);
  }
  if (total === 0 || total > MAX_TOTAL_WEIGHT) return null;
  const picked = pickWeighted(murmur3x86_32(key), entries, options.bucketingVersion);
  return picked === undefined ? null : picked.value;
};

export const flagdOperators: Readonly<Record<string, OperatorFactory>> = {
  fractional: fractionalOperator,
  sem_ver: semVerOperator,
  starts_with: stringPair((value, prefix) => value.startsWith(prefix)),
  ends_with: stringPair((value, suffix) => value.endsWith(suffix)),
};
