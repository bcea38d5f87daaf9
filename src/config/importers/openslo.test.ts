import { describe, expect, it } from 'vitest';
import { generateRules } from '../../domain/slo/rules.js';
import { errorsOf, formatIssue, warningsOf } from './import-result.js';
import { importOpenSlo } from './openslo.js';

const file = `apiVersion: openslo/v1
kind: DataSource
metadata:
  name: prometheus-main
spec:
  type: Prometheus
  connectionDetails:
    url: http://prometheus.monitoring:9090
---
apiVersion: openslo/v1
kind: Service
metadata:
  name: api
spec:
  description: User-facing API
---
apiVersion: openslo/v1
kind: SLI
metadata:
  name: api-success
spec:
  ratioMetric:
    counter: true
    good:
      metricSource:
        metricSourceRef: prometheus-main
        spec:
          query: sum(rate(http_requests_total{service="api",code!~"5.."}[{{.window}}]))
    total:
      metricSource:
        metricSourceRef: prometheus-main
        spec:
          query: sum(rate(http_requests_total{service="api"}[{{.window}}]))
---
apiVersion: openslo/v1
kind: AlertCondition
metadata:
  name: fast-burn
spec:
  severity: page
  condition:
    kind: burnrate
    op: gt
    threshold: 14.4
    lookbackWindow: 1h
    alertAfter: 5m
---
apiVersion: openslo/v1
kind: AlertPolicy
metadata:
  name: api-burn
spec:
  alertWhenBreaching: true
  conditions:
    - conditionRef: fast-burn
    - kind: AlertCondition
      metadata:
        name: slow-burn
      spec:
        severity: ticket
        condition:
          kind: burnrate
          op: gt
          threshold: 1
          lookbackWindow: 3d
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: api-availability
  displayName: API availability
spec:
  service: api
  indicatorRef: api-success
  timeWindow:
    - duration: 30d
      isRolling: true
  budgetingMethod: Occurrences
  objectives:
    - displayName: Good responses
      target: 0.999
  alertPolicies:
    - alertPolicyRef: api-burn
---
apiVersion: openslo/v1
kind: SLO
metadata:
  name: copilot-latency
spec:
  description: Copilot answers within 2 s
  service: copilot
  indicator:
    metadata:
      name: copilot-fast
    spec:
      ratioMetric:
        counter: true
        bad:
          metricSource:
            type: Prometheus
            spec:
              query: sum(increase(http_request_duration_seconds_count{service="copilot"}[5m])) - sum(increase(http_request_duration_seconds_bucket{service="copilot",le=~"2(\\\\.0+)?"}[5m]))
        total:
          metricSource:
            type: prometheus
            spec:
              query: sum(increase(http_request_duration_seconds_count{service="copilot"}[5m]))
  timeWindow:
    - duration: 1M
      isRolling: false
      calendar:
        startTime: 2026-01-01 00:00:00
        timeZone: Europe/Berlin
  budgetingMethod: Occurrences
  objectives:
    - targetPercent: 95
`;

