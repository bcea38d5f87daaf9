/**
 * The flag model: flagd's flag definition, parsed, validated and compiled.
 * A `FlagSet` is immutable; build a new one (parseFlagSet) to change flags.
 */
import type { JsonValue } from './json-value.js';
import type { Evaluator } from './logic-types.js';
import type { BucketingVersion } from './fractional.js';

export type FlagState = 'ENABLED' | 'DISABLED';

/** flagd metadata values are scalars. */
export type FlagMetadata = Readonly<Record<string, string | number | boolean>>;

/** A flag as it was declared, after `$ref` substitution (the JSON to store or export). */
export interface FlagDefinition {
  readonly key: string;
  readonly state: FlagState;
  readonly variants: Readonly<Record<string, JsonValue>>;
  /** `null` means "serve the caller's default value" (reason DEFAULT). */
  readonly defaultVariant: string | null;
  /** JsonLogic; `undefined` for a static flag (absent or `{}` in the source). */
  readonly targeting: JsonValue | undefined;
  readonly metadata: FlagMetadata;
  /**
   * `fractional` algorithm of this flag: 'v2' unless the definition carries the Rampart extension
   * field `"bucketingVersion": "v1"` (flagd ignores unknown fields, so the JSON stays portable).
   */
  readonly bucketingVersion: BucketingVersion;
}

/** The compiled targeting of one flag: an evaluator, or why the rule could not be compiled. */
export type CompiledTargeting =
  | { readonly kind: 'static' }
  | { readonly kind: 'rule'; readonly evaluate: Evaluator }
  | { readonly kind: 'invalid'; readonly message: string };

export interface CompiledFlag extends FlagDefinition {
  readonly compiled: CompiledTargeting;
  /** Variant names, for O(1) membership checks without the prototype chain. */
  readonly variantNames: ReadonlySet<string>;
}

export interface FlagSet {
  readonly flags: ReadonlyMap<string, CompiledFlag>;
  /** Flag-set metadata, merged under each flag's own metadata at evaluation. */
  readonly metadata: FlagMetadata;
}

/** A problem found while parsing, located by flag key and field path. */
export interface FlagIssue {
  /** `undefined` for problems with the flag set itself. */
  readonly flagKey: string | undefined;
  /** Path inside the flag (or set): `defaultVariant`, `targeting.if[0]`, `$evaluators.is_ballmer`. */
  readonly field: string;
  readonly message: string;
}

/** Renders an issue as one line: `flag "x" field defaultVariant: …`. */
export function formatFlagIssue(issue: FlagIssue): string {
  const where = issue.flagKey === undefined ? 'flag set' : `flag "${issue.flagKey}"`;
  return `${where}, field ${issue.field}: ${issue.message}`;
}
