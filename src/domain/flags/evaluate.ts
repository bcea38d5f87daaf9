/**
 * `evaluate()`: resolve one flag for one context, the way flagd does.
 *
 * Order: missing flag → FLAG_NOT_FOUND; DISABLED → the caller's default with reason DISABLED;
 * no targeting → the default variant (STATIC), or the caller's default (DEFAULT) when
 * defaultVariant is null; targeting → its result names a variant (TARGETING_MATCH), while
 * null / no result / a name that is not a variant falls back to the default variant (DEFAULT).
 * The served value must match the requested type, else TYPE_MISMATCH.
 * Never throws: every failure is returned as reason ERROR with an error code and the caller's default.
 */
import { isJsonObject } from './json-value.js';
import type { CompiledFlag, FlagMetadata, FlagSet } from './flag-model.js';
import { matchesType } from './resolution.js';
import type {
  EvaluationContext,
  EvaluationErrorCode,
  FlagValueTypes,
  RequestedType,
  ResolutionDetails,
  ResolutionReason,
} from './resolution.js';

const EMPTY_CONTEXT: EvaluationContext = Object.freeze({});

/**
 * Evaluates `key` in `flagSet` as `type` ('any' skips the type check). `now` is epoch milliseconds (or a
 * function returning them, called only when a targeting rule runs); the rule sees it as
 * `$flagd.timestamp` in whole seconds, with `$flagd.flagKey` set to `key` (a `$flagd` entry in
 * the caller's context is ignored, as flagd overwrites it).
 */
export function evaluate<K extends RequestedType>(
  flagSet: FlagSet,
  key: string,
  type: K,
  defaultValue: FlagValueTypes[K],
  context: EvaluationContext | undefined,
  now: number | (() => number),
): ResolutionDetails<FlagValueTypes[K]> {
  const flag = flagSet.flags.get(key);
  if (!flag) {
    return failure(key, defaultValue, 'FLAG_NOT_FOUND', `flag "${key}" is not defined`, flagSet.metadata);
  }
  const metadata = mergeMetadata(flagSet.metadata, flag.metadata);
  if (flag.state === 'DISABLED') return { flagKey: key, value: defaultValue, reason: 'DISABLED', flagMetadata: metadata };
  if (context !== undefined && !isJsonObject(context)) {
    return failure(key, defaultValue, 'INVALID_CONTEXT', `the evaluation context for flag "${key}" must be an object`, metadata);
  }

  let variant: string | null = flag.defaultVariant;
  let reason: ResolutionReason = 'STATIC';
  const compiled = flag.compiled;
  if (compiled.kind === 'invalid') {
    return failure(key, defaultValue, 'PARSE_ERROR', `targeting of flag "${key}" is invalid: ${compiled.message}`, metadata);
  }
  if (compiled.kind === 'rule') {
    const data = context ?? EMPTY_CONTEXT;
    let result: unknown;
    try {
      // The clock is read only for flags with targeting: a static flag costs no clock read.
      const nowMs = typeof now === 'function' ? now() : now;
      result = compiled.evaluate(data, { context: data, flagKey: key, timestamp: Math.floor(nowMs / 1000) });
    } catch (error) {
      return failure(key, defaultValue, 'GENERAL', `targeting of flag "${key}" failed: ${describe(error)}`, metadata);
    }
    const name = variantName(result);
    if (name !== undefined && flag.variantNames.has(name)) {
      variant = name;
      reason = 'TARGETING_MATCH';
    } else {
      reason = 'DEFAULT';
    }
  } else if (variant === null) {
    reason = 'DEFAULT';
  }

  if (variant === null) return { flagKey: key, value: defaultValue, reason: 'DEFAULT', flagMetadata: metadata };
  return serve(flag, variant, reason, type, defaultValue, metadata);
}

function serve<K extends RequestedType>(
  flag: CompiledFlag,
  variant: string,
  reason: ResolutionReason,
  type: K,
  defaultValue: FlagValueTypes[K],
  metadata: FlagMetadata,
): ResolutionDetails<FlagValueTypes[K]> {
  const value = flag.variants[variant];
  if (!matchesType(value, type)) {
    const message = `flag "${flag.key}" variant "${variant}" is ${describeType(value)}, not ${type}`;
    return failure(flag.key, defaultValue, 'TYPE_MISMATCH', message, metadata);
  }
  return { flagKey: flag.key, value: value as FlagValueTypes[K], variant, reason, flagMetadata: metadata };
}

/** A targeting result names a variant when it is a string, boolean or number (flagd stringifies). */
function variantName(result: unknown): string | undefined {
  if (typeof result === 'string') return result;
  if (typeof result === 'boolean' || (typeof result === 'number' && Number.isFinite(result))) return String(result);
  return undefined;
}

function failure<T>(flagKey: string, value: T, errorCode: EvaluationErrorCode, errorMessage: string, flagMetadata: FlagMetadata): ResolutionDetails<T> {
  return { flagKey, value, reason: 'ERROR', errorCode, errorMessage, flagMetadata };
}

function mergeMetadata(setMetadata: FlagMetadata, flagMetadata: FlagMetadata): FlagMetadata {
  const setEmpty = Object.keys(setMetadata).length === 0;
  if (setEmpty) return flagMetadata;
  if (Object.keys(flagMetadata).length === 0) return setMetadata;
  return Object.freeze({ ...setMetadata, ...flagMetadata });
}

function describeType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'an integer' : 'a float';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
