import { z } from 'zod';
import type { ResolvedMetric } from '../../domain/analysis/index.js';
import type { PrometheusProviderSpec } from '../../domain/analysis/template.js';
import { excerpt, httpRequest } from './http.js';
import { errorObservation } from './types.js';
import type { MetricProvider, MetricProviderDefinition, ProviderMeasurement, RangePoint } from './types.js';

const configSchema = z.object({
  /** Used when a metric sets no timeout (Argo's default is 30 s). */
  defaultTimeoutSeconds: z.number().positive().default(30),
  /** Replaces every template's address (e.g. a local Prometheus for templates written for a cluster). */
  address: z.url().optional(),
}).strict();
export type PrometheusConfig = z.infer<typeof configSchema>;

/**
 * Prometheus HTTP API (`/api/v1/query`, `/api/v1/query_range`, POST form). Values arrive as
 * strings: "NaN" (0/0, no traffic) stays NaN, "+Inf"/"-Inf" become ±Infinity. A scalar is a
 * number, an instant vector a list of numbers (so `result[0]` works), `[]` is no data.
 */
export function createPrometheusProvider(config: PrometheusConfig): MetricProvider {
  const spec = (metric: ResolvedMetric): PrometheusProviderSpec | undefined => (metric.provider.type === 'prometheus' ? metric.provider : undefined);
  const request = async (p: PrometheusProviderSpec, path: string, form: Record<string, string>, signal: AbortSignal | undefined) => {
    const address = (config.address ?? p.address).replace(/\/+$/, '');
    const headers: Record<string, string> = { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' };
    for (const h of p.headers ?? []) headers[h.key] = h.value;
    const timeoutMs = (p.timeoutSeconds ?? config.defaultTimeoutSeconds) * 1000;
    const outcome = await httpRequest(`${address}${path}`, { method: 'POST', headers, body: new URLSearchParams(form).toString() }, timeoutMs, signal, p.query);
    if (!outcome.ok) return outcome;
    return readEnvelope(outcome.status, outcome.text, p.query);
  };
  return {
    type: 'prometheus',
    async measure(metric, ctx) {
      const p = spec(metric);
      if (!p) return errorObservation('misconfigured', `metric "${metric.name}" uses the ${metric.provider.type} provider, not prometheus`);
      const answer = await request(p, '/api/v1/query', { query: p.query, time: (ctx.now / 1000).toFixed(3) }, ctx.signal);
      if (!answer.ok) return answer.measurement;
      return { ...instantObservation(answer.data), query: p.query, ...windowOf(p.query) };
    },
    async queryRange(metric, range, signal) {
      const p = spec(metric);
      if (!p) return errorObservation('misconfigured', `metric "${metric.name}" uses the ${metric.provider.type} provider, not prometheus`);
      const form = { query: p.query, start: (range.from / 1000).toFixed(3), end: (range.to / 1000).toFixed(3), step: `${range.stepMs / 1000}s` };
      const answer = await request(p, '/api/v1/query_range', form, signal);
      if (!answer.ok) return answer.measurement;
      if (answer.data.resultType !== 'matrix') return errorObservation('bad_response', `query_range answered ${answer.data.resultType}, expected matrix`, { query: p.query });
      return rangePoints(answer.data.result, range, p.query);
    },
  };
}

type Envelope = { ok: true; data: { resultType: string; result: unknown } } | { ok: false; measurement: ProviderMeasurement };

/** Reads Prometheus' `{status, data | errorType, error}` envelope; 4xx means the query is bad. */
function readEnvelope(status: number, text: string, query: string): Envelope {
  let body: { status?: string; data?: { resultType?: string; result?: unknown }; errorType?: string; error?: string };
  try {
    body = JSON.parse(text) as typeof body;
  } catch {
    const code = status >= 500 ? 'unavailable' : 'bad_response';
    return { ok: false, measurement: errorObservation(code, `Prometheus answered HTTP ${status} with a non-JSON body: ${excerpt(text)}`, { query }) };
  }
  if (body.status !== 'success' || !body.data || typeof body.data.resultType !== 'string') {
    const reason = body.error ? `${body.errorType ?? 'error'}: ${body.error}` : `HTTP ${status}: ${excerpt(text)}`;
    const code = body.errorType === 'timeout' ? 'timeout' : status === 400 || status === 422 || body.errorType === 'bad_data' ? 'bad_query' : status >= 500 ? 'unavailable' : 'bad_response';
    return { ok: false, measurement: errorObservation(code, `Prometheus rejected the query (${reason})`, { query }) };
  }
  return { ok: true, data: { resultType: body.data.resultType, result: body.data.result } };
}

/** Prometheus sample values are strings; NaN and ±Inf are spelled out. */
export function parseSampleValue(raw: unknown): number {
  if (typeof raw === 'number') return raw;
  if (typeof raw !== 'string') return Number.NaN;
  if (raw === '+Inf' || raw === 'Inf') return Infinity;
  if (raw === '-Inf') return -Infinity;
  return Number(raw);
}

function instantObservation(data: { resultType: string; result: unknown }): ProviderMeasurement {
  switch (data.resultType) {
    case 'scalar':
      return { kind: 'value', value: parseSampleValue((data.result as unknown[])[1]), sampleCount: 1 };
    case 'string':
      return { kind: 'value', value: String((data.result as unknown[])[1]), sampleCount: 1 };
    case 'vector': {
      const series = data.result as { value: [number, string] }[];
      if (series.length === 0) return { kind: 'noData', reason: 'the query returned no series ([])', sampleCount: 0 };
      return { kind: 'value', value: series.map((s) => parseSampleValue(s.value[1])), sampleCount: series.length };
    }
    default:
      return errorObservation('bad_response', `Prometheus result type "${data.resultType}" is not supported for an instant query; select an instant vector or scalar (drop the range selector)`);
  }
}

/** One observation per step: the vector of every series' value at that step, `[]` as no data. */
function rangePoints(result: unknown, range: { from: number; to: number; stepMs: number }, query: string): RangePoint[] {
  const series = result as { values: [number, string][] }[];
  const byTime = new Map<number, number[]>();
  for (const s of series) {
    for (const [t, v] of s.values) {
      const at = Math.round(t * 1000);
      const list = byTime.get(at) ?? [];
      list.push(parseSampleValue(v));
      byTime.set(at, list);
    }
  }
  const points: RangePoint[] = [];
  for (let at = range.from; at <= range.to; at += range.stepMs) {
    const values = byTime.get(at);
    const observation: ProviderMeasurement = values && values.length > 0
      ? { kind: 'value', value: values, sampleCount: values.length, query }
      : { kind: 'noData', reason: 'no series at this step', sampleCount: 0, query };
    points.push({ at, observation });
  }
  return points;
}

/** The largest range selector in the query, e.g. "[2m]" → "2m": the window shown with a verdict. */
export function windowOf(query: string): { window?: string } {
  let best: { text: string; ms: number } | undefined;
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000, y: 31_536_000_000 };
  for (const match of query.matchAll(/\[(\d+(?:ms|[smhdwy]))(?::[^\]]*)?\]/g)) {
    const text = match[1] ?? '';
    const m = /^(\d+)(ms|[smhdwy])$/.exec(text);
    const ms = m ? Number(m[1]) * (units[m[2] ?? 's'] ?? 1000) : 0;
    if (!best || ms > best.ms) best = { text, ms };
  }
  return best ? { window: best.text } : {};
}

export const prometheusMetricProvider: MetricProviderDefinition<PrometheusConfig> = {
  type: 'prometheus',
  description: 'PromQL over the Prometheus HTTP API (instant and range queries).',
  configSchema: configSchema as z.ZodType<PrometheusConfig>,
  create: (config) => createPrometheusProvider(config),
};
