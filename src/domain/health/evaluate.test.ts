import { describe, expect, it } from 'vitest';
import { type HealthInputs, assessMetric, evaluateHealth } from './evaluate.js';
import { type HealthMetric, checkThresholds, specHealthThresholds, thresholdsFor } from './thresholds.js';

const spec = specHealthThresholds;

describe('assessMetric: the key-metrics table', () => {
  it.each<[HealthMetric, number, string]>([
    ['errorRate', 0.009, 'ok'],
    ['errorRate', 0.01, 'ok'],
    ['errorRate', 0.0101, 'warning'],
    ['errorRate', 0.05, 'warning'],
    ['errorRate', 0.0501, 'critical'],
    ['latencyP95Ms', 299, 'ok'],
    ['latencyP95Ms', 300, 'ok'],
    ['latencyP95Ms', 301, 'warning'],
    ['latencyP95Ms', 500, 'warning'],
    ['latencyP95Ms', 501, 'critical'],
    ['cpu', 0.7, 'ok'],
    ['cpu', 0.71, 'warning'],
    ['cpu', 0.85, 'warning'],
    ['cpu', 0.86, 'critical'],
    ['memory', 0.75, 'ok'],
    ['memory', 0.76, 'warning'],
    ['memory', 0.9, 'warning'],
    ['memory', 0.91, 'critical'],
    ['budgetBurn', 1, 'ok'],
    ['budgetBurn', 1.2, 'warning'],
    ['budgetBurn', 5, 'warning'],
    ['budgetBurn', 5.5, 'critical'],
  ])('%s = %s is %s', (metric, value, status) => {
    expect(assessMetric(metric, { value }, spec).status).toBe(status);
  });

  it.each<[HealthMetric, number | undefined]>([
    ['errorRate', undefined], ['latencyP95Ms', Number.NaN], ['cpu', undefined], ['memory', Infinity], ['budgetBurn', undefined],
  ])('%s without a finite value (%s) is unknown, never ok', (metric, value) => {
    const r = assessMetric(metric, { value, missing: 'no requests' }, spec);
    expect(r.status).toBe('unknown');
    expect(r.value).toBeNull();
    expect(r.reason).toContain('no requests');
  });

  it('says which bound was crossed', () => {
    expect(assessMetric('errorRate', { value: 0.03 }, spec).reason).toBe('error rate (5xx) 3% is above the warning bound 1%');
    expect(assessMetric('latencyP95Ms', { value: 750 }, spec).reason).toBe('latency p95 750ms is above the critical bound 500ms');
  });
});

describe('evaluateHealth', () => {
  const healthy: HealthInputs = { errorRate: { value: 0.001 }, latencyP95Ms: { value: 120 }, cpu: { value: 0.2 }, memory: { value: 0.3 }, budgetBurn: { value: 0.5 } };

  it('is ok only when every metric is measured and within bounds', () => {
    const h = evaluateHealth(healthy, spec);
    expect(h.status).toBe('ok');
    expect(h.reasons).toEqual([]);
    expect(h.metrics).toHaveLength(5);
  });

  it('is unknown when a metric is missing, even if the rest are fine', () => {
    const { cpu: _cpu, ...rest } = healthy;
    const h = evaluateHealth(rest, spec);
    expect(h.status).toBe('unknown');
    expect(h.reasons).toEqual(['CPU usage: not measured (no data)']);
  });

  it('is unknown with no inputs at all', () => {
    expect(evaluateHealth({}, spec).status).toBe('unknown');
  });

  it('takes the worst status and lists reasons worst first', () => {
    const h = evaluateHealth({ ...healthy, errorRate: { value: 0.02 }, latencyP95Ms: { value: 900 }, memory: {} }, spec);
    expect(h.status).toBe('critical');
    expect(h.reasons.map((r) => r.split(' ')[0])).toEqual(['latency', 'error', 'memory']);
  });
});

describe('thresholds per tier', () => {
  it('a tier override changes only its fields; other tiers keep the spec table', () => {
    const tiers = { 3: { latencyP95Ms: { warning: 1000, critical: 2000 } } };
    const t3 = thresholdsFor(3, {}, tiers);
    expect(t3.latencyP95Ms).toEqual({ warning: 1000, critical: 2000 });
    expect(t3.errorRate).toEqual(spec.errorRate);
    expect(thresholdsFor(1, {}, tiers)).toEqual(spec);
    const inputs = { latencyP95Ms: { value: 800 } };
    expect(evaluateHealth(inputs, t3).metrics.find((m) => m.metric === 'latencyP95Ms')?.status).toBe('ok');
    expect(evaluateHealth(inputs, thresholdsFor(1, {}, tiers)).metrics.find((m) => m.metric === 'latencyP95Ms')?.status).toBe('critical');
  });

  it('defaults apply to every tier and a tier overrides one bound of them', () => {
    const t = thresholdsFor(2, { errorRate: { warning: 0.02, critical: 0.1 } }, { 2: { errorRate: { critical: 0.2 } } });
    expect(t.errorRate).toEqual({ warning: 0.02, critical: 0.2 });
    expect(thresholdsFor(1, { errorRate: { warning: 0.02, critical: 0.1 } }).errorRate).toEqual({ warning: 0.02, critical: 0.1 });
  });

  it('checkThresholds rejects a warning above its critical bound', () => {
    expect(checkThresholds(spec, 'x')).toEqual([]);
    expect(checkThresholds(thresholdsFor(1, { cpu: { warning: 0.9 } }), 'safeguards.health')).toEqual([
      'safeguards.health.cpu: warning (0.9) is above critical (0.85); a warning must come first',
    ]);
  });
});
