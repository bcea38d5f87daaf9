/** Shared vocabulary of the JsonLogic compiler and its operator files (kept apart to avoid import cycles). */
import type { JsonValue } from './json-value.js';
import type { BucketingVersion } from './fractional.js';

/**
 * A compiled rule. `data` is the current scope (changes inside map/filter/reduce); `root` is the
 * whole evaluation context, which flagd's custom operators read (`targetingKey`, `$flagd`).
 * Throws only on a defect; the flag evaluator catches that and reports GENERAL.
 */
export type Evaluator = (data: unknown, root: unknown) => unknown;

export interface CompileOptions {
  /** Which `fractional` bucketing to compile; flagd's current algorithm is 'v2'. */
  readonly bucketingVersion: BucketingVersion;
}

/** Builds the closure for one operator from its compiled (and raw) arguments, once, at compile time. */
export type OperatorFactory = (
  args: readonly Evaluator[],
  raw: readonly JsonValue[],
  options: CompileOptions,
) => Evaluator;

/** A rule that cannot be compiled; `path` locates the fault (`targeting.if[0].var`). */
export class LogicCompileError extends Error {
  readonly code = 'LOGIC_COMPILE_ERROR';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
    this.name = 'LogicCompileError';
  }
}

/** JsonLogic truthiness: JavaScript's, except that an empty array is false. */
export function truthy(value: unknown): boolean {
  if (Array.isArray(value)) return value.length > 0;
  return Boolean(value);
}