describe('importOpenSlo on a multi-document file', () => {
  const result = importOpenSlo(file, 'openslo/api.yaml');

  it('imports both SLOs without errors', () => {
    expect(errorsOf(result).map(formatIssue)).toEqual([]);
    expect(result.slos.map((s) => [s.service, s.name, s.objectivePercent])).toEqual([
      ['api', 'api-availability', 99.9],
      ['copilot', 'copilot-latency', 95],
    ]);
  });

  it('resolves indicatorRef and metricSourceRef into good/total queries', () => {
    const api = result.slos[0];
    expect(api).toMatchObject({
      description: 'API availability',
      window: { kind: 'rolling', days: 30 },
      indicator: {
        kind: 'queries',
        goodQuery: 'sum(rate(http_requests_total{service="api",code!~"5.."}[{{.window}}]))',
        totalQuery: 'sum(rate(http_requests_total{service="api"}[{{.window}}]))',
      },
      source: { format: 'openslo', file: 'openslo/api.yaml', line: 67 },
    });
  });

  it('maps burnrate conditions (by reference and inline) to multiwindow conditions', () => {
    expect(result.slos[0]?.alerts).toEqual([
      { severity: 'page', longWindow: '1h', shortWindow: '5m', factor: 14.4 },
      { severity: 'ticket', longWindow: '3d', shortWindow: '6h', factor: 1 },
    ]);
  });

  it('reads a calendar month with its zone, and bad/total queries with ranges made windowed', () => {
    const copilot = result.slos[1];
    expect(copilot?.window).toEqual({ kind: 'calendar-month', timeZone: 'Europe/Berlin' });
    expect(copilot?.indicator).toEqual({
      kind: 'queries',
      errorQuery:
        'sum(increase(http_request_duration_seconds_count{service="copilot"}[{{.window}}])) - sum(increase(http_request_duration_seconds_bucket{service="copilot",le=~"2(\\\\.0+)?"}[{{.window}}]))',
      totalQuery: 'sum(increase(http_request_duration_seconds_count{service="copilot"}[{{.window}}]))',
    });
  });

  it('warns, with line and path, about every field it does not import', () => {
    expect(warningsOf(result).map(formatIssue)).toEqual([
      'openslo/api.yaml:7: warning: document 1: spec.connectionDetails: not imported: the Prometheus address comes from the metrics provider in rampart.yaml',
      'openslo/api.yaml:46: warning: document 4: spec.condition.alertAfter: not imported: Rampart confirms a burn with a short window (lookbackWindow / 12) instead of waiting',
      'openslo/api.yaml:53: warning: document 5: spec.alertWhenBreaching: not imported: Rampart always alerts on breach and on missing data, and routes through its notifiers',
      'openslo/api.yaml:102: warning: document 7: spec.indicator.spec.ratioMetric.bad.metricSource.spec.query: range [5m] replaced by {{.window}} so each burn window counts its own requests',
      'openslo/api.yaml:107: warning: document 7: spec.indicator.spec.ratioMetric.total.metricSource.spec.query: range [5m] replaced by {{.window}} so each burn window counts its own requests',
      'openslo/api.yaml:112: warning: document 7: spec.timeWindow[0].calendar.startTime: not imported: calendar months start on the 1st at 00:00 in timeZone',
    ]);
  });

  it('produces SLOs the rule generator accepts', () => {
    const rules = generateRules(result.slos, { anomalyRules: false });
    expect(rules.skipped).toEqual([]);
    expect(rules.yaml).toContain('sum(rate(http_requests_total{service="api"}[30d]))');
  });
});

const slo = (spec: string) => `apiVersion: openslo/v1
kind: SLO
metadata:
  name: s
spec:
  service: api
${spec}`;
const ratio = `  indicator:
    spec:
      ratioMetric:
        good:
          metricSource: {type: Prometheus, spec: {query: "g[{{.window}}]"}}
        total:
          metricSource: {type: Prometheus, spec: {query: "t[{{.window}}]"}}
`;
const rest = `  timeWindow: [{duration: 30d, isRolling: true}]
  budgetingMethod: Occurrences
  objectives: [{target: 0.99}]
`;

