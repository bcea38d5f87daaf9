import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generateRuleTests } from './rules-tests.js';
import type { SloDefinition } from './types.js';

const base: SloDefinition = {
  service: 'api',
  name: 'availability',
  objectivePercent: 99.9,
  window: { kind: 'rolling', days: 30 },
  indicator: { kind: 'availability' },
};

interface PromtoolTest {
  name: string;
  input_series: Array<{ series: string; values: string }>;
  promql_expr_test: Array<{ expr: string; eval_time: string; exp_samples: Array<{ value: number }> }>;
  alert_rule_test: Array<{ exp_alerts: Array<{ exp_labels: Record<string, string> }> }>;
}

function testsOf(slos: SloDefinition[]) {
  const generated = generateRuleTests(slos, 'rules/slo.yaml', [{ name: 'steady 4x', phases: [{ minutes: 80, burn: 4 }] }]);
  return { ...generated, doc: parse(generated.yaml) as { rule_files: string[]; evaluation_interval: string; tests: PromtoolTest[] } };
}

describe('generateRuleTests', () => {
  it('scripts counters that burn at the scenario rate and expects the domain values', () => {
    const { doc } = testsOf([base]);
    expect(doc.rule_files).toEqual(['rules/slo.yaml']);
    expect(doc.evaluation_interval).toBe('5m');
    const [test] = doc.tests;
    expect(test?.input_series).toEqual([
      { series: 'http_requests_total{service="api",code="200"}', values: '0+9960x80' },
      { series: 'http_requests_total{service="api",code="503"}', values: '0+40x80' },
    ]);
    expect(test?.promql_expr_test.map((t) => [t.expr, t.eval_time, t.exp_samples[0]?.value])).toEqual([
      ['round(slo:error_budget_burn_rate:fast{service="api",slo="availability"}, 0.001)', '80m', 4],
      ['round(slo:error_budget_burn_rate:slow{service="api",slo="availability"}, 0.001)', '80m', 4],
      ['round(slo:error_budget_remaining:ratio{service="api",slo="availability"}, 0.001)', '80m', -3],
    ]);
    // 4× fires the tickets (3× and 1×) but neither page (14.4×, 6×).
    expect(test?.alert_rule_test[0]?.exp_alerts.map((a) => a.exp_labels.severity)).toEqual(['ticket']);
  });

  it('writes phases as counter segments that continue where the last one ended', () => {
    const { doc } = testsOf([base]);
    const generated = generateRuleTests([base], 'r.yaml', [{ name: 'spike', phases: [{ minutes: 300, burn: 0 }, { minutes: 60, burn: 20 }] }]);
    const spike = (parse(generated.yaml) as { tests: PromtoolTest[] }).tests[0];
    expect(spike?.input_series).toEqual([
      { series: 'http_requests_total{service="api",code="200"}', values: '0+10000x300 3009800+9800x59' },
      { series: 'http_requests_total{service="api",code="503"}', values: '0+0x300 200+200x59' },
    ]);
    expect(doc.tests).toHaveLength(1);
  });

  it('judges a second SLO on the same series by the same counts', () => {
    const strict = { ...base, name: 'strict', objectivePercent: 99.95 };
    const { doc } = testsOf([base, strict]);
    const [test] = doc.tests;
    expect(test?.input_series).toHaveLength(2); // written once
    const strictFast = test?.promql_expr_test.find((t) => t.expr.includes('slo="strict"') && t.expr.includes(':fast'));
    expect(strictFast?.exp_samples[0]?.value).toBe(8); // 0.004 error ratio over a 0.0005 budget
    expect(test?.alert_rule_test[0]?.exp_alerts.map((a) => `${a.exp_labels.slo}:${a.exp_labels.severity}`)).toEqual([
      'availability:ticket',
      'strict:page', // 8× over 6h and 30m
      'strict:ticket',
    ]);
  });

  it('skips what it cannot script, saying why', () => {
    const custom: SloDefinition = { ...base, name: 'custom', indicator: { kind: 'queries', errorQuery: 'e[{{.window}}]', totalQuery: 't[{{.window}}]' } };
    const fast: SloDefinition = { ...base, name: 'fast', indicator: { kind: 'latency', thresholdSeconds: 0.5 } };
    const slow: SloDefinition = { ...base, name: 'slow', indicator: { kind: 'latency', thresholdSeconds: 1 } };
    const { skipped } = testsOf([custom, fast, slow, { ...base, objectivePercent: 100 }]);
    expect(skipped.map((s) => [s.slo, s.reason])).toEqual([
      ['custom', 'custom PromQL: no synthetic series can be derived'],
      ['slow', 'another latency SLO reads this histogram with a different threshold; its tests cover the histogram'],
      ['availability', 'invalid definition (see rule generation)'],
    ]);
  });
});
