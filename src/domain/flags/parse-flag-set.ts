/**
 * The validating parser of flagd flag-definition JSON (`{ flags, $evaluators, metadata }`).
 *
 * Structural faults (bad state, variants, defaultVariant, metadata) are errors: the set is
 * rejected and every fault is listed with its flag key and field. A targeting rule that does not
 * compile (unknown operator, `$ref` to a missing evaluator) is a warning by default: the flag is
 * kept and evaluates to PARSE_ERROR, as flagd does; `strictTargeting` turns these into errors.
 */
import { isJsonObject } from './json-value.js';
import type { JsonObject, JsonValue } from './json-value.js';
import { compileLogic } from './json-logic.js';
import type { BucketingVersion } from './fractional.js';
import type { CompiledFlag, CompiledTargeting, FlagIssue, FlagMetadata, FlagSet } from './flag-model.js';
import { resolveRefs } from './evaluator-refs.js';

export interface ParseFlagSetOptions {
  /** Reject the set when a targeting rule does not compile (default false: flag yields PARSE_ERROR). */
  readonly strictTargeting?: boolean;
  /** Bucketing version for flags that do not declare `bucketingVersion` (default 'v2'). */
  readonly defaultBucketingVersion?: BucketingVersion;
}

export type ParseFlagSetResult =
  | { readonly ok: true; readonly flagSet: FlagSet; readonly warnings: readonly FlagIssue[] }
  | { readonly ok: false; readonly errors: readonly FlagIssue[]; readonly warnings: readonly FlagIssue[] };

const KNOWN_TOP_LEVEL = new Set(['flags', '$evaluators', 'metadata', '$schema']);

/** Parses JSON text, then the flag set; a JSON syntax error becomes an issue, never a throw. */
export function parseFlagSetJson(text: string, options: ParseFlagSetOptions = {}): ParseFlagSetResult {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = `not valid JSON (${(error as Error).message}); fix the syntax and retry`;
    return { ok: false, errors: [{ flagKey: undefined, field: '(document)', message }], warnings: [] };
  }
  return parseFlagSet(value, options);
}

/** Validates and compiles a flagd flag set. Pure; never throws. */
export function parseFlagSet(input: unknown, options: ParseFlagSetOptions = {}): ParseFlagSetResult {
  const errors: FlagIssue[] = [];
  const warnings: FlagIssue[] = [];
  const setIssue = (field: string, message: string): void => void errors.push({ flagKey: undefined, field, message });

  if (!isJsonObject(input)) {
    setIssue('(document)', 'a flag set must be a JSON object with a "flags" object');
    return { ok: false, errors, warnings };
  }
  for (const key of Object.keys(input)) {
    if (!KNOWN_TOP_LEVEL.has(key)) warnings.push({ flagKey: undefined, field: key, message: 'unknown top-level field, ignored' });
  }
  const evaluators = input['$evaluators'] ?? {};
  if (!isJsonObject(evaluators)) setIssue('$evaluators', 'must be an object of named JsonLogic rules');
  const metadata = parseMetadata(input['metadata'], 'metadata', (field, message) => setIssue(field, message));
  const flags = input['flags'];
  if (!isJsonObject(flags)) {
    setIssue('flags', 'must be an object mapping flag keys to flag definitions');
    return { ok: false, errors, warnings };
  }

  const compiled = new Map<string, CompiledFlag>();
  for (const [key, raw] of Object.entries(flags)) {
    const result = parseFlagDefinition(key, raw, isJsonObject(evaluators) ? evaluators : {}, options);
    errors.push(...result.errors);
    warnings.push(...result.warnings);
    if (result.flag) compiled.set(key, result.flag);
  }
  if (errors.length > 0) return { ok: false, errors, warnings };
  return { ok: true, flagSet: { flags: compiled, metadata }, warnings };
}

export interface ParseFlagResult {
  /** Present when the definition has no structural error. */
  readonly flag: CompiledFlag | undefined;
  readonly errors: readonly FlagIssue[];
  readonly warnings: readonly FlagIssue[];
}