describe('importOpenSlo rejects what it cannot model, naming line and field', () => {
  it('accepts the minimal valid SLO these cases start from', () => {
    const r = importOpenSlo(slo(ratio + rest), 'x.yaml');
    expect(r.issues).toEqual([]);
    expect(r.slos).toHaveLength(1);
  });

  it.each([
    ['an older apiVersion', 'apiVersion: openslo/v1alpha\nkind: SLO\nmetadata: {name: s}\n', 'x.yaml:1: error: apiVersion: "openslo/v1alpha" is not supported; convert to openslo/v1'],
    ['time slices', slo(ratio + rest.replace('Occurrences', 'Timeslices')), 'x.yaml:15: error: spec.budgetingMethod: Timeslices is not supported: Rampart budgets count requests (Occurrences)'],
    ['a threshold metric', slo('  indicator:\n    spec:\n      thresholdMetric:\n        metricSource: {type: Prometheus}\n' + rest), 'x.yaml:9: error: spec.indicator.spec.thresholdMetric: threshold SLIs are not supported: budgets need good/total or bad/total request counts (ratioMetric)'],
    ['a rolling 14 d window', slo(ratio + rest.replace('30d', '14d')), 'x.yaml:14: error: spec.timeWindow[0].duration: rolling window 14d is not supported; use 7d, 28d or 30d'],
    ['a target in percent', slo(ratio + rest.replace('target: 0.99', 'target: 99')), 'x.yaml:16: error: spec.objectives[0].target: 99 must be a ratio between 0 and 1 (0.999)'],
    ['a Datadog source', slo(ratio.replace('{type: Prometheus, spec: {query: "g', '{type: Datadog, spec: {query: "g') + rest), 'x.yaml:11: error: spec.indicator.spec.ratioMetric.good.metricSource.type: Datadog is not supported; only Prometheus sources are imported'],
    ['a query with no range', slo(ratio.replace('g[{{.window}}]', 'sum(g)') + rest), 'x.yaml:11: error: spec.indicator.spec.ratioMetric.good.metricSource.spec.query: has no range to vary: write the range as [{{.window}}], e.g. sum(rate(x[{{.window}}]))'],
    ['an unknown indicatorRef', slo('  indicatorRef: nope\n' + rest), 'x.yaml:7: error: spec.indicatorRef: no SLI named "nope" in this file'],
    ['a missing service', slo(ratio + rest).replace('  service: api\n', ''), 'x.yaml:5: error: spec.service: required field is missing'],
    [
      'a "less than" burn condition',
      slo(ratio + rest + '  alertPolicies:\n    - kind: AlertPolicy\n      spec:\n        conditions:\n          - kind: AlertCondition\n            spec:\n              severity: page\n              condition: {kind: burnrate, op: lt, threshold: 2, lookbackWindow: 1h}\n'),
      'x.yaml:24: error: spec.alertPolicies[0].spec.conditions[0].spec.condition.op: lt cannot express "burning too fast"; use gt',
    ],
  ])('%s', (_name, text, expected) => {
    const r = importOpenSlo(text, 'x.yaml');
    expect(errorsOf(r).map(formatIssue)).toEqual([expected]);
    expect(r.slos).toEqual([]);
  });

  it('warns about kinds it does not import and objects no SLO uses', () => {
    const text = `${slo(ratio + rest)}---\napiVersion: openslo/v1\nkind: AlertNotificationTarget\nmetadata: {name: mail}\nspec: {target: email}\n---\napiVersion: openslo/v1\nkind: Budget\nmetadata: {name: b}\n`;
    const r = importOpenSlo(text, 'x.yaml');
    expect(r.slos).toHaveLength(1);
    expect(r.issues.map(formatIssue)).toEqual([
      'x.yaml:19: warning: document 2: kind: AlertNotificationTarget mail is not referenced by any SLO; not imported',
      'x.yaml:24: warning: document 3: kind: kind Budget is not an OpenSLO v1 kind Rampart imports; document skipped',
    ]);
  });

  it('resolves one SLI shared by two SLOs and reports its unsupported field once', () => {
    const sli = `apiVersion: openslo/v1\nkind: SLI\nmetadata: {name: shared}\nspec:\n  owner: team-a\n  ratioMetric:\n    bad: {metricSource: {type: Prometheus, spec: {query: "b[{{.window}}]"}}}\n    total: {metricSource: {type: Prometheus, spec: {query: "t[{{.window}}]"}}}\n`;
    const text = `${sli}---\n${slo('  indicatorRef: shared\n' + rest)}---\n${slo('  indicatorRef: shared\n' + rest).replace('name: s', 'name: s2')}`;
    const r = importOpenSlo(text, 'x.yaml');
    expect(r.slos.map((s) => [s.name, s.indicator])).toEqual([
      ['s', { kind: 'queries', errorQuery: 'b[{{.window}}]', totalQuery: 't[{{.window}}]' }],
      ['s2', { kind: 'queries', errorQuery: 'b[{{.window}}]', totalQuery: 't[{{.window}}]' }],
    ]);
    expect(r.issues.map(formatIssue)).toEqual(['x.yaml:5: warning: document 1: spec.owner: unsupported field, not imported']);
  });

  it.each([
    ['60m', '1h', '5m'],
    ['6h', '6h', '30m'],
    ['1d', '1d', '2h'],
    ['4h', '4h', '20m'],
  ])('pairs lookbackWindow %s as long %s with short %s', (lookback, long, short) => {
    const text = slo(ratio + rest + `  alertPolicies:\n    - kind: AlertPolicy\n      spec:\n        conditions:\n          - kind: AlertCondition\n            spec:\n              severity: page\n              condition: {kind: burnrate, op: gt, threshold: 10, lookbackWindow: ${lookback}}\n`);
    const r = importOpenSlo(text, 'x.yaml');
    expect(r.issues).toEqual([]);
    expect(r.slos[0]?.alerts).toEqual([{ severity: 'page', longWindow: long, shortWindow: short, factor: 10 }]);
  });
});
