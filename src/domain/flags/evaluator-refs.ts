/**
 * `$evaluators` substitution: every `{"$ref": "name"}` inside a targeting rule is replaced by the
 * named shared rule (which may itself use `$ref`). A reference to a missing evaluator is left in
 * place so that compilation reports it (flagd then answers PARSE_ERROR); a cycle is reported here.
 */
import { isJsonObject } from './json-value.js';
import type { JsonObject, JsonValue } from './json-value.js';

export interface ResolvedRefs {
  readonly value: JsonValue;
  /** Human-readable faults (cycles); missing names are left for the compiler to report. */
  readonly issues: readonly string[];
}

function refName(node: JsonValue): string | undefined {
  if (!isJsonObject(node)) return undefined;
  const keys = Object.keys(node);
  const name = node['$ref'];
  return keys.length === 1 && typeof name === 'string' ? name : undefined;
}

/** Returns `rule` with all resolvable references substituted (a new tree; `rule` is not mutated). */
export function resolveRefs(rule: JsonValue, evaluators: JsonObject): ResolvedRefs {
  const issues: string[] = [];
  const walk = (node: JsonValue, stack: readonly string[]): JsonValue => {
    const name = refName(node);
    if (name !== undefined) {
      if (!Object.prototype.hasOwnProperty.call(evaluators, name)) return node;
      if (stack.includes(name)) {
        issues.push(`$evaluators cycle: ${[...stack, name].join(' -> ')}`);
        return null;
      }
      return walk(evaluators[name] as JsonValue, [...stack, name]);
    }
    if (Array.isArray(node)) return node.map((item) => walk(item, stack));
    if (isJsonObject(node)) {
      const out: JsonObject = {};
      // defineProperty keeps a literal "__proto__" key as data instead of re-parenting the object.
      for (const [key, value] of Object.entries(node)) {
        Object.defineProperty(out, key, { value: walk(value, stack), enumerable: true, writable: true, configurable: true });
      }
      return out;
    }
    return node;
  };
  return { value: walk(rule, []), issues };
}
