/**
 * JsonLogic's data access, logic and comparison operators, as closure factories.
 * Comparisons deliberately keep JavaScript's coercions (`"1" == 1`), as the reference does.
 */
import { ownProperty } from './json-value.js';
import { truthy } from './logic-types.js';
import type { EvaluationScope, Evaluator, OperatorFactory } from './logic-types.js';

const none: Evaluator = () => null;
const FLAGD = '$flagd';

/** Reads a dotted path from `data`; a missing step yields `notFound`. Own properties only. */
export function readPath(data: unknown, segments: readonly string[], notFound: unknown): unknown {
  let current = data;
  for (const segment of segments) {
    if (current === null || current === undefined) return notFound;
    current = ownProperty(current, segment);
    if (current === undefined) return notFound;
  }
  return current;
}

/**
 * Resolves a variable the way flagd sees it: paths under `$flagd` read the evaluation's own
 * properties (flagKey, timestamp) from any depth of the rule; everything else reads `data`.
 */
export function lookup(data: unknown, segments: readonly string[], scope: EvaluationScope, notFound: unknown): unknown {
  if (segments[0] !== FLAGD) return readPath(data, segments, notFound);
  if (segments.length === 1) return { flagKey: scope.flagKey, timestamp: scope.timestamp };
  if (segments.length > 2) return notFound;
  if (segments[1] === 'flagKey') return scope.flagKey;
  if (segments[1] === 'timestamp') return scope.timestamp;
  return notFound;
}

/** Splits a var path; `null` for `null`, `undefined` or `""`, which mean "the whole data". */
function splitPath(path: unknown): readonly string[] | null {
  if (path === null || path === undefined || path === '') return null;
  return String(path).split('.');
}

const varOperator: OperatorFactory = (args, raw) => {
  const fallback = args[1] ?? none;
  const hasFallback = args.length > 1;
  const pathArg = raw[0];
  const isConstantPath = pathArg === undefined || typeof pathArg !== 'object' || pathArg === null;
  if (isConstantPath) {
    // The common case: split the path once, at compile time.
    const segments = splitPath(pathArg);
    if (segments === null) return (data) => data;
    if (segments.length === 1 && segments[0] !== FLAGD) {
      const name = segments[0] as string;
      return (data, scope) => {
        const value = ownProperty(data, name);
        return value !== undefined ? value : hasFallback ? fallback(data, scope) : null;
      };
    }
    return (data, scope) => lookup(data, segments, scope, hasFallback ? fallback(data, scope) : null);
  }
  const pathOf = args[0] as Evaluator;
  return (data, scope) => {
    const segments = splitPath(pathOf(data, scope));
    if (segments === null) return data;
    return lookup(data, segments, scope, hasFallback ? fallback(data, scope) : null);
  };
};

function missingKeys(keys: readonly unknown[], data: unknown, scope: EvaluationScope): unknown[] {
  const missing: unknown[] = [];
  for (const key of keys) {
    const segments = splitPath(key);
    const value = segments === null ? data : lookup(data, segments, scope, null);
    if (value === null || value === '') missing.push(key);
  }
  return missing;
}

const missingOperator: OperatorFactory = (args) => (data, scope) => {
  const values = args.map((arg) => arg(data, scope));
  const keys = Array.isArray(values[0]) ? (values[0] as unknown[]) : values;
  return missingKeys(keys, data, scope);
};

const missingSomeOperator: OperatorFactory = (args) => (data, scope) => {
  const needed = Number((args[0] ?? none)(data, scope));
  const options = (args[1] ?? none)(data, scope);
  const keys = Array.isArray(options) ? options : [];
  const missing = missingKeys(keys, data, scope);
  return keys.length - missing.length >= needed ? [] : missing;
};

type Binary = (a: unknown, b: unknown) => boolean;

function binary(compare: Binary): OperatorFactory {
  return (args) => {
    const [left = none, right = none] = args;
    return (data, scope) => compare(left(data, scope), right(data, scope));
  };
}

/** `<` and `<=` accept a third argument: `a < b < c` ("between"). */
function between(compare: Binary): OperatorFactory {
  return (args) => {
    const [a = none, b = none, c] = args;
    if (c === undefined) return (data, scope) => compare(a(data, scope), b(data, scope));
    return (data, scope) => {
      const middle = b(data, scope);
      return compare(a(data, scope), middle) && compare(middle, c(data, scope));
    };
  };
}

// Casts to number only satisfy the type checker: JavaScript applies the reference's coercions.
const lt: Binary = (a, b) => (a as number) < (b as number);
const lte: Binary = (a, b) => (a as number) <= (b as number);

const conditional: OperatorFactory = (args) => (data, scope) => {
  let i = 0;
  for (; i + 1 < args.length; i += 2) {
    if (truthy((args[i] as Evaluator)(data, scope))) return (args[i + 1] as Evaluator)(data, scope);
  }
  return i < args.length ? (args[i] as Evaluator)(data, scope) : null;
};

export const coreOperators: Readonly<Record<string, OperatorFactory>> = {
  var: varOperator,
  missing: missingOperator,
  missing_some: missingSomeOperator,
  '==': binary((a, b) => a == b),
  '===': binary((a, b) => a === b),
  '!=': binary((a, b) => a != b),
  '!==': binary((a, b) => a !== b),
  '<': between(lt),
  '<=': between(lte),
  '>': binary((a, b) => (a as number) > (b as number)),
  '>=': binary((a, b) => (a as number) >= (b as number)),
  '!': (args) => {
    const arg = args[0] ?? none;
    return (data, scope) => !truthy(arg(data, scope));
  },
  '!!': (args) => {
    const arg = args[0] ?? none;
    return (data, scope) => truthy(arg(data, scope));
  },
  and: (args) => (data, scope) => {
    let current: unknown = null;
    for (const arg of args) {
      current = arg(data, scope);
      if (!truthy(current)) return current;
    }
    return current;
  },
  or: (args) => (data, scope) => {
    let current: unknown = null;
    for (const arg of args) {
      current = arg(data, scope);
      if (truthy(current)) return current;
    }
    return current;
  },
  if: conditional,
  '?:': conditional,
};
