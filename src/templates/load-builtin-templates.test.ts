import { describe, expect, it } from 'vitest';
import { formatTemplateProblem } from '../config/analysis/problems.js';
import { assessMeasurement, resolve } from '../domain/analysis/index.js';
import type { Observation, ResolvedAnalysis } from '../domain/analysis/index.js';
import { loadBuiltinTemplates, TEMPLATE_FORMS } from './load-builtin-templates.js';
import type { TemplateForm } from './load-builtin-templates.js';

const SPEC_TEMPLATES = [
  'slo-guard', 'smoke-check', 'slo-burn-check', 'error-budget-check', 'synthetic-check',
  'anomaly-check', 'resilience-probe', 'quick-health-check', 'migration-validation', 'data-integrity-check',
];

const set = loadBuiltinTemplates();
const release = { service: 'checkout', namespace: 'shop', version: 'v2' };
// Arguments that have no release source: sample values, as a rollout step would pass them.
const sampleArgs: Record<string, Record<string, string>> = {
  'slo-guard/prometheus': { service: 'checkout', namespace: 'shop' },
  'resilience-probe/prometheus': { service: 'checkout', namespace: 'shop' },
  'migration-validation/builtin': { 'status-url': 'http://127.0.0.1:4000/migrations' },
  'data-integrity-check/builtin': { 'report-url': 'http://127.0.0.1:4000/integrity' },
};

