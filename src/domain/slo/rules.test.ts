import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generateRules, recordedWindows } from './rules.js';
import type { AlertingRule, RecordingRule } from './rules.js';
import { errorRatioExpr, leLabelProm3, leRegex } from './rules-queries.js';
import type { SloDefinition } from './types.js';
import { validateSlo } from './validate.js';

const api: SloDefinition = {
  service: 'api',
  name: 'availability',
  objectivePercent: 99.9,
  window: { kind: 'rolling', days: 30 },
  indicator: { kind: 'availability' },
};

describe('le matching tolerates Prometheus 3 normalisation', () => {
  it.each([
    [0.5, '0.5', true],
    [0.5, '0.50', true],
    [0.5, '0.55', false],
    [0.5, '0.05', false],
    [1, '1', true],
    [1, '1.0', true],
    [1, '1.00', true],
    [1, '10', false],
    [1, '1.5', false],
    [0.25, '0.25', true],
    [2.5, '2.50', true],
  ])('threshold %s matches le="%s": %s', (threshold, le, matches) => {
    // Prometheus anchors regex matchers; so does this check.
    expect(new RegExp(`^(?:${leRegex(threshold)})$`).test(le)).toBe(matches);
  });

  it.each([
    [0.5, '0.5'],
    [1, '1.0'],
    [10, '10.0'],
    [0.25, '0.25'],
  ])('Prometheus 3 writes %s as le="%s"', (threshold, label) => {
    expect(leLabelProm3(threshold)).toBe(label);
  });
});

describe('error ratio expressions divide counts over one window', () => {
  it('availability: 5xx over all requests of the service, zero errors when no 5xx series exists', () => {
    expect(errorRatioExpr(api, '1h')).toBe(
      '(sum(increase(http_requests_total{service="api",code=~"5.."}[1h])) or vector(0))\n/\nsum(increase(http_requests_total{service="api"}[1h]))',
    );
  });

  it('latency: requests above the bucket, from _count minus the bucket, never a quantile', () => {
    const expr = errorRatioExpr({ ...api, indicator: { kind: 'latency', thresholdSeconds: 0.5 } }, '5m');
    expect(expr).toContain('sum(increase(http_request_duration_seconds_count{service="api"}[5m]))');
    expect(expr).toContain('http_request_duration_seconds_bucket{service="api",le=~"0\\\\.50*"}[5m]');
    expect(expr).not.toContain('histogram_quantile');
  });

  it('custom queries: fills {{.window}} and turns good into errors', () => {
    const slo: SloDefinition = {
      ...api,
      indicator: { kind: 'queries', goodQuery: 'sum(rate(ok[{{ .window }}]))', totalQuery: 'sum(rate(all[{{.window}}]))' },
    };
    expect(errorRatioExpr(slo, '6h')).toBe('(\n  (sum(rate(all[6h])))\n  -\n  (sum(rate(ok[6h])))\n)\n/\n(\nsum(rate(all[6h]))\n)');
  });
});

