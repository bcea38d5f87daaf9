import type { ProviderSpec } from '../../domain/analysis/template.js';
import type { MetricProvider, MetricProviderDefinition, MetricProviderDeps, MetricProviderSet } from './types.js';

/** A configuration problem found while building providers: a value naming the fix, never a throw. */
export interface ProviderConfigProblem {
  readonly code: 'PROVIDER_UNKNOWN' | 'PROVIDER_CONFIG' | 'PROVIDER_DUPLICATE' | 'PROVIDER_CREATE';
  /** e.g. "metricProviders[1].config.timeoutSeconds". */
  readonly path: string;
  readonly message: string;
}

/** One configured provider: `serves` lets a `static` provider stand in for another type (dry runs). */
export interface ProviderEntry {
  readonly type: string;
  readonly config?: unknown;
  readonly serves?: ProviderSpec['type'];
}

export type ProviderSetResult = { ok: true; providers: MetricProviderSet } | { ok: false; problems: readonly ProviderConfigProblem[] };

export interface MetricProviderRegistry {
  readonly types: readonly string[];
  definition(type: string): MetricProviderDefinition | undefined;
  /**
   * Validates every entry against its definition's schema and creates the providers. An unknown
   * type is a configuration error naming the type and the known ones (never a silent fallback);
   * two providers serving one type is an error too. Nothing is created unless all entries are valid.
   */
  createSet(entries: readonly ProviderEntry[], deps: MetricProviderDeps, path?: string): ProviderSetResult;
}

/** A registry over the given definitions (the composition root passes the concrete ones). */
export function createMetricProviderRegistry(definitions: readonly MetricProviderDefinition<never>[]): MetricProviderRegistry {
  const byType = new Map<string, MetricProviderDefinition>();
  for (const d of definitions) byType.set(d.type, d as unknown as MetricProviderDefinition);
  const types = [...byType.keys()].sort();
  return {
    types,
    definition: (type) => byType.get(type),
    createSet(entries, deps, path = 'metricProviders') {
      const problems: ProviderConfigProblem[] = [];
      const planned: { at: string; serves: ProviderSpec['type'] | 'static'; make: () => MetricProvider }[] = [];
      entries.forEach((entry, i) => {
        const at = `${path}[${i}]`;
        const definition = byType.get(entry.type);
        if (!definition) {
          problems.push({ code: 'PROVIDER_UNKNOWN', path: `${at}.type`, message: `unknown metric provider type "${entry.type}"; known types: ${types.join(', ')}` });
          return;
        }
        const parsed = definition.configSchema.safeParse(entry.config ?? {});
        if (!parsed.success) {
          for (const issue of parsed.error.issues) {
            const field = issue.path.map(String).join('.');
            problems.push({ code: 'PROVIDER_CONFIG', path: `${at}.config${field ? `.${field}` : ''}`, message: `${entry.type}: ${issue.message}` });
          }
          return;
        }
        const serves = entry.serves ?? definition.type;
        planned.push({ at, serves, make: () => definition.create(parsed.data, deps) });
      });
      const seen = new Map<string, string>();
      for (const p of planned) {
        const before = seen.get(p.serves);
        if (before) problems.push({ code: 'PROVIDER_DUPLICATE', path: p.at, message: `two providers serve "${p.serves}" (${before} and ${p.at}); keep one` });
        seen.set(p.serves, p.at);
        if (p.serves === 'static') problems.push({ code: 'PROVIDER_CONFIG', path: `${p.at}.serves`, message: 'a static provider must say which metric provider type it stands in for: serves: prometheus | web | job | builtin' });
      }
      if (problems.length > 0) return { ok: false, problems };
      const providers: Partial<Record<ProviderSpec['type'], MetricProvider>> = {};
      for (const p of planned) {
        try {
          providers[p.serves as ProviderSpec['type']] = p.make();
        } catch (error) {
          problems.push({ code: 'PROVIDER_CREATE', path: p.at, message: (error as Error).message });
        }
      }
      return problems.length > 0 ? { ok: false, problems } : { ok: true, providers: Object.freeze(providers) };
    },
  };
}
