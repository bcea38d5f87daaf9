/** Shared vocabulary of the JsonLogic compiler and its operator files (kept apart to avoid import cycles). */
import { isJsonObject } from './json-value.js';
import type { JsonValue } from './json-value.js';
import type { BucketingVersion } from './fractional.js';

/**
 * One evaluation's fixed inputs. `$flagd.*` variables are read from here rather than copied into
 * the caller's context, so evaluating allocates no merged context object.
 */
export interface EvaluationScope {
  /** The caller's context (the data at the top level of the rule). */
  readonly context: unknown;
  /** `$flagd.flagKey`. */
  readonly flagKey: string;
  /** `$flagd.timestamp`: whole seconds since the epoch. */
  readonly timestamp: number;
}

/**
 * A compiled rule. `data` is the current data (the context at the top level; an element inside
 * map/filter/reduce); `scope` carries the evaluation-wide inputs that flagd's operators read.
 * Throws only on a defect; the flag evaluator catches that and reports GENERAL.
 */
export type Evaluator = (data: unknown, scope: EvaluationScope) => unknown;

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

/** True when `node` contains no operation (no single-key object), so it evaluates to itself. */
export function isLiteral(node: JsonValue): boolean {
  if (Array.isArray(node)) return node.every(isLiteral);
  if (isJsonObject(node)) return Object.keys(node).length !== 1;
  return true;
}
