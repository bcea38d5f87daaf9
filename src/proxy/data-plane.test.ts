import { describe, expect, it } from 'vitest';
import { systemClock } from '../platform/clock.js';
import { createDataPlane } from './data-plane.js';
import { sendRequests, startVersionServer } from './test-support.case.js';

describe('data plane', () => {
  it('runs a listener per service, shares metrics and faults, and exposes /metrics text', async () => {
    const stable = await startVersionServer('1.0.0');
    const plane = createDataPlane({ clock: systemClock });
    try {
      const added = await plane.addService({ service: 'api', namespace: 'prod', stable: { version: '1.0.0', url: stable.url } });
      if (!added.ok) throw new Error(added.message);
      expect(await plane.addService({ service: 'api', stable: { version: '1.0.0', url: stable.url } })).toMatchObject({ ok: false, code: 'conflict' });
      expect(await plane.addService({ service: 'web', stable: { version: '1', url: 'ftp://x' } })).toMatchObject({ ok: false, code: 'invalid' });
      expect(plane.get('api')).toBe(added.proxy);
      plane.faults.set('api', '1.0.0', { abortShare: 1, abortStatus: 500, durationMs: 60_000 });
      const r = await sendRequests(`http://127.0.0.1:${added.address.port}`, 10, { concurrency: 2 });
      expect(r.statuses.get(500)).toBe(10);
      expect(plane.renderMetrics()).toContain('http_requests_total{service="api",namespace="prod",version="1.0.0",code="500"} 10');
      expect(plane.metrics.errorRatio('api', '1.0.0', 60, Date.now())).toEqual({ value: 1, requests: 10 });
      expect(await plane.removeService('api', 100)).toBe(true);
      expect(plane.services()).toEqual([]);
    } finally {
      await plane.close(100);
      await stable.close();
    }
  });
});
