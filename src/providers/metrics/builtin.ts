import { z } from 'zod';
import { parseDuration } from '../../domain/analysis/index.js';
import type { BuiltinProviderSpec } from '../../domain/analysis/template.js';
import { errorObservation } from './types.js';
import type { BuiltinMetricsSource, MetricProvider, MetricProviderDefinition, ProviderMeasurement } from './types.js';

const configSchema = z.object({}).strict();
export type BuiltinConfig = z.infer<typeof configSchema>;

/** The structured query as text, for the measurement record. */
export function describeBuiltinQuery(p: BuiltinProviderSpec): string {
  const target = `service=${p.service}${p.version !== undefined ? `, version=${p.version}` : ''}`;
  const what = p.metric === 'latency-quantile' ? `latency-quantile(q=${p.quantile ?? '?'})` : p.metric;
  if (p.metric === 'anomaly-alerts') return `builtin ${what} {service=${p.service}}`;
  return `builtin ${what} {${target}} over ${p.window}`;
}

/**
 * Rampart's built-in per-version RED metrics (error ratio, request rate, latency quantile),
 * read from a BuiltinMetricsSource (the built-in proxy), and the runtime safeguards' results. A window without requests is no data,
 * never a zero error ratio. The request count travels with every value so rampart/v1's
 * `minRequests` can hold a verdict until enough traffic arrived.
 */
export function createBuiltinProvider(source: BuiltinMetricsSource): MetricProvider {
  return {
    type: 'builtin',
    measure(metric, ctx) {
      const p = metric.provider;
      if (p.type !== 'builtin') return Promise.resolve(errorObservation('misconfigured', `metric "${metric.name}" uses the ${p.type} provider, not builtin`));
      return Promise.resolve(measureBuiltin(source, p, ctx.now, ctx.signal));
    },
  };
}

function measureBuiltin(source: BuiltinMetricsSource, p: BuiltinProviderSpec, now: number, signal: AbortSignal | undefined): ProviderMeasurement | Promise<ProviderMeasurement> {
  if (p.metric === 'synthetic-success' || p.metric === 'anomaly-alerts' || p.metric === 'resilience-probe') return measureSafeguard(source, p, now, signal);
  const query = describeBuiltinQuery(p);
  const details = { query, window: p.window };
  if (signal?.aborted) return errorObservation('aborted', 'measurement cancelled', details);
  const window = parseDuration(p.window);
  if (!window.ok || window.ms <= 0) return errorObservation('bad_query', `window "${p.window}" is not a positive duration${window.ok ? '' : `: ${window.message}`}`, details);
  const seconds = window.ms / 1000;
  try {
    if (p.metric === 'latency-quantile') {
      const q = p.quantile;
      if (q === undefined || !(q > 0 && q < 1)) return errorObservation('bad_query', 'latency-quantile needs a quantile between 0 and 1', details);
      const { value, samples } = source.latencyQuantile(q, p.service, p.version, seconds, now);
      if (samples === 0) return { kind: 'noData', reason: `no requests to ${p.service} in the last ${p.window}`, sampleCount: 0, requestCount: 0, ...details };
      return { kind: 'value', value, sampleCount: samples, requestCount: samples, ...details };
    }
    const { requests, errors } = source.countsOver(p.service, p.version, seconds, now);
    if (requests === 0) return { kind: 'noData', reason: `no requests to ${p.service} in the last ${p.window}`, sampleCount: 0, requestCount: 0, ...details };
    const value = p.metric === 'error-ratio' ? errors / requests : requests / seconds;
    return { kind: 'value', value, sampleCount: requests, requestCount: requests, ...details };
  } catch (error) {
    return errorObservation('unavailable', `the built-in metrics source failed: ${(error as Error).message}`, details);
  }
}

/**
 * The runtime safeguards' answers: 1 pass / 0 fail for a synthetic run and the resilience probe,
 * the number of open alerts for anomalies. No run, no verdict or a safeguard that is not running is
 * no data or an error, never a pass. The explanation travels in the measurement's query text.
 */
async function measureSafeguard(source: BuiltinMetricsSource, p: BuiltinProviderSpec, now: number, signal: AbortSignal | undefined): Promise<ProviderMeasurement> {
  const base = describeBuiltinQuery(p);
  const explained = (explanation: string) => ({ query: `${base}: ${explanation}`, window: p.window });
  if (signal?.aborted) return errorObservation('aborted', 'measurement cancelled', { query: base });
  const window = parseDuration(p.window);
  if (!window.ok || window.ms <= 0) return errorObservation('bad_query', `window "${p.window}" is not a positive duration${window.ok ? '' : `: ${window.message}`}`, { query: base });
  try {
    if (p.metric === 'synthetic-success') {
      if (!source.synthetic) return errorObservation('unavailable', 'synthetic checks are not running in this server (add the service under safeguards.synthetics)', { query: base });
      if (p.version === undefined) return errorObservation('bad_query', 'synthetic-success needs the version whose runs count (version: "{{args.version}}")', { query: base });
      // Only a run within the window counts: a stale pass says nothing about the version now.
      const r = await source.synthetic(p.service, p.version, now - window.ms);
      if (r.state === 'none') return { kind: 'noData', reason: r.explanation, ...explained(r.explanation) };
      return { kind: 'value', value: r.state === 'pass' ? 1 : 0, ...explained(r.explanation) };
    }
    if (p.metric === 'anomaly-alerts') {
      if (!source.anomalies) return errorObservation('unavailable', 'anomaly detection is not running in this server (safeguards.anomaly.enabled)', { query: base });
      const r = await source.anomalies(p.service);
      // An open alert is an answer even when the rules cannot judge the current minutes.
      if (r.firing === 0 && r.state === 'unjudged') return { kind: 'noData', reason: r.explanation, ...explained(r.explanation) };
      return { kind: 'value', value: r.firing, ...explained(r.explanation) };
    }
    if (!source.resilienceProbe) return errorObservation('unavailable', 'the resilience probe is not available in this server', { query: base });
    if (p.version === undefined) return errorObservation('bad_query', 'resilience-probe needs the version to inject latency into (version: "{{args.version}}")', { query: base });
    const r = await source.resilienceProbe(p.service, p.version, window.ms / 1000);
    if (r.value === null) return { kind: 'noData', reason: r.explanation, ...explained(r.explanation) };
    return { kind: 'value', value: r.value, ...explained(r.explanation) };
  } catch (error) {
    return errorObservation('unavailable', `the ${p.metric} source failed: ${(error as Error).message}`, { query: base });
  }
}

export const builtinMetricProvider: MetricProviderDefinition<BuiltinConfig> = {
  type: 'builtin',
  description: "Per-version error ratio, request rate and latency quantiles from Rampart's built-in proxy.",
  configSchema,
  create(_config, deps) {
    if (!deps.builtinSource) throw new Error('the builtin metric provider needs the built-in proxy\'s metrics source; start the proxy or remove the builtin provider');
    return createBuiltinProvider(deps.builtinSource);
  },
};