function resolved(name: string, form: TemplateForm): ResolvedAnalysis {
  const found = set.find(name, form);
  if (!found) throw new Error(`${name}/${form} not shipped`);
  const result = resolve(found.template, { args: sampleArgs[`${name}/${form}`] ?? {}, release });
  if (!result.ok) throw new Error(result.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return result.analysis;
}

describe('built-in analysis templates', () => {
  it('every file loads without errors (warnings only: job images, and the verbatim resilience-probe\'s job condition)', () => {
    expect(set.problems.filter((p) => p.severity === 'error').map(formatTemplateProblem)).toEqual([]);
    expect(set.problems.filter((p) => p.code !== 'JOB_IMAGE_IGNORED').map((p) => `${p.template ?? ''}:${p.code}`)).toEqual(['resilience-probe:JOB_CONDITION_IGNORED']);
    expect(set.ok).toBe(true);
  });

  it('ships each of the spec\'s ten templates in both forms, and nothing else', () => {
    for (const form of TEMPLATE_FORMS) expect(set.templates.filter((t) => t.form === form).map((t) => t.name).sort()).toEqual([...SPEC_TEMPLATES].sort());
  });

  it.each(SPEC_TEMPLATES.flatMap((name) => TEMPLATE_FORMS.map((form) => [name, form] as const)))('%s (%s) resolves with sample args, leaving nothing unresolved', (name, form) => {
    const analysis = resolved(name, form);
    expect(analysis.unresolved).toEqual([]);
    expect(analysis.metrics.length).toBeGreaterThan(0);
    for (const metric of analysis.metrics) expect(JSON.stringify(metric.provider)).not.toContain('{{');
  });

  it('the Prometheus slo-guard is the spec\'s, verbatim: Argo semantics, 30 s × 10, failureLimit 3, result < 0.02', () => {
    const analysis = resolved('slo-guard', 'prometheus');
    expect(analysis.semantics).toBe('argo');
    const [errorRate] = analysis.metrics;
    expect(errorRate).toMatchObject({ name: 'error-rate', intervalMs: 30_000, count: 10, failureLimit: 3, consecutiveErrorLimit: 4 });
    expect(errorRate?.successCondition?.source).toBe('result < 0.02');
    expect(errorRate?.provider.type === 'prometheus' && errorRate.provider.query).toContain('service="checkout"');
    expect(analysis.metrics.map((m) => m.name)).toEqual(['error-rate', 'latency-p95', 'cpu-saturation']);
  });

  it('Rampart\'s own forms use rampart/v1 semantics', () => {
    const own = set.templates.filter((t) => !(t.form === 'prometheus' && (t.name === 'slo-guard' || t.name === 'resilience-probe')));
    expect(own.every((t) => t.template.semantics === 'rampart/v1')).toBe(true);
  });

  const value = (v: number | number[], requestCount = 10_000): Observation => ({ kind: 'value', value: v, requestCount, sampleCount: Array.isArray(v) ? v.length : requestCount });
  // [template, form, metric, a good observation, a bad one]
  it.each([
    ['smoke-check', 'prometheus', 'error-rate', value([0.01]), value([0.08])],
    ['slo-burn-check', 'prometheus', 'burn-rate-fast', value([1.5]), value([2.5])],
    ['slo-burn-check', 'builtin', 'burn-rate-fast', value(0.0015), value(0.0025)],
    ['error-budget-check', 'prometheus', 'budget-remaining', value([0.35]), value([-0.1])],
    ['error-budget-check', 'builtin', 'budget-remaining', value(0.0005), value(0.0009)],
    ['synthetic-check', 'prometheus', 'synthetic-success', value([1]), value([0])],
    ['synthetic-check', 'builtin', 'synthetic-success', { kind: 'value', value: 1 }, { kind: 'value', value: 0 }],
    ['anomaly-check', 'prometheus', 'error-rate-anomaly', value([0]), value([1])],
    ['anomaly-check', 'builtin', 'error-rate', value(0.01), value(0.06)],
    ['anomaly-check', 'builtin', 'anomaly-alerts', { kind: 'value', value: 0 }, { kind: 'value', value: 1 }],
    ['resilience-probe', 'builtin', 'circuit-breaker-test', { kind: 'value', value: 1 }, { kind: 'value', value: 0 }],
    ['quick-health-check', 'builtin', 'latency-p95', value(0.2), value(0.7)],
    ['migration-validation', 'prometheus', 'pending-migrations', value([0]), value([2])],
    ['migration-validation', 'builtin', 'pending-migrations', { kind: 'value', value: 0 }, { kind: 'value', value: 3 }],
    ['data-integrity-check', 'builtin', 'integrity-failures', { kind: 'value', value: 0 }, { kind: 'value', value: 4 }],
    ['slo-guard', 'builtin', 'error-rate', value(0.004), value(0.03)],
  ] as const)('%s (%s) %s: passes a good measurement, fails a bad one', (name, form, metricName, good, bad) => {
    const metric = resolved(name, form).metrics.find((m) => m.name === metricName);
    if (!metric) throw new Error(`no metric ${metricName}`);
    expect(assessMeasurement(good as Observation, metric).phase).toBe('Successful');
    expect(assessMeasurement(bad as Observation, metric).phase).toBe('Failed');
  });

  it.each([
    ['error-budget-check', 'prometheus', 'budget-remaining', 'Failed'],
    ['slo-burn-check', 'prometheus', 'burn-rate-fast', 'Inconclusive'],
    ['quick-health-check', 'builtin', 'error-rate', 'Pending'],
    ['synthetic-check', 'builtin', 'synthetic-success', 'Pending'],
    ['anomaly-check', 'builtin', 'anomaly-alerts', 'Inconclusive'],
    ['resilience-probe', 'builtin', 'circuit-breaker-test', 'Inconclusive'],
  ] as const)('%s (%s) %s: no data is %s, never a pass', (name, form, metricName, phase) => {
    const metric = resolved(name, form).metrics.find((m) => m.name === metricName);
    if (!metric) throw new Error(`no metric ${metricName}`);
    expect(assessMeasurement({ kind: 'noData', reason: 'no series' }, metric).phase).toBe(phase);
  });

  it.each([
    ['synthetic-check', { type: 'builtin', metric: 'synthetic-success', service: 'checkout', version: 'v2', window: '5m' }],
    ['anomaly-check', { type: 'builtin', metric: 'anomaly-alerts', service: 'checkout', window: '5m' }],
    ['resilience-probe', { type: 'builtin', metric: 'resilience-probe', service: 'checkout', version: 'v2', window: '10s' }],
  ] as const)('the builtin %s reads Rampart\'s own safeguard results for the release', (name, provider) => {
    expect(resolved(name, 'builtin').metrics[0]?.provider).toEqual(provider);
  });

  it('the builtin slo-guard waits for 20 requests before judging', () => {
    const metric = resolved('slo-guard', 'builtin').metrics[0];
    if (!metric) throw new Error('no metric');
    expect(assessMeasurement(value(0.5, 5), metric).phase).toBe('Pending');
  });
});

describe('loadBuiltinTemplates from a folder without templates', () => {
  it('reports the missing folders as errors instead of throwing', () => {
    const empty = loadBuiltinTemplates('/nonexistent/rampart-templates');
    expect(empty.ok).toBe(false);
    expect(empty.problems.map((p) => p.code)).toEqual(['TEMPLATE_DIR', 'TEMPLATE_DIR']);
    expect(empty.find('slo-guard', 'prometheus')).toBeUndefined();
  });
});
