import { describe, expect, it } from 'vitest';
import { generateRules } from '../../domain/slo/rules.js';
import { errorsOf, formatIssue, warningsOf } from './import-result.js';
import { importSloth } from './sloth.js';

const checkout = `# Sloth spec for the checkout API
version: "prometheus/v1"
service: "checkout"
labels:
  owner: "payments-team"
  tier: "1"
slos:
  - name: "requests-availability"
    objective: 99.9
    description: "Checkout requests succeed."
    sli:
      events:
        error_query: sum(rate(http_requests_total{service="checkout",code=~"(5..|429)"}[{{.window}}]))
        total_query: sum(rate(http_requests_total{service="checkout"}[{{.window}}]))
    alerting:
      name: CheckoutHighErrorRate
      labels:
        category: "availability"
      annotations:
        summary: "High error rate on checkout"
      page_alert:
        labels:
          severity: pageteam
      ticket_alert:
        disable: true
  - name: "requests-latency"
    objective: 99
    labels:
      category: latency
    sli:
      events:
        error_query: |
          (
            sum(rate(http_request_duration_seconds_count{service="checkout"}[{{ .window }}]))
            -
            sum(rate(http_request_duration_seconds_bucket{service="checkout",le="0.3"}[{{ .window }}]))
          )
        total_query: sum(rate(http_request_duration_seconds_count{service="checkout"}[{{ .window }}]))
`;

describe('importSloth', () => {
  const result = importSloth(checkout, 'slo/checkout.yaml');

  it('imports both SLOs with queries, labels and objectives', () => {
    expect(errorsOf(result)).toEqual([]);
    expect(result.slos.map((s) => [s.service, s.name, s.objectivePercent, s.window])).toEqual([
      ['checkout', 'requests-availability', 99.9, { kind: 'rolling', days: 30 }],
      ['checkout', 'requests-latency', 99, { kind: 'rolling', days: 30 }],
    ]);
    const [availability, latency] = result.slos;
    expect(availability?.indicator).toEqual({
      kind: 'queries',
      errorQuery: 'sum(rate(http_requests_total{service="checkout",code=~"(5..|429)"}[{{.window}}]))',
      totalQuery: 'sum(rate(http_requests_total{service="checkout"}[{{.window}}]))',
    });
    expect(availability?.labels).toEqual({ owner: 'payments-team', tier: '1' });
    expect(latency?.labels).toEqual({ owner: 'payments-team', tier: '1', category: 'latency' });
    expect(availability?.source).toEqual({ format: 'sloth', file: 'slo/checkout.yaml', line: 8 });
  });

  it('honours disable: the availability SLO keeps only its page conditions', () => {
    expect(result.slos[0]?.alerts?.map((a) => [a.severity, a.factor])).toEqual([
      ['page', 14.4],
      ['page', 6],
    ]);
    expect(result.slos[1]?.alerts?.map((a) => a.severity)).toEqual(['page', 'page', 'ticket', 'ticket']);
  });

  it('reports every field it does not import, with file, line and path', () => {
    expect(warningsOf(result).map(formatIssue)).toEqual([
      'slo/checkout.yaml:16: warning: slos[0].alerting.name: not imported: Rampart names its burn alerts ErrorBudgetBurn with service, slo and severity labels',
      'slo/checkout.yaml:17: warning: slos[0].alerting.labels: not imported: Rampart names its burn alerts ErrorBudgetBurn with service, slo and severity labels',
      'slo/checkout.yaml:19: warning: slos[0].alerting.annotations: not imported: Rampart names its burn alerts ErrorBudgetBurn with service, slo and severity labels',
      'slo/checkout.yaml:22: warning: slos[0].alerting.page_alert.labels: not imported: Rampart routes by the severity label (page or ticket)',
    ]);
  });

  it('feeds the rule generator: the imported queries get each window', () => {
    const rules = generateRules(result.slos, { anomalyRules: false });
    expect(rules.skipped).toEqual([]);
    expect(rules.yaml).toContain('sum(rate(http_requests_total{service="checkout",code=~"(5..|429)"}[3d]))');
    expect(rules.yaml).not.toContain('{{');
  });

  it('takes the period from the caller, as Sloth takes it from a flag', () => {
    const r = importSloth(checkout, 'x.yaml', { window: { kind: 'rolling', days: 28 } });
    expect(r.slos[0]?.window).toEqual({ kind: 'rolling', days: 28 });
    expect(r.slos[0]?.alerts?.[0]?.factor).toBe(13.44);
  });
});

describe('importSloth rejects what it cannot model', () => {
  it.each([
    [
      'a raw SLI',
      'version: prometheus/v1\nservice: a\nslos:\n  - name: x\n    objective: 99\n    sli:\n      raw:\n        error_ratio_query: sum(x)\n',
      ['x.yaml:7: error: slos[0].sli.raw: raw error-ratio SLIs are not supported: budgets are computed from request counts (use events)'],
    ],
    [
      'a missing total query',
      'version: prometheus/v1\nservice: a\nslos:\n  - name: x\n    objective: 99\n    sli:\n      events:\n        error_query: sum(rate(e[{{.window}}]))\n',
      ['x.yaml:7: error: slos[0].sli.events.total_query: required field is missing'],
    ],
    [
      'an objective of 100',
      'version: prometheus/v1\nservice: a\nslos:\n  - name: x\n    objective: 100\n    sli:\n      events:\n        error_query: e[{{.window}}]\n        total_query: t[{{.window}}]\n',
      ['x.yaml:5: error: slos[0].objective: 100 must be a percent above 0 and below 100 (e.g. 99.9)'],
    ],
    [
      'a query without {{.window}}',
      'version: prometheus/v1\nservice: a\nslos:\n  - name: x\n    objective: 99\n    sli:\n      events:\n        error_query: sum(rate(e[5m]))\n        total_query: t[{{.window}}]\n',
      ['x.yaml:8: error: slos[0].sli.events.error_query: must use {{.window}} for the range so every window counts the same requests'],
    ],
    ['another version', 'version: prometheus/v2\nservice: a\n', ['x.yaml:1: error: version: "prometheus/v2" is not supported; only prometheus/v1']],
    ['a YAML syntax error', 'version: prometheus/v1\nslos: [\n', ['x.yaml:3: error: document 1: Flow sequence in block collection must be sufficiently indented and end with a ]']],
  ])('%s', (_name, text, expected) => {
    const r = importSloth(text, 'x.yaml');
    expect(errorsOf(r).map(formatIssue)).toEqual(expected);
    expect(r.slos).toEqual([]);
  });

  it('reads every document of a multi-document file, and reports unknown fields', () => {
    const text = `version: prometheus/v1\nservice: a\nslos:\n  - name: x\n    objective: 99.5\n    sli: {events: {error_query: "e[{{.window}}]", total_query: "t[{{.window}}]"}}\n---\nversion: prometheus/v1\nservice: b\nowner: team-b\nslos:\n  - name: y\n    objective: 99\n    sli: {events: {error_query: "e[{{.window}}]", total_query: "t[{{.window}}]"}}\n`;
    const r = importSloth(text, 'many.yaml');
    expect(r.slos.map((s) => `${s.service}/${s.name}`)).toEqual(['a/x', 'b/y']);
    expect(r.issues.map(formatIssue)).toEqual(['many.yaml:10: warning: document 2: owner: unsupported field, not imported']);
  });
});
