import { describe, expect, it } from 'vitest';
import { systemClock } from '../../platform/clock.js';
import { createSilentLogger } from '../../platform/logger.js';
import { createFaultTable } from '../../proxy/faults.js';
import { createMetricsStore } from '../../proxy/metrics-store.js';
import { createServiceProxy } from '../../proxy/service-proxy.js';
import { sendRequests, startVersionServer } from '../../proxy/test-support.case.js';
import { builtinProxyRouter } from './builtin-proxy.js';
import { routerContract } from './router.case.js';
import { createProxyDirectory } from './types.js';

routerContract('builtin-proxy (real sockets)', async () => {
  const stable = await startVersionServer('stable');
  const canary = await startVersionServer('canary');
  const proxy = createServiceProxy({
    service: 'api', stable: { version: 'stable', url: stable.url }, canary: { version: 'canary', url: canary.url },
    clock: systemClock, metrics: createMetricsStore({ clock: systemClock }), faults: createFaultTable(systemClock),
  });
  const { port } = await proxy.start();
  const router = await builtinProxyRouter.create({}, { clock: systemClock, logger: createSilentLogger(), proxies: createProxyDirectory([proxy]) });
  return {
    router, service: 'api', knowsServices: true,
    async measure(n, headers) {
      const r = await sendRequests(`http://127.0.0.1:${port}`, n, { concurrency: 16, headersFor: () => headers ?? {} });
      return { canaryShare: (r.byVersion.get('canary') ?? 0) / n, failures: r.failures };
    },
    async cleanup() {
      await proxy.close(1000);
      await stable.close();
      await canary.close();
    },
  };
});

describe('builtin-proxy router', () => {
  it('applies a weight change in well under a millisecond (one config swap)', async () => {
    const stable = await startVersionServer('stable');
    const proxy = createServiceProxy({ service: 'api', stable: { version: 'stable', url: stable.url }, canary: { version: 'c', url: stable.url }, clock: systemClock, metrics: createMetricsStore({ clock: systemClock }), faults: createFaultTable(systemClock) });
    const router = await builtinProxyRouter.create({}, { clock: systemClock, logger: createSilentLogger(), proxies: createProxyDirectory([proxy]) });
    const t0 = performance.now();
    for (let i = 1; i <= 1000; i++) expect((await router.setWeight('api', (i % 100) + 0.5)).ok).toBe(true);
    expect((performance.now() - t0) / 1000).toBeLessThan(1);
    expect(proxy.routing().canaryWeight).toBe(50);
    await stable.close();
  });
});
