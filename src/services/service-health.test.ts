import { describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { createManualClock } from '../platform/clock.js';
import { createMetricsStore } from '../proxy/metrics-store.js';
import { createServiceHealthService } from './service-health.js';

function setup(yaml = '') {
  const r = parseConfig(yaml);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  const clock = createManualClock();
  const metrics = createMetricsStore({ clock });
  return { clock, metrics, config: r.config };
}

/** Records `n` requests per second for `seconds`, `errPerSec` of them 5xx, each taking `latency` s. */
function traffic(s: ReturnType<typeof setup>, service: string, version: string, seconds: number, n: number, errPerSec: number, latency: number) {
  const series = s.metrics.series(service, version);
  for (let i = 0; i < seconds; i++) {
    for (let k = 0; k < n; k++) series.record(k < errPerSec ? 503 : 200, latency, s.clock.now());
    s.clock.advance(1000);
  }
}

describe('service health from the data plane', () => {
  it('no traffic and no sampling is unknown, with a reason per metric', () => {
    const s = setup();
    const h = createServiceHealthService(s.config, s.clock, s.metrics).forService('api');
    expect(h.status).toBe('unknown');
    expect(h.reasons.join('\n')).toContain('no requests through the built-in proxy');
    expect(h.reasons.join('\n')).toContain('no CPU/memory sampling');
  });

  it('healthy traffic with saturation sampled is ok', () => {
    const s = setup();
    traffic(s, 'api', 'v1', 120, 100, 0, 0.05);
    const h = createServiceHealthService(s.config, s.clock, s.metrics, () => ({ cpu: 0.3, memory: 0.4 })).forService('api');
    expect(h.reasons).toEqual([]);
    expect(h.status).toBe('ok');
  });

  it('3 % errors is a warning on error rate and critical on budget burn (99.9 % objective: 30x)', () => {
    const s = setup();
    traffic(s, 'api', 'v1', 120, 100, 3, 0.05);
    const h = createServiceHealthService(s.config, s.clock, s.metrics, () => ({ cpu: 0.3, memory: 0.4 })).forService('api');
    expect(h.status).toBe('critical');
    expect(h.metrics.find((m) => m.metric === 'errorRate')?.status).toBe('warning');
    expect(h.metrics.find((m) => m.metric === 'budgetBurn')?.value).toBeCloseTo(30, 5);
  });

  it('slow responses cross the latency bound; a tier-1 override in config moves it', () => {
    const s = setup('safeguards:\n  health:\n    tiers:\n      1: { latencyP95Ms: { warning: 800, critical: 2000 } }\n');
    traffic(s, 'api', 'v1', 60, 50, 0, 0.4);
    const strict = createServiceHealthService(setup().config, s.clock, s.metrics).forService('api');
    expect(strict.metrics.find((m) => m.metric === 'latencyP95Ms')?.status).toBe('warning');
    const relaxed = createServiceHealthService(s.config, s.clock, s.metrics).forService('api');
    expect(relaxed.metrics.find((m) => m.metric === 'latencyP95Ms')?.status).toBe('ok');
  });

  it('an unknown service is NOT_FOUND', () => {
    const s = setup();
    expect(() => createServiceHealthService(s.config, s.clock, s.metrics).forService('nope')).toThrow(/no service "nope"/);
  });

  it('config rejects a warning bound above critical and a bad schedule, naming the field', () => {
    const r = parseConfig('safeguards:\n  health:\n    tiers:\n      2: { cpu: { warning: 0.95 } }\n  synthetics:\n    - { service: api, url: "http://127.0.0.1:1", schedule: "every now" }\n');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map((p) => p.path)).toEqual(['safeguards.health.tiers.2', 'safeguards.synthetics[0].schedule']);
    expect(r.problems[0]?.line).toBe(4);
  });
});
