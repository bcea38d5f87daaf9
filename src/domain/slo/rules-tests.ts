/**
 * `promtool test rules` files for generated SLO rules. Each SLO gets scenarios with synthetic
 * counters whose expected burn rates, budget and alerts come from this package's own math, so a
 * passing run shows Prometheus and the domain agree.
 */

import { stringify } from 'yaml';
import { burnRate, errorRatio } from './budget.js';
import { evaluateBurnAlerts } from './burn-alerts.js';
import type { WindowBurn } from './burn-alerts.js';
import { createPrefixSumCounts } from './counts.js';
import { MINUTE_MS, parseDuration } from './duration.js';
import { defaultSeries, leLabelProm3, promString } from './rules-queries.js';
import { BURN_ALERT_NAME, alertsFor, burnAnnotations, recordedWindows, rulePeriodWindow, sloLabels } from './rules.js';
import { budgetRatio } from './types.js';
import type { SloDefinition } from './types.js';
import { validateSlo } from './validate.js';

/** Requests per minute in every scenario: large enough that budgets are whole requests. */
export const TEST_REQUESTS_PER_MINUTE = 10_000;

/** A stretch of constant traffic burning the budget at `burn`× (0 = no errors). */
export interface Phase {
  minutes: number;
  burn: number;
}

/** Synthetic traffic in phases; judged at the end of the last phase. */
export interface Scenario {
  name: string;
  phases: Phase[];
}

export const defaultScenarios: readonly Scenario[] = [
  { name: 'healthy', phases: [{ minutes: 80, burn: 0 }] },
  { name: 'steady 4x burn', phases: [{ minutes: 80, burn: 4 }] },
  { name: 'steady 16x burn', phases: [{ minutes: 80, burn: 16 }] },
  // Quiet for 5 h, then an hour at 20x: the 1h/5m pair sees it, the 6h window averages it down.
  { name: 'one-hour incident after a quiet morning', phases: [{ minutes: 300, burn: 0 }, { minutes: 60, burn: 20 }] },
  // An hour at 20x, then 35 min of recovery: the short windows are clean, so paging stops.
  { name: 'recovered incident', phases: [{ minutes: 60, burn: 20 }, { minutes: 35, burn: 0 }] },
];

/** PromQL's round(v, 0.001), reproduced so expected values match bit for bit. */
function promRound(v: number): number {
  const inverse = 1 / 0.001;
  return Math.floor(v * inverse + 0.5) / inverse;
}

function labelText(labels: Record<string, string>): string {
  return `{${Object.keys(labels)
    .sort()
    .map((k) => `${k}=${promString(labels[k] as string)}`)
    .join(',')}}`;
}

/** Per-minute increments → promtool expanding notation for a counter starting at 0. */
function counterValues(perMinute: readonly number[]): string {
  const parts: string[] = [];
  let value = 0;
  let i = 0;
  while (i < perMinute.length) {
    const rate = perMinute[i] as number;
    let run = 1;
    while (i + run < perMinute.length && perMinute[i + run] === rate) run++;
    // The first segment also carries the initial 0 sample.
    parts.push(i === 0 ? `0+${rate}x${run}` : `${value + rate}+${rate}x${run - 1}`);
    value += rate * run;
    i += run;
  }
  return parts.join(' ');
}

function inputSeries(slo: SloDefinition, errors: readonly number[]): Array<{ series: string; values: string }> {
  const total = errors.map(() => TEST_REQUESTS_PER_MINUTE);
  const good = errors.map((e) => TEST_REQUESTS_PER_MINUTE - e);
  const ind = slo.indicator;
  if (ind.kind === 'availability') {
    const metric = ind.series?.requestsMetric ?? defaultSeries.requestsMetric;
    const series = [{ series: `${metric}{service="${slo.service}",code="200"}`, values: counterValues(good) }];
    // With no errors, no 5xx series exists at all: the rules must read that as zero errors.
    if (errors.some((e) => e > 0)) series.push({ series: `${metric}{service="${slo.service}",code="503"}`, values: counterValues(errors) });
    return series;
  }
  if (ind.kind === 'latency') {
    const h = ind.series?.histogramMetric ?? defaultSeries.histogramMetric;
    return [
      // Prometheus 3 spelling of le (1 → "1.0"): the rules must match it by regex.
      { series: `${h}_bucket{service="${slo.service}",le="${leLabelProm3(ind.thresholdSeconds)}"}`, values: counterValues(good) },
      { series: `${h}_bucket{service="${slo.service}",le="+Inf"}`, values: counterValues(total) },
      { series: `${h}_count{service="${slo.service}"}`, values: counterValues(total) },
    ];
  }
  return [];
}

/** Which synthetic series an SLO reads; SLOs with the same source share one set of counts. */
function sourceKey(slo: SloDefinition): string {
  const ind = slo.indicator;
  if (ind.kind === 'availability') return `requests|${ind.series?.requestsMetric ?? defaultSeries.requestsMetric}|${slo.service}`;
  if (ind.kind === 'latency') return `histogram|${ind.series?.histogramMetric ?? defaultSeries.histogramMetric}|${slo.service}`;
  return `queries|${slo.service}|${slo.name}`;
}

function threshold(slo: SloDefinition): number | undefined {
  return slo.indicator.kind === 'latency' ? slo.indicator.thresholdSeconds : undefined;
}

