/**
 * JsonLogic's arithmetic, string and array operators, as closure factories.
 * Arithmetic keeps the reference's coercions (`"+"` parses its operands with parseFloat).
 */
import { truthy } from './logic-types.js';
import type { EvaluationScope, Evaluator, OperatorFactory } from './logic-types.js';

const none: Evaluator = () => null;

function evaluateAll(args: readonly Evaluator[], data: unknown, scope: EvaluationScope): unknown[] {
  const values = new Array<unknown>(args.length);
  for (let i = 0; i < args.length; i++) values[i] = (args[i] as Evaluator)(data, scope);
  return values;
}

function variadic(fold: (values: unknown[]) => unknown): OperatorFactory {
  return (args) => (data, scope) => fold(evaluateAll(args, data, scope));
}

const parse = (value: unknown): number => parseFloat(String(value));
const num = (value: unknown): number => value as number; // JavaScript coerces; the cast only informs the checker

function text(value: unknown): string {
  return value === null || value === undefined ? '' : String(value);
}

function substr(source: unknown, start: unknown, length: unknown): string {
  const whole = text(source);
  const from = Number(start) || 0;
  const begin = from < 0 ? Math.max(whole.length + from, 0) : Math.min(from, whole.length);
  const rest = whole.slice(begin);
  if (length === undefined || length === null) return rest;
  const count = Number(length) || 0;
  // A negative length drops that many characters from the end, as the reference does.
  return count < 0 ? rest.slice(0, Math.max(rest.length + count, 0)) : rest.slice(0, count);
}

function contains(needle: unknown, haystack: unknown): boolean {
  if (typeof haystack === 'string') return haystack.includes(text(needle));
  if (Array.isArray(haystack)) return haystack.includes(needle);
  return false;
}

/** Scoped operators: the second argument is evaluated with each element as its data. */
function scoped(run: (items: unknown[], logic: Evaluator, scope: EvaluationScope, extra: unknown) => unknown, emptyValue: (extra: unknown) => unknown): OperatorFactory {
  return (args) => {
    const source = args[0] ?? none;
    const logic = args[1] ?? none;
    const extraArg = args[2];
    return (data, scope) => {
      const items = source(data, scope);
      const extra = extraArg ? extraArg(data, scope) : null;
      if (!Array.isArray(items)) return emptyValue(extra);
      return run(items, logic, scope, extra);
    };
  };
}

const filterItems = (items: unknown[], logic: Evaluator, scope: EvaluationScope): unknown[] =>
  items.filter((item) => truthy(logic(item, scope)));

export const dataOperators: Readonly<Record<string, OperatorFactory>> = {
  '+': variadic((values) => values.reduce<number>((sum, value) => sum + parse(value), 0)),
  '*': variadic((values) => (values.length === 0 ? null : values.map(parse).reduce((product, value) => product * value))),
  '-': variadic(([a, b]) => (b === undefined ? -num(a) : num(a) - num(b))),
  '/': variadic(([a, b]) => num(a) / num(b)),
  '%': variadic(([a, b]) => num(a) % num(b)),
  min: variadic((values) => Math.min(...values.map(num))),
  max: variadic((values) => Math.max(...values.map(num))),
  cat: variadic((values) => values.map(text).join('')),
  substr: variadic(([source, start, length]) => substr(source, start, length)),
  in: (args, raw, options) => {
    const list = raw[1];
    // A literal list of scalars (an allow list) becomes a Set at compile time: O(1) per lookup.
    if (Array.isArray(list) && list.every((item) => item === null || typeof item !== 'object')) {
      const members = new Set<unknown>(list);
      const needle = args[0] ?? none;
      return (data, scope) => members.has(needle(data, scope));
    }
    return variadic(([needle, haystack]) => contains(needle, haystack))(args, raw, options);
  },
  merge: variadic((values) => values.flatMap((value) => (Array.isArray(value) ? value : [value]))),
  log: variadic(([value]) => value ?? null),
  map: scoped((items, logic, scope) => items.map((item) => logic(item, scope)), () => []),
  filter: scoped(filterItems, () => []),
  reduce: scoped(
    (items, logic, scope, initial) =>
      items.reduce<unknown>((accumulator, current) => logic({ current, accumulator }, scope), initial),
    (initial) => initial,
  ),
  all: scoped((items, logic, scope) => items.length > 0 && items.every((item) => truthy(logic(item, scope))), () => false),
  some: scoped((items, logic, scope) => filterItems(items, logic, scope).length > 0, () => false),
  none: scoped((items, logic, scope) => filterItems(items, logic, scope).length === 0, () => true),
};
