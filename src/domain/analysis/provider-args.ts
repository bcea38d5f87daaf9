import { substituteArgs } from './args.js';
import type { ArgProblem, ArgValues } from './args.js';
import type { ProviderSpec } from './template.js';

export type ProviderArgResult = { ok: true; value: ProviderSpec } | { ok: false; problems: readonly (ArgProblem & { field: string })[] };

/** Substitutes `{{args.x}}` in every string field of a provider (Argo resolves the whole metric). */
export function substituteProvider(provider: ProviderSpec, values: ArgValues): ProviderArgResult {
  const problems: (ArgProblem & { field: string })[] = [];
  const walk = (node: unknown, field: string): unknown => {
    if (typeof node === 'string') {
      const result = substituteArgs(node, values);
      if (result.ok) return result.value;
      problems.push(...result.problems.map((p) => ({ ...p, field })));
      return node;
    }
    if (Array.isArray(node)) return node.map((item, i) => walk(item, `${field}[${i}]`));
    if (node !== null && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, value]) => [key, walk(value, field === '' ? key : `${field}.${key}`)]));
    }
    return node;
  };
  const value = walk(provider, '') as ProviderSpec;
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value };
}