/** Errors per minute that make `slo` burn at each phase's rate. */
function scriptedErrors(slo: SloDefinition, scenario: Scenario): number[] {
  const budget = budgetRatio(slo.objectivePercent);
  return scenario.phases.flatMap((p) => Array.from({ length: p.minutes }, () => Math.round(TEST_REQUESTS_PER_MINUTE * budget * p.burn)));
}

/**
 * Series and expectations for one SLO. `errors` are the per-minute error counts of its source;
 * `emitSeries` is false when another SLO on the same source already wrote them.
 */
function scenarioTest(slo: SloDefinition, errors: readonly number[], emitSeries: boolean) {
  const minutes = errors.length;
  const now = minutes * MINUTE_MS;
  // Expected values come from the domain: the same counts through createPrefixSumCounts.
  const counts = createPrefixSumCounts({
    startMs: 0,
    good: errors.map((e) => TEST_REQUESTS_PER_MINUTE - e),
    total: errors.map(() => TEST_REQUESTS_PER_MINUTE),
  });
  const burns: Record<string, WindowBurn> = {};
  const burnOver = (window: string) => {
    const c = counts.countsOver({ fromMs: now - (parseDuration(window) as number), toMs: now });
    return burnRate(errorRatio(c) as number, slo.objectivePercent);
  };
  for (const w of recordedWindows(slo)) burns[w] = { state: 'measured', burnRate: burnOver(w) };
  const evaluation = evaluateBurnAlerts(alertsFor(slo), burns);
  const firing = new Set(evaluation.conditions.filter((c) => c.state === 'firing').map((c) => c.condition.severity));
  const remaining = 1 - burnOver(rulePeriodWindow(slo));

  const labels = sloLabels(slo);
  const sel = `{service=${promString(slo.service)},slo=${promString(slo.name)}}`;
  return {
    inputSeries: emitSeries ? inputSeries(slo, errors) : [],
    exprTests: [
      ['slo:error_budget_burn_rate:fast', burnOver('5m')],
      ['slo:error_budget_burn_rate:slow', burnOver('1h')],
      ['slo:error_budget_remaining:ratio', remaining],
    ].map(([metric, value]) => ({
      expr: `round(${metric}${sel}, 0.001)`,
      eval_time: `${minutes}m`,
      exp_samples: [{ labels: labelText(labels), value: promRound(value as number) }],
    })),
    expAlerts: (['page', 'ticket'] as const)
      .filter((s) => firing.has(s))
      .map((severity) => ({
        exp_labels: { ...labels, severity },
        exp_annotations: burnAnnotations(slo, severity),
      })),
  };
}

export interface TestGeneration {
  yaml: string;
  /** SLOs without generated tests (custom PromQL queries cannot be fed synthetic series). */
  skipped: Array<{ service: string; slo: string; reason: string }>;
}

/**
 * A promtool unit-test file for the rules in `ruleFile` (a path relative to the test file).
 * Pass the same SLO list that produced the rules.
 */
export function generateRuleTests(
  slos: readonly SloDefinition[],
  ruleFile: string,
  scenarios: readonly Scenario[] = defaultScenarios,
): TestGeneration {
  const skipped: TestGeneration['skipped'] = [];
  const tested: SloDefinition[] = [];
  for (const slo of slos) {
    if (validateSlo(slo).length > 0) {
      skipped.push({ service: slo.service, slo: slo.name, reason: 'invalid definition (see rule generation)' });
    } else if (slo.indicator.kind === 'queries') {
      skipped.push({ service: slo.service, slo: slo.name, reason: 'custom PromQL: no synthetic series can be derived' });
    } else if (tested.some((t) => sourceKey(t) === sourceKey(slo) && threshold(t) !== threshold(slo))) {
      skipped.push({ service: slo.service, slo: slo.name, reason: 'another latency SLO reads this histogram with a different threshold; its tests cover the histogram' });
    } else {
      tested.push(slo);
    }
  }
  // One promtool test per scenario carrying every SLO's series: promtool evaluates all rules at
  // every step of every test, so one test per SLO would cost (number of SLOs)² evaluations.
  const tests = scenarios.map((scenario) => {
    const at = `${scenario.phases.reduce((sum, p) => sum + p.minutes, 0)}m`;
    // The first SLO on a source scripts its counts; later SLOs on the same series (a stricter
    // availability SLO of the same service) are judged on those same counts.
    const sources = new Map<string, number[]>();
    const parts = tested.map((slo) => {
      const key = sourceKey(slo);
      const known = sources.get(key);
      const errors = known ?? scriptedErrors(slo, scenario);
      sources.set(key, errors);
      return scenarioTest(slo, errors, known === undefined);
    });
    return {
      name: scenario.name,
      interval: '1m',
      input_series: parts.flatMap((p) => p.inputSeries),
      promql_expr_test: parts.flatMap((p) => p.exprTests),
      alert_rule_test: [{ eval_time: at, alertname: BURN_ALERT_NAME, exp_alerts: parts.flatMap((p) => p.expAlerts) }],
    };
  });
  // Rules are evaluated every 5 minutes when every scenario ends on a 5-minute mark: 5× fewer steps.
  const everyFive = scenarios.every((sc) => sc.phases.reduce((sum, p) => sum + p.minutes, 0) % 5 === 0);
  const body = stringify(
    { rule_files: [ruleFile], evaluation_interval: everyFive ? '5m' : '1m', tests },
    { lineWidth: 0, aliasDuplicateObjects: false },
  );
  return { skipped, yaml: `# Generated by Rampart: promtool test rules ${ruleFile.replace(/^.*\//, '')}\n${body}` };
}
