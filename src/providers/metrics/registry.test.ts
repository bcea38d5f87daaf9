import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../platform/clock.js';
import { METRIC_PROVIDER_DEFINITIONS } from './definitions.js';
import { createMetricProviderRegistry } from './registry.js';

const registry = createMetricProviderRegistry(METRIC_PROVIDER_DEFINITIONS);
const deps = { clock: createManualClock() };

describe('metric provider registry', () => {
  it('knows every shipped kind', () => {
    expect(registry.types).toEqual(['builtin', 'job', 'prometheus', 'static', 'web']);
  });

  it('creates a set keyed by the provider type each serves, defaults written in', () => {
    const result = registry.createSet([{ type: 'prometheus', config: { address: 'http://127.0.0.1:9090' } }, { type: 'web' }, { type: 'job' }], deps);
    expect(result.ok).toBe(true);
    if (result.ok) expect(Object.keys(result.providers).sort()).toEqual(['job', 'prometheus', 'web']);
  });

  it('an unknown type is a configuration error naming it and the known types', () => {
    const result = registry.createSet([{ type: 'datadog' }], deps);
    expect(result).toEqual({ ok: false, problems: [{ code: 'PROVIDER_UNKNOWN', path: 'metricProviders[0].type', message: 'unknown metric provider type "datadog"; known types: builtin, job, prometheus, static, web' }] });
  });

  it.each([
    [[{ type: 'prometheus', config: { defaultTimeoutSeconds: -1 } }], 'PROVIDER_CONFIG', 'metricProviders[0].config.defaultTimeoutSeconds'],
    [[{ type: 'web', config: { surprise: true } }], 'PROVIDER_CONFIG', 'metricProviders[0].config'],
    [[{ type: 'prometheus' }, { type: 'prometheus' }], 'PROVIDER_DUPLICATE', 'metricProviders[1]'],
    [[{ type: 'static' }], 'PROVIDER_CONFIG', 'metricProviders[0].serves'],
    [[{ type: 'builtin' }], 'PROVIDER_CREATE', 'metricProviders[0]'],
  ])('%o is refused with %s at %s', (entries, code, path) => {
    const result = registry.createSet(entries, deps);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]).toMatchObject({ code, path });
  });

  it('a static provider can stand in for prometheus (dry runs)', () => {
    const result = registry.createSet([{ type: 'static', serves: 'prometheus', config: { fallback: 0.001 } }], deps);
    expect(result.ok && result.providers.prometheus?.type).toBe('static');
  });
});
