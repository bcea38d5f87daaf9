import { z } from 'zod';
import type { MetricValue } from '../../domain/analysis/index.js';
import type { WebProviderSpec } from '../../domain/analysis/template.js';
import { excerpt, httpRequest } from './http.js';
import { selectJsonPath } from './json-path.js';
import { errorObservation } from './types.js';
import type { MetricProvider, MetricProviderDefinition, ProviderMeasurement } from './types.js';

const configSchema = z.object({
  /** Used when a metric sets no timeoutSeconds (Argo's default is 10 s). */
  defaultTimeoutSeconds: z.number().positive().default(10),
}).strict();
export type WebConfig = z.infer<typeof configSchema>;

/**
 * Argo's web provider: one HTTP request, the JSON answer (or the part `jsonPath` selects)
 * becomes the value. Non-2xx answers are errors (5xx unavailable, 4xx bad_query), as in Argo.
 */
export function createWebProvider(config: WebConfig): MetricProvider {
  return {
    type: 'web',
    async measure(metric, ctx) {
      const p = metric.provider;
      if (p.type !== 'web') return errorObservation('misconfigured', `metric "${metric.name}" uses the ${p.type} provider, not web`);
      return measureWeb(p, config, ctx.signal);
    },
  };
}

async function measureWeb(p: WebProviderSpec, config: WebConfig, signal: AbortSignal | undefined): Promise<ProviderMeasurement> {
  const method = p.method ?? 'GET';
  const query = `${method} ${p.url}${p.jsonPath ? ` ${p.jsonPath}` : ''}`;
  const headers: Record<string, string> = { accept: 'application/json' };
  for (const h of p.headers ?? []) headers[h.key] = h.value;
  if (p.body !== undefined && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) headers['content-type'] = 'application/json';
  const timeoutMs = (p.timeoutSeconds ?? config.defaultTimeoutSeconds) * 1000;
  const outcome = await httpRequest(p.url, { method, headers, ...(p.body !== undefined ? { body: p.body } : {}) }, timeoutMs, signal, query);
  if (!outcome.ok) return outcome.measurement;
  if (outcome.status < 200 || outcome.status >= 300) {
    const code = outcome.status >= 500 ? 'unavailable' : 'bad_query';
    return errorObservation(code, `${method} ${p.url} answered HTTP ${outcome.status}: ${excerpt(outcome.text)}`, { query });
  }
  let body: MetricValue;
  try {
    body = JSON.parse(outcome.text) as MetricValue;
  } catch {
    return errorObservation('bad_response', `${method} ${p.url} did not answer JSON: ${excerpt(outcome.text)}`, { query });
  }
  if (p.jsonPath === undefined) return { kind: 'value', value: body, query };
  const selected = selectJsonPath(body, p.jsonPath);
  if (!selected.ok) return errorObservation('bad_response', selected.message, { query });
  return { kind: 'value', value: selected.value, query };
}

export const webMetricProvider: MetricProviderDefinition<WebConfig> = {
  type: 'web',
  description: 'An HTTP request whose JSON answer (or a jsonPath into it) is the value.',
  configSchema: configSchema as z.ZodType<WebConfig>,
  create: (config) => createWebProvider(config),
};