describe('generateRules', () => {
  const recordNames = (slo: SloDefinition) =>
    (generateRules([slo], { anomalyRules: false }).groups[0]?.rules as RecordingRule[]).map((r) => r.record);

  it('records the spec names for a 30 d SLO', () => {
    expect(recordNames(api)).toEqual([
      'slo:sli_error:ratio_rate5m',
      'slo:sli_error:ratio_rate30m',
      'slo:sli_error:ratio_rate1h',
      'slo:sli_error:ratio_rate2h',
      'slo:sli_error:ratio_rate6h',
      'slo:sli_error:ratio_rate1d',
      'slo:sli_error:ratio_rate3d',
      'slo:sli_error:ratio_rate30d',
      'slo:objective:ratio',
      'slo:error_budget:ratio',
      'slo:error_budget_remaining:ratio',
      'slo:error_budget_burn_rate:fast',
      'slo:error_budget_burn_rate:slow',
    ]);
  });

  it.each<[SloDefinition['window'], string]>([
    [{ kind: 'rolling', days: 28 }, '28d'],
    [{ kind: 'rolling', days: 7 }, '7d'],
    [{ kind: 'calendar-month' }, '30d'],
  ])('measures the budget of a %o period over %s', (window, period) => {
    const slo = { ...api, window };
    expect(recordedWindows(slo)).toContain(period);
    const remaining = (generateRules([slo]).groups[0]?.rules as RecordingRule[]).find((r) => r.record === 'slo:error_budget_remaining:ratio');
    expect(remaining?.expr).toBe(`1 - (slo:sli_error:ratio_rate${period}{service="api",slo="availability"} / 0.001)`);
  });

  it('labels every series with service and slo, and the burn rates use 5m and 1h', () => {
    const rules = generateRules([{ ...api, labels: { team: 'core' } }]).groups[0]?.rules as RecordingRule[];
    for (const r of rules) expect(r.labels).toEqual({ team: 'core', service: 'api', slo: 'availability', slo_type: 'availability' });
    expect(rules.find((r) => r.record === 'slo:error_budget_burn_rate:fast')?.expr).toBe('slo:sli_error:ratio_rate5m{service="api",slo="availability"} / 0.001');
    expect(rules.find((r) => r.record === 'slo:error_budget_burn_rate:slow')?.expr).toBe('slo:sli_error:ratio_rate1h{service="api",slo="availability"} / 0.001');
  });

  it.each([
    [30, 'page', ['> 14.4', '> 6']],
    [30, 'ticket', ['> 3', '> 1']],
    [28, 'page', ['> 13.44', '> 5.6']],
    [7, 'ticket', ['> 0.7', '> 0.233333333']],
  ] as const)('a %i d SLO %s alert uses factors %o', (days, severity, thresholds) => {
    const alerts = generateRules([{ ...api, window: { kind: 'rolling', days } }]).groups[1]?.rules as AlertingRule[];
    const alert = alerts.find((a) => a.labels.severity === severity);
    expect(alert?.alert).toBe('ErrorBudgetBurn');
    for (const t of thresholds) expect(alert?.expr).toContain(`${t}\n`);
  });

  it('adds the spec anomaly alerts once', () => {
    const { groups } = generateRules([api, { ...api, service: 'copilot' }]);
    const anomaly = groups.filter((g) => g.name === 'deployment-anomaly');
    expect(anomaly).toHaveLength(1);
    expect((anomaly[0]?.rules as AlertingRule[]).map((r) => [r.alert, r.for])).toEqual([
      ['ErrorRateAnomaly', '2m'],
      ['LatencyAnomaly', '3m'],
    ]);
  });

  it('skips invalid and duplicate SLOs with reasons, keeps the rest', () => {
    const result = generateRules([api, { ...api, objectivePercent: 100, service: 'bad' }, api]);
    expect(result.skipped).toEqual([
      { service: 'bad', slo: 'availability', problems: [{ field: 'objectivePercent', message: expect.stringContaining('below 100') }] },
      { service: 'api', slo: 'availability', problems: [{ field: 'name', message: 'duplicate SLO api/availability' }] },
    ]);
    expect(result.groups.map((g) => g.name)).toEqual(['slo-recording-api-availability', 'slo-alerts-api-availability', 'deployment-anomaly']);
  });

  it('writes YAML that parses back to the same groups, deterministically', () => {
    const a = generateRules([api]);
    expect(parse(a.yaml)).toEqual({ groups: a.groups });
    expect(generateRules([api]).yaml).toBe(a.yaml);
    expect(a.yaml).not.toMatch(/[&*]a\d/); // no YAML anchors for humans to untangle
  });
});

describe('validateSlo', () => {
  it.each<[string, Partial<SloDefinition>, string[]]>([
    ['a valid SLO', {}, []],
    ['objective 0', { objectivePercent: 0 }, ['objectivePercent']],
    ['a 14 d window', { window: { kind: 'rolling', days: 14 as 7 } }, ['window.days']],
    ['a negative latency threshold', { indicator: { kind: 'latency', thresholdSeconds: -1 } }, ['indicator.thresholdSeconds']],
    ['a scientific latency threshold', { indicator: { kind: 'latency', thresholdSeconds: 1e-7 } }, ['indicator.thresholdSeconds']],
    ['queries without {{.window}}', { indicator: { kind: 'queries', errorQuery: 'sum(x)', totalQuery: 'sum(y[{{.window}}])' } }, ['indicator.errorQuery']],
    ['both error and good queries', { indicator: { kind: 'queries', errorQuery: 'a[{{.window}}]', goodQuery: 'b[{{.window}}]', totalQuery: 'c[{{.window}}]' } }, ['indicator']],
    ['a bad alert window', { alerts: [{ severity: 'page', longWindow: '1 hour', shortWindow: '5m', factor: 14.4 }] }, ['alerts[0].longWindow']],
    ['a service name with spaces', { service: 'my api' }, ['service']],
  ])('%s → problems at %o', (_name, patch, fields) => {
    expect(validateSlo({ ...api, ...patch }).map((p) => p.field)).toEqual(fields);
  });
});
