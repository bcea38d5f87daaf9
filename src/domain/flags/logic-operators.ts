/**
 * JsonLogic's data access, logic and comparison operators, as closure factories.
 * Comparisons deliberately keep JavaScript's coercions (`"1" == 1`), as the reference does.
 */
import { ownProperty } from './json-value.js';
import { truthy } from './logic-types.js';
import type { Evaluator, OperatorFactory } from './logic-types.js';

const none: Evaluator = () => null;

/** Reads a dotted path; `null`, `undefined` or `""` as path yields the whole scope. */
export function readPath(data: unknown, segments: readonly string[], notFound: unknown): unknown {
  let current = data;
  for (const segment of segments) {
    if (current === null || current === undefined) return notFound;
    current = ownProperty(current, segment);
    if (current === undefined) return notFound;
  }
  return current;
}

function splitPath(path: unknown): readonly string[] | null {
  if (path === null || path === undefined || path === '') return null;
  return String(path).split('.');
}

const varOperator: OperatorFactory = (args, raw) => {
  const fallback = args[1] ?? none;
  const pathArg = raw[0];
  const isConstantPath = pathArg === undefined || typeof pathArg !== 'object' || pathArg === null;
  if (isConstantPath) {
    // The common case: split the path once, at compile time.
    const segments = splitPath(pathArg);
    if (segments === null) return (data) => data;
    return (data, root) => readPath(data, segments, args.length > 1 ? fallback(data, root) : null);
  }
  const pathOf = args[0] as Evaluator;
  return (data, root) => {
    const segments = splitPath(pathOf(data, root));
    if (segments === null) return data;
    return readPath(data, segments, args.length > 1 ? fallback(data, root) : null);
  };
};

function missingKeys(keys: readonly unknown[], data: unknown): unknown[] {
  const missing: unknown[] = [];
  for (const key of keys) {
    const segments = splitPath(key);
    const value = segments === null ? data : readPath(data, segments, null);
    if (value === null || value === '') missing.push(key);
  }
  return missing;
}

const missingOperator: OperatorFactory = (args) => (data, root) => {
  const values = args.map((arg) => arg(data, root));
  const keys = Array.isArray(values[0]) ? (values[0] as unknown[]) : values;
  return missingKeys(keys, data);
};

const missingSomeOperator: OperatorFactory = (args) => (data, root) => {
  const needed = Number((args[0] ?? none)(data, root));
  const options = (args[1] ?? none)(data, root);
  const keys = Array.isArray(options) ? options : [];
  const missing = missingKeys(keys, data);
  return keys.length - missing.length >= needed ? [] : missing;
};

type Binary = (a: unknown, b: unknown) => boolean;

function binary(compare: Binary): OperatorFactory {
  return (args) => {
    const [left = none, right = none] = args;
    return (data, root) => compare(left(data, root), right(data, root));
  };
}

/** `<` and `<=` accept a third argument: `a < b < c` ("between"). */
function between(compare: Binary): OperatorFactory {
  return (args) => {
    const [a = none, b = none, c] = args;
    if (c === undefined) return (data, root) => compare(a(data, root), b(data, root));
    return (data, root) => {
      const middle = b(data, root);
      return compare(a(data, root), middle) && compare(middle, c(data, root));
    };
  };
}

// Casts to number only satisfy the type checker: JavaScript applies the reference's coercions.
const lt: Binary = (a, b) => (a as number) < (b as number);
const lte: Binary = (a, b) => (a as number) <= (b as number);

const conditional: OperatorFactory = (args) => (data, root) => {
  let i = 0;
  for (; i + 1 < args.length; i += 2) {
    if (truthy((args[i] as Evaluator)(data, root))) return (args[i + 1] as Evaluator)(data, root);
  }
  return i < args.length ? (args[i] as Evaluator)(data, root) : null;
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
    return (data, root) => !truthy(arg(data, root));
  },
  '!!': (args) => {
    const arg = args[0] ?? none;
    return (data, root) => truthy(arg(data, root));
  },
  and: (args) => (data, root) => {
    let current: unknown = null;
    for (const arg of args) {
      current = arg(data, root);
      if (!truthy(current)) return current;
    }
    return current;
  },
  or: (args) => (data, root) => {
    let current: unknown = null;
    for (const arg of args) {
      current = arg(data, root);
      if (truthy(current)) return current;
    }
    return current;
  },
  if: conditional,
  '?:': conditional,
};
