import type { BuiltinProviderSpec, HeaderSpec, ProviderSpec } from '../../domain/analysis/template.js';
import type { Cursor } from './yaml-cursor.js';

export const SUPPORTED_PROVIDERS = ['prometheus', 'web', 'job', 'builtin'] as const;

// Argo's providers that Rampart does not implement: named in the message so users know it is a
// known gap, not a typo.
const ARGO_ONLY = ['datadog', 'newRelic', 'wavefront', 'kayenta', 'cloudWatch', 'graphite', 'influxdb', 'skywalking', 'plugin', 'apisix'];

/** Parses `metric.provider`: exactly one supported provider, or an error naming the unsupported one. */
export function parseProvider(c: Cursor): ProviderSpec | undefined {
  if (!c.exists) {
    c.error('FIELD_REQUIRED', `provider is required (one of: ${SUPPORTED_PROVIDERS.join(', ')})`);
    return undefined;
  }
  const keys = c.keys();
  if (keys.length !== 1) {
    c.error('PROVIDER_COUNT', `a metric needs exactly one provider, found ${keys.length === 0 ? 'none' : keys.join(', ')}`);
    return undefined;
  }
  const kind = keys[0] ?? '';
  const body = c.get(kind);
  switch (kind) {
    case 'prometheus': return prometheus(body);
    case 'web': return web(body);
    case 'job': return job(body);
    case 'builtin': return builtin(body);
  }
  const known = ARGO_ONLY.includes(kind) ? `Argo's "${kind}" provider` : `provider "${kind}"`;
  body.error('PROVIDER_UNSUPPORTED', `${known} is not supported by Rampart (supported: ${SUPPORTED_PROVIDERS.join(', ')}); rewrite the metric as a Prometheus query or a web/job check`, c.get(kind).offset);
  return undefined;
}

function prometheus(c: Cursor): ProviderSpec | undefined {
  c.allowOnly(['address', 'query', 'timeout', 'headers', 'insecure', 'authentication']);
  if (c.get('authentication').exists) c.get('authentication').error('PROVIDER_FIELD_UNSUPPORTED', 'prometheus.authentication (sigv4/oauth2) is not supported; put the credentials in headers instead');
  insecure(c);
  const address = c.get('address').string(true);
  const query = c.get('query').string(true);
  const timeoutSeconds = positiveNumber(c.get('timeout'));
  const headers = parseHeaders(c.get('headers'));
  if (address === undefined || query === undefined) return undefined;
  return { type: 'prometheus', address, query, ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}), ...(headers ? { headers } : {}) };
}

function web(c: Cursor): ProviderSpec | undefined {
  c.allowOnly(['url', 'method', 'headers', 'body', 'jsonBody', 'jsonPath', 'timeoutSeconds', 'insecure', 'authentication']);
  if (c.get('authentication').exists) c.get('authentication').error('PROVIDER_FIELD_UNSUPPORTED', 'web.authentication (oauth2/sigv4) is not supported; put the credentials in headers instead');
  insecure(c);
  const url = c.get('url').string(true);
  const method = c.get('method').string()?.toUpperCase();
  if (method !== undefined && !['GET', 'POST', 'PUT'].includes(method)) c.get('method').error('FIELD_VALUE', `method "${method}" is not one of GET, POST, PUT`);
  let body = c.get('body').string();
  if (c.get('jsonBody').exists) {
    if (body !== undefined) c.get('jsonBody').error('FIELD_VALUE', 'use either body or jsonBody, not both');
    body = JSON.stringify(c.get('jsonBody').node?.toJSON());
  }
  const jsonPath = c.get('jsonPath').string();
  const timeoutSeconds = positiveNumber(c.get('timeoutSeconds'));
  const headers = parseHeaders(c.get('headers'));
  if (url === undefined) return undefined;
  return {
    type: 'web', url,
    ...(method ? { method } : {}), ...(headers ? { headers } : {}), ...(body !== undefined ? { body } : {}),
    ...(jsonPath !== undefined ? { jsonPath } : {}), ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
  };
}

/** Argo's job provider is a Kubernetes Job; Rampart runs its first container's command locally. */
function job(c: Cursor): ProviderSpec | undefined {
  c.allowOnly(['metadata', 'spec']);
  const spec = c.get('spec');
  const podTemplate = spec.get('template');
  const containers = podTemplate.get('spec').get('containers');
  const first = containers.items()[0];
  if (!first) {
    (containers.exists ? containers : c).error('FIELD_REQUIRED', 'job.spec.template.spec.containers needs at least one container with a command');
    return undefined;
  }
  if (containers.items().length > 1) containers.items()[1]?.warn('JOB_CONTAINERS_IGNORED', 'only the first container runs; the others are ignored');
  const list = (cursor: Cursor): string[] => cursor.items().map((item) => item.string() ?? '');
  const command = [...list(first.get('command')), ...list(first.get('args'))];
  if (!first.get('command').exists) {
    first.error('JOB_NO_COMMAND', 'the container has no command; Rampart runs the command locally and cannot use the image entrypoint, so give it a command');
    return undefined;
  }
  const image = first.get('image').string();
  first.get('image').warn('JOB_IMAGE_IGNORED', `image ${image ?? '(none)'} is ignored: Rampart runs the container's command and args locally, without a container`);
  return { type: 'job', command, ...(image !== undefined ? { image } : {}) };
}

function builtin(c: Cursor): ProviderSpec | undefined {
  c.allowOnly(['metric', 'service', 'version', 'window', 'quantile']);
  const metric = c.get('metric').string(true);
  const service = c.get('service').string(true);
  const window = c.get('window').string(true);
  const version = c.get('version').string();
  const quantile = c.get('quantile').scalar();
  const metrics: readonly string[] = ['error-ratio', 'request-rate', 'latency-quantile', 'synthetic-success', 'anomaly-alerts', 'resilience-probe'];
  if (metric !== undefined && !metrics.includes(metric)) c.get('metric').error('FIELD_VALUE', `builtin metric "${metric}" is not one of ${metrics.join(', ')}`);
  if (metric === 'latency-quantile' && (typeof quantile !== 'number' || quantile <= 0 || quantile >= 1)) {
    c.get('quantile').error('FIELD_VALUE', 'latency-quantile needs quantile between 0 and 1 (e.g. 0.95)');
  }
  if (metric === undefined || service === undefined || window === undefined || !metrics.includes(metric)) return undefined;
  return {
    type: 'builtin', metric: metric as BuiltinProviderSpec['metric'], service, window,
    ...(version !== undefined ? { version } : {}), ...(typeof quantile === 'number' ? { quantile } : {}),
  };
}

function insecure(c: Cursor): void {
  if (c.get('insecure').scalar() === true) c.get('insecure').warn('FIELD_IGNORED', 'insecure is ignored: Rampart always verifies TLS certificates');
}

function positiveNumber(c: Cursor): number | undefined {
  if (!c.exists) return undefined;
  const v = c.scalar();
  if (typeof v === 'number' && v > 0) return v;
  c.error('FIELD_TYPE', 'must be a positive number of seconds');
  return undefined;
}

function parseHeaders(c: Cursor): HeaderSpec[] | undefined {
  if (!c.exists) return undefined;
  if (!c.isSeq()) {
    c.error('FIELD_TYPE', 'headers must be a list of {key, value}');
    return undefined;
  }
  return c.items().flatMap((item) => {
    item.allowOnly(['key', 'value']);
    const key = item.get('key').string(true);
    const value = item.get('value').string(true);
    return key !== undefined && value !== undefined ? [{ key, value }] : [];
  });
}
