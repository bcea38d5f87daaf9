import { describe, expect, it } from 'vitest';
import { createBuiltinProvider } from './builtin.js';
import { metricFor, metricProviderContract } from './provider.case.js';
import type { BuiltinMetricsSource } from './types.js';

/** A source scripted per service: "svc-0.25" answers an error ratio of 0.25 over 1,000 requests. */
function scriptedSource(): BuiltinMetricsSource & { calls: unknown[][] } {
  const calls: unknown[][] = [];
  return {
    calls,
    countsOver(service, version, windowSeconds, now) {
      calls.push(['counts', service, version, windowSeconds, now]);
      if (service === 'down') throw new Error('proxy metrics store closed');
      if (service === 'idle') return { requests: 0, errors: 0 };
      const ratio = Number(service.replace('svc-', ''));
      return { requests: 10_000, errors: Math.round(ratio * 10_000) };
    },
    latencyQuantile(q, service, version, windowSeconds, now) {
      calls.push(['latency', q, service, version, windowSeconds, now]);
      return service === 'idle' ? { value: Number.NaN, samples: 0 } : { value: 0.180, samples: 640 };
    },
  };
}

describe('builtin provider', () => {
  metricProviderContract('builtin', { empty: true, hanging: false }, async () => ({
    provider: createBuiltinProvider(scriptedSource()),
    answering: (v) => metricFor({ type: 'builtin', metric: 'error-ratio', service: `svc-${v}`, version: 'v2', window: '2m' }),
    failing: () => metricFor({ type: 'builtin', metric: 'error-ratio', service: 'down', window: '2m' }),
    empty: () => metricFor({ type: 'builtin', metric: 'error-ratio', service: 'idle', window: '2m' }),
    foreign: () => metricFor({ type: 'prometheus', address: 'http://x', query: 'up' }),
    close: async () => {},
  }));

  const now = 1_767_607_200_000;

  it('error ratio over the window, with the request count and the window passed as seconds ending now', async () => {
    const source = scriptedSource();
    const m = await createBuiltinProvider(source).measure(metricFor({ type: 'builtin', metric: 'error-ratio', service: 'svc-0.02', version: 'v2', window: '2m' }), { now });
    expect(m).toMatchObject({ kind: 'value', value: 0.02, requestCount: 10_000, sampleCount: 10_000, window: '2m', query: 'builtin error-ratio {service=svc-0.02, version=v2} over 2m' });
    expect(source.calls).toEqual([['counts', 'svc-0.02', 'v2', 120, now]]);
  });

  it.each([
    [{ metric: 'request-rate' as const, service: 'svc-0', window: '10s' }, { kind: 'value', value: 1000, requestCount: 10_000 }],
    [{ metric: 'latency-quantile' as const, service: 'svc-0', window: '1m', quantile: 0.95 }, { kind: 'value', value: 0.18, sampleCount: 640 }],
    [{ metric: 'latency-quantile' as const, service: 'idle', window: '1m', quantile: 0.95 }, { kind: 'noData', requestCount: 0 }],
    [{ metric: 'request-rate' as const, service: 'idle', window: '1m' }, { kind: 'noData' }],
    [{ metric: 'error-ratio' as const, service: 'svc-0', window: 'soon' }, { kind: 'error', errorCode: 'bad_query' }],
  ])('%o → %o', async (spec, expected) => {
    const m = await createBuiltinProvider(scriptedSource()).measure(metricFor({ type: 'builtin', ...spec }), { now });
    expect(m).toMatchObject(expected);
  });
});
