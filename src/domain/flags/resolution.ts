/**
 * Evaluation results shaped like OpenFeature's ResolutionDetails (and OFREP's response body).
 */
import type { JsonValue } from './json-value.js';
import type { FlagMetadata } from './flag-model.js';

/** The type the caller asks for; `integer` and `float` are both OFREP/OpenFeature numbers. */
export type FlagValueType = 'boolean' | 'string' | 'integer' | 'float' | 'object';

export type ResolutionReason = 'STATIC' | 'TARGETING_MATCH' | 'SPLIT' | 'DEFAULT' | 'DISABLED' | 'ERROR';

export type EvaluationErrorCode =
  | 'FLAG_NOT_FOUND'
  | 'TYPE_MISMATCH'
  | 'PARSE_ERROR'
  | 'TARGETING_KEY_MISSING'
  | 'INVALID_CONTEXT'
  | 'GENERAL';

/** The evaluation context: `targetingKey` plus any attributes. */
export type EvaluationContext = Readonly<Record<string, unknown>>;

export interface ResolutionDetails<T = JsonValue> {
  readonly flagKey: string;
  readonly value: T;
  /** Absent when no variant was served (caller's default, disabled flag, error). */
  readonly variant?: string;
  readonly reason: ResolutionReason;
  readonly errorCode?: EvaluationErrorCode;
  readonly errorMessage?: string;
  readonly flagMetadata: FlagMetadata;
}

/** Maps a requested type to the TypeScript type of its value. */
export interface FlagValueTypes {
  boolean: boolean;
  string: string;
  integer: number;
  float: number;
  object: JsonValue;
  /** Untyped evaluation (OFREP bulk, `flags eval`): any variant value is served as is. */
  any: JsonValue;
}

/** A FlagValueType, or 'any' for untyped evaluation. */
export type RequestedType = keyof FlagValueTypes;

/** True when `value` is acceptable as `type`: integers must be whole, objects are objects or arrays. */
export function matchesType(value: unknown, type: RequestedType): boolean {
  switch (type) {
    case 'any': return true;
    case 'boolean': return typeof value === 'boolean';
    case 'string': return typeof value === 'string';
    case 'integer': return typeof value === 'number' && Number.isInteger(value);
    case 'float': return typeof value === 'number' && Number.isFinite(value);
    case 'object': return typeof value === 'object' && value !== null;
  }
}
