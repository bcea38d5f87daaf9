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

describe('builtin provider: the runtime safeguards\' own results', () => {
  const now = 1_767_607_200_000;
  const source = (): BuiltinMetricsSource & { asked: unknown[][] } => {
    const asked: unknown[][] = [];
    return {
      asked,
      countsOver: () => ({ requests: 0, errors: 0 }),
      latencyQuantile: () => ({ value: Number.NaN, samples: 0 }),
      async synthetic(service, version, since) {
        asked.push(['synthetic', service, version, since]);
        if (version === 'good') return { state: 'pass', explanation: '2 check(s) passed' };
        if (version === 'bad') return { state: 'fail', explanation: '1 of 2 check(s) failed: graphql: POST /graphql answered 500' };
        return { state: 'none', explanation: 'no synthetic run against api new yet' };
      },
      async anomalies(service) {
        if (service === 'alarmed') return { state: 'unjudged', firing: 2, explanation: '2 open anomaly alert(s)' };
        if (service === 'quiet') return { state: 'judged', firing: 0, explanation: 'no open anomaly alert' };
        return { state: 'unjudged', firing: 0, explanation: 'ErrorRateAnomaly: no-baseline' };
      },
      async resilienceProbe(service, version, windowSeconds) {
        asked.push(['probe', service, version, windowSeconds]);
        if (version === 'gone') return { value: null, explanation: 'not behind the proxy' };
        return version === 'fragile' ? { value: 0, explanation: 'breaker inventory is open' } : { value: 1, explanation: 'all breakers closed' };
      },
    };
  };

  it.each([
    ['synthetic pass', { metric: 'synthetic-success', service: 'api', version: 'good', window: '5m' }, { kind: 'value', value: 1 }],
    ['synthetic fail', { metric: 'synthetic-success', service: 'api', version: 'bad', window: '5m' }, { kind: 'value', value: 0, query: expect.stringContaining('graphql: POST /graphql answered 500') }],
    ['no synthetic run is no data', { metric: 'synthetic-success', service: 'api', version: 'new', window: '5m' }, { kind: 'noData', reason: 'no synthetic run against api new yet' }],
    ['synthetic without a version', { metric: 'synthetic-success', service: 'api', window: '5m' }, { kind: 'error', errorCode: 'bad_query' }],
    ['open alerts are counted even without a verdict', { metric: 'anomaly-alerts', service: 'alarmed', window: '5m' }, { kind: 'value', value: 2 }],
    ['no alert with verdicts is 0', { metric: 'anomaly-alerts', service: 'quiet', window: '5m' }, { kind: 'value', value: 0, query: 'builtin anomaly-alerts {service=quiet}: no open anomaly alert' }],
    ['no alert without verdicts is no data', { metric: 'anomaly-alerts', service: 'new', window: '5m' }, { kind: 'noData' }],
    ['probe pass', { metric: 'resilience-probe', service: 'api', version: 'sturdy', window: '10s' }, { kind: 'value', value: 1 }],
    ['probe fail', { metric: 'resilience-probe', service: 'api', version: 'fragile', window: '10s' }, { kind: 'value', value: 0, query: expect.stringContaining('breaker inventory is open') }],
    ['probe without a verdict', { metric: 'resilience-probe', service: 'api', version: 'gone', window: '10s' }, { kind: 'noData' }],
    ['probe with a bad window', { metric: 'resilience-probe', service: 'api', version: 'sturdy', window: 'later' }, { kind: 'error', errorCode: 'bad_query' }],
  ] as const)('%s', async (_name, spec, expected) => {
    const m = await createBuiltinProvider(source()).measure(metricFor({ type: 'builtin', ...spec }), { now });
    expect(m).toMatchObject(expected);
  });

  it('reads only synthetic runs within the window, and probes for the window\'s length', async () => {
    const s = source();
    await createBuiltinProvider(s).measure(metricFor({ type: 'builtin', metric: 'synthetic-success', service: 'api', version: 'good', window: '5m' }), { now });
    await createBuiltinProvider(s).measure(metricFor({ type: 'builtin', metric: 'resilience-probe', service: 'api', version: 'sturdy', window: '15s' }), { now });
    expect(s.asked).toEqual([['synthetic', 'api', 'good', now - 300_000], ['probe', 'api', 'sturdy', 15]]);
  });

  it('a safeguard that is not running is an error naming it, never a pass', async () => {
    const bare: BuiltinMetricsSource = { countsOver: () => ({ requests: 0, errors: 0 }), latencyQuantile: () => ({ value: 0, samples: 0 }) };
    for (const metric of ['synthetic-success', 'anomaly-alerts', 'resilience-probe'] as const) {
      const m = await createBuiltinProvider(bare).measure(metricFor({ type: 'builtin', metric, service: 'api', version: 'v2', window: '5m' }), { now });
      expect(m).toMatchObject({ kind: 'error', errorCode: 'unavailable' });
    }
  });
});
