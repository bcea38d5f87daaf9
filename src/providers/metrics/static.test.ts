import { describe, expect, it } from 'vitest';
import { metricFor, metricProviderContract } from './provider.case.js';
import { createStaticProvider, staticMetricProvider } from './static.js';

describe('static provider', () => {
  metricProviderContract('static (scripted function)', { empty: true, hanging: false }, async () => ({
    provider: createStaticProvider((metric) => {
      if (metric.provider.type !== 'prometheus') return { kind: 'error', errorCode: 'misconfigured', message: 'static test script only answers prometheus metrics' };
      const q = metric.provider.query;
      if (q === 'down') return { kind: 'error', errorCode: 'unavailable', message: 'scripted outage' };
      if (q === 'empty') return { kind: 'noData', reason: 'scripted' };
      return { kind: 'value', value: Number(q), query: q };
    }),
    answering: (v) => metricFor({ type: 'prometheus', address: 'static', query: String(v) }),
    failing: () => metricFor({ type: 'prometheus', address: 'static', query: 'down' }),
    empty: () => metricFor({ type: 'prometheus', address: 'static', query: 'empty' }),
    foreign: () => metricFor({ type: 'web', url: 'http://x' }),
    close: async () => {},
  }));

  it('configured scripts answer in order per metric and repeat the last answer', async () => {
    const provider = staticMetricProvider.create(staticMetricProvider.configSchema.parse({ values: { 'error-rate': [0.01, 'NaN', [], { error: 'down', code: 'timeout' }, { job: 0, output: { ok: true } }] } }), { clock: { now: () => 0, setTimer: () => () => {} } });
    const metric = metricFor({ type: 'prometheus', address: 'x', query: 'q' }, 'error-rate');
    const seen = [];
    for (let i = 0; i < 6; i++) seen.push(await provider.measure(metric, { now: 0 }));
    expect(seen.map((m) => m.kind)).toEqual(['value', 'value', 'noData', 'error', 'job', 'job']);
    expect(seen[1]?.kind === 'value' && Number.isNaN(seen[1].value)).toBe(true);
    expect(seen[3]).toMatchObject({ errorCode: 'timeout', message: 'down' });
    const other = await provider.measure(metricFor({ type: 'prometheus', address: 'x', query: 'q' }, 'latency'), { now: 0 });
    expect(other).toMatchObject({ kind: 'error', errorCode: 'misconfigured', message: expect.stringContaining('"latency"') });
  });

  it('rejects a malformed script at configuration time', () => {
    expect(staticMetricProvider.configSchema.safeParse({ values: { m: [{ nonsense: 1 }] } }).success).toBe(false);
    expect(staticMetricProvider.configSchema.safeParse({ values: { m: [] } }).success).toBe(false);
  });
});
