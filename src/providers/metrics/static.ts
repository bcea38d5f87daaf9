import { z } from 'zod';
import type { ResolvedMetric } from '../../domain/analysis/index.js';
import { errorObservation } from './types.js';
import type { MeasureContext, MetricProvider, MetricProviderDefinition, ProviderMeasurement } from './types.js';

/**
 * Scripted answers for tests and dry runs. The configured form is JSON: per metric name, a list
 * of answers used in order, the last repeated. An answer is a number, "NaN" / "+Inf" / "-Inf",
 * a list of those (a vector), or `{noData}`, `{error, code?}`, `{job: exitCode, output?}`.
 */
const numberLike = z.union([z.number(), z.enum(['NaN', '+Inf', '-Inf'])]);
const answer = z.union([
  numberLike,
  z.array(numberLike),
  z.object({ noData: z.string() }).strict(),
  z.object({ error: z.string(), code: z.enum(['unavailable', 'bad_query', 'timeout', 'bad_response']).optional() }).strict(),
  z.object({ job: z.number().int(), output: z.json().optional() }).strict(),
]);
export type StaticAnswer = z.infer<typeof answer>;

const configSchema = z.object({
  values: z.record(z.string(), z.array(answer).min(1)).default({}),
  /** Used for metrics with no script; without it they measure as a `misconfigured` error. */
  fallback: answer.optional(),
}).strict();
export type StaticConfig = z.infer<typeof configSchema>;

/** A programmatic script: the answer for the `call`-th measurement (0-based) of `metric`. */
export type StaticScript = (metric: ResolvedMetric, ctx: MeasureContext, call: number) => ProviderMeasurement | Promise<ProviderMeasurement>;

/** A static provider answering from a function (tests) — counts calls per metric name. */
export function createStaticProvider(script: StaticScript): MetricProvider & { readonly calls: ReadonlyMap<string, number> } {
  const calls = new Map<string, number>();
  return {
    type: 'static',
    calls,
    async measure(metric, ctx) {
      const call = calls.get(metric.name) ?? 0;
      calls.set(metric.name, call + 1);
      if (ctx.signal?.aborted) return errorObservation('aborted', 'measurement cancelled');
      try {
        return await script(metric, ctx, call);
      } catch (error) {
        return errorObservation('bad_response', `static script failed: ${(error as Error).message}`);
      }
    },
  };
}

function toNumber(v: z.infer<typeof numberLike>): number {
  if (typeof v === 'number') return v;
  return v === 'NaN' ? Number.NaN : v === '+Inf' ? Infinity : -Infinity;
}

/** Turns one configured answer into an observation. */
export function staticObservation(a: StaticAnswer): ProviderMeasurement {
  if (typeof a === 'number' || typeof a === 'string') return { kind: 'value', value: toNumber(a) };
  if (Array.isArray(a)) return a.length === 0 ? { kind: 'noData', reason: 'empty vector' } : { kind: 'value', value: a.map(toNumber), sampleCount: a.length };
  if ('noData' in a) return { kind: 'noData', reason: a.noData };
  if ('error' in a) return errorObservation(a.code ?? 'unavailable', a.error);
  return { kind: 'job', exitCode: a.job, ...(a.output !== undefined ? { output: a.output } : {}) };
}

export const staticMetricProvider: MetricProviderDefinition<StaticConfig> = {
  type: 'static',
  description: 'Scripted values per metric name, for tests and dry runs.',
  configSchema: configSchema as z.ZodType<StaticConfig>,
  create(config) {
    return createStaticProvider((metric, _ctx, call) => {
      const script = config.values[metric.name];
      const chosen = script ? script[Math.min(call, script.length - 1)] : config.fallback;
      if (chosen === undefined) return errorObservation('misconfigured', `the static provider has no values for metric "${metric.name}" and no fallback`);
      return { ...staticObservation(chosen), query: `static:${metric.name}#${call}` };
    });
  },
};