/** Validates and compiles one flag definition against the set's `$evaluators`. */
export function parseFlagDefinition(
  key: string,
  raw: unknown,
  evaluators: JsonObject,
  options: ParseFlagSetOptions = {},
): ParseFlagResult {
  const errors: FlagIssue[] = [];
  const warnings: FlagIssue[] = [];
  const fail = (field: string, message: string): void => void errors.push({ flagKey: key, field, message });

  if (key === '') fail('(key)', 'flag keys must be non-empty');
  if (!isJsonObject(raw)) {
    fail('(definition)', 'must be an object with state, variants and defaultVariant');
    return { flag: undefined, errors, warnings };
  }
  const state = raw['state'];
  if (state !== 'ENABLED' && state !== 'DISABLED') fail('state', `must be "ENABLED" or "DISABLED", got ${JSON.stringify(state)}`);

  const variants = raw['variants'];
  if (!isJsonObject(variants) || Object.keys(variants).length === 0) {
    fail('variants', 'must be a non-empty object mapping variant names to values');
  }
  const variantNames = new Set(isJsonObject(variants) ? Object.keys(variants) : []);

  const defaultVariant = raw['defaultVariant'] ?? null;
  if (defaultVariant !== null && typeof defaultVariant !== 'string') {
    fail('defaultVariant', 'must be a variant name, or null to serve the caller\'s default');
  } else if (typeof defaultVariant === 'string' && isJsonObject(variants) && !variantNames.has(defaultVariant)) {
    fail('defaultVariant', `"${defaultVariant}" is not one of the variants (${[...variantNames].join(', ')})`);
  }

  const version = raw['bucketingVersion'] ?? options.defaultBucketingVersion ?? 'v2';
  if (version !== 'v1' && version !== 'v2') fail('bucketingVersion', `must be "v1" or "v2", got ${JSON.stringify(version)}`);

  const metadata = parseMetadata(raw['metadata'], 'metadata', fail);

  let targeting: JsonValue | undefined = raw['targeting'];
  if (targeting !== undefined && !isJsonObject(targeting)) {
    fail('targeting', 'must be a JsonLogic object (or {} / absent for a static flag)');
  } else if (targeting !== undefined && Object.keys(targeting).length === 0) {
    targeting = undefined;
  }

  if (errors.length > 0) return { flag: undefined, errors, warnings };

  const bucketingVersion = version as BucketingVersion;
  let compiled: CompiledTargeting = { kind: 'static' };
  if (targeting !== undefined) {
    const resolved = resolveRefs(targeting, evaluators);
    targeting = resolved.value;
    const result = compileLogic(targeting, { bucketingVersion });
    const faults = [...resolved.issues.map((issue) => ({ field: 'targeting', message: issue }))];
    if (!result.ok) faults.push({ field: result.path, message: result.message });
    if (result.ok && faults.length === 0) {
      compiled = { kind: 'rule', evaluate: result.evaluate };
    } else {
      const issues = faults.map((fault) => ({ flagKey: key, ...fault }));
      (options.strictTargeting ? errors : warnings).push(...issues);
      compiled = { kind: 'invalid', message: faults.map((fault) => `${fault.field}: ${fault.message}`).join('; ') };
    }
  }
  if (errors.length > 0) return { flag: undefined, errors, warnings };

  const flag: CompiledFlag = {
    key,
    state: state as CompiledFlag['state'],
    variants: variants as JsonObject,
    defaultVariant: defaultVariant as string | null,
    targeting,
    metadata,
    bucketingVersion,
    compiled,
    variantNames,
  };
  return { flag: Object.freeze(flag), errors, warnings };
}

function parseMetadata(raw: unknown, field: string, fail: (field: string, message: string) => void): FlagMetadata {
  if (raw === undefined || raw === null) return Object.freeze({});
  if (!isJsonObject(raw)) {
    fail(field, 'must be an object of string, number or boolean values');
    return Object.freeze({});
  }
  const out: Record<string, string | number | boolean> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out[name] = value;
    else fail(`${field}.${name}`, 'metadata values must be strings, numbers or booleans');
  }
  return Object.freeze(out);
}
