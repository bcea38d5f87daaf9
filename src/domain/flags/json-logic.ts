/**
 * JsonLogic compiled once into closures.
 *
 * `compileLogic(rule)` walks the JSON tree a single time and returns an `Evaluator`; evaluating it
 * never re-reads the rule. Semantics follow the JsonLogic reference (jsonlogic.com), including its
 * JavaScript coercions, plus the operators registered in `logic-operators.ts` and flagd's custom
 * operators in `flagd-operators.ts`.
 */
import { isJsonObject } from './json-value.js';
import type { JsonValue } from './json-value.js';
import { coreOperators } from './logic-operators.js';
import { dataOperators } from './logic-data-operators.js';
import { flagdOperators } from './flagd-operators.js';
import { LogicCompileError, isLiteral } from './logic-types.js';
import type { CompileOptions, Evaluator, OperatorFactory } from './logic-types.js';

export { truthy, LogicCompileError } from './logic-types.js';
export type { CompileOptions, Evaluator, OperatorFactory } from './logic-types.js';

export type CompileResult =
  | { readonly ok: true; readonly evaluate: Evaluator }
  | { readonly ok: false; readonly path: string; readonly message: string };

const operators: Readonly<Record<string, OperatorFactory>> = Object.freeze({
  ...coreOperators,
  ...dataOperators,
  ...flagdOperators,
});

/** Names of every operator the compiler accepts. */
export const supportedOperators: readonly string[] = Object.freeze(Object.keys(operators).sort());

/**
 * Compiles `rule` once. Never throws: an unknown operator or a malformed argument list comes back
 * as `{ ok: false, path, message }`, with `path` rooted at `rootPath`.
 */
export function compileLogic(rule: JsonValue, options: CompileOptions, rootPath = 'targeting'): CompileResult {
  try {
    return { ok: true, evaluate: compileNode(rule, rootPath, options) };
  } catch (error) {
    if (error instanceof LogicCompileError) return { ok: false, path: error.path, message: error.reason };
    throw error;
  }
}

function constant(value: unknown): Evaluator {
  return () => value;
}

function compileNode(node: JsonValue, path: string, options: CompileOptions): Evaluator {
  if (Array.isArray(node)) {
    const items = node.map((item, i) => compileNode(item, `${path}[${i}]`, options));
    if (node.every(isLiteral)) return constant(node);
    return (data, scope) => items.map((item) => item(data, scope));
  }
  if (!isJsonObject(node)) return constant(node);
  const keys = Object.keys(node);
  // Only a single-key object is an operation; anything else is a literal, as in the reference.
  if (keys.length !== 1) return constant(node);
  const name = keys[0] as string;
  const factory = Object.prototype.hasOwnProperty.call(operators, name) ? operators[name] : undefined;
  if (!factory) {
    const hint = name === '$ref' ? ' (a $ref that names no entry of $evaluators)' : '';
    throw new LogicCompileError(`${path}.${name}`, `unknown operator "${name}"${hint}`);
  }
  const rawArg = node[name] as JsonValue;
  const raw = Array.isArray(rawArg) ? rawArg : [rawArg];
  const args = raw.map((arg, i) => compileNode(arg, `${path}.${name}[${i}]`, options));
  try {
    return factory(args, raw, options);
  } catch (error) {
    if (error instanceof LogicCompileError) throw new LogicCompileError(`${path}.${name}`, error.reason);
    throw error;
  }
}
