/**
 * Prometheus rule files for SLOs: Sloth-style recording rules per window, the spec's budget and
 * burn-rate series, multiwindow burn alerts, and the spec's anomaly alerts. Pure: text in, text out.
 */

import { stringify } from 'yaml';
import { budgetRatio } from './types.js';
import type { BurnAlertCondition, SloDefinition } from './types.js';
import { burnWindows, defaultBurnAlerts } from './burn-alerts.js';
import { DAY_MS, parseDuration } from './duration.js';
import { errorRatioExpr, promString } from './rules-queries.js';
import { validateSlo } from './validate.js';
import type { SloProblem } from './validate.js';

export interface RecordingRule {
  record: string;
  expr: string;
  labels: Record<string, string>;
}
export interface AlertingRule {
  alert: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}
export interface RuleGroup {
  name: string;
  interval?: string;
  rules: Array<RecordingRule | AlertingRule>;
}

export interface RuleGeneration {
  groups: RuleGroup[];
  /** The rule file text; every group passes `promtool check rules`. */
  yaml: string;
  /** SLOs left out, with why. */
  skipped: Array<{ service: string; slo: string; problems: SloProblem[] }>;
}

export interface RuleOptions {
  /** Include the spec's ErrorRateAnomaly and LatencyAnomaly group (default true). */
  anomalyRules?: boolean;
}

export const BURN_ALERT_NAME = 'ErrorBudgetBurn';

/** The period window used in rules: a calendar month is approximated by 30 d (PromQL has no calendar ranges). */
export function rulePeriodWindow(slo: SloDefinition): string {
  return slo.window.kind === 'rolling' ? `${slo.window.days}d` : '30d';
}

/** The windows recorded for an SLO: the burn windows, alert windows, and its period. */
export function recordedWindows(slo: SloDefinition): string[] {
  const names = new Set<string>(burnWindows);
  for (const a of alertsFor(slo)) names.add(a.shortWindow).add(a.longWindow);
  names.add(rulePeriodWindow(slo));
  return [...names].sort((a, b) => (parseDuration(a) as number) - (parseDuration(b) as number));
}

/** The alert conditions in force: the SLO's own, or the defaults for its period. */
export function alertsFor(slo: SloDefinition): BurnAlertCondition[] {
  return slo.alerts ?? defaultBurnAlerts(parseDuration(rulePeriodWindow(slo)) ?? 30 * DAY_MS);
}

/** The label set every series of one SLO carries. */
export function sloLabels(slo: SloDefinition): Record<string, string> {
  const sloType = slo.indicator.kind === 'queries' ? 'custom' : slo.indicator.kind;
  return { ...slo.labels, service: slo.service, slo: slo.name, slo_type: sloType };
}

function sloSelector(slo: SloDefinition): string {
  return `{service=${promString(slo.service)},slo=${promString(slo.name)}}`;
}

function recordingGroup(slo: SloDefinition): RuleGroup {
  const labels = sloLabels(slo);
  const sel = sloSelector(slo);
  const budget = budgetRatio(slo.objectivePercent);
  const rules: RecordingRule[] = recordedWindows(slo).map((w) => ({
    record: `slo:sli_error:ratio_rate${w}`,
    expr: errorRatioExpr(slo, w),
    labels,
  }));
  rules.push(
    { record: 'slo:objective:ratio', expr: `vector(${Number((slo.objectivePercent / 100).toFixed(12))})`, labels },
    { record: 'slo:error_budget:ratio', expr: `vector(${budget})`, labels },
    {
      record: 'slo:error_budget_remaining:ratio',
      expr: `1 - (slo:sli_error:ratio_rate${rulePeriodWindow(slo)}${sel} / ${budget})`,
      labels,
    },
    { record: 'slo:error_budget_burn_rate:fast', expr: `slo:sli_error:ratio_rate5m${sel} / ${budget}`, labels },
    { record: 'slo:error_budget_burn_rate:slow', expr: `slo:sli_error:ratio_rate1h${sel} / ${budget}`, labels },
  );
  return { name: `slo-recording-${slo.service}-${slo.name}`, rules };
}

/** The alert annotations, literal so `promtool test rules` can state them exactly. */
export function burnAnnotations(slo: SloDefinition, severity: string): Record<string, string> {
  const pace = severity === 'page' ? 'fast' : 'steadily';
  return {
    summary: `${slo.service} ${slo.name}: error budget burning ${pace}`,
    description: `The ${slo.objectivePercent}% ${slo.name} SLO of ${slo.service} is burning its error budget ${pace} over both a long and a short window.`,
  };
}

function burnAlerts(slo: SloDefinition): AlertingRule[] {
  const sel = sloSelector(slo);
  const budget = budgetRatio(slo.objectivePercent);
  const bySeverity = new Map<string, BurnAlertCondition[]>();
  for (const a of alertsFor(slo)) bySeverity.set(a.severity, [...(bySeverity.get(a.severity) ?? []), a]);
  return [...bySeverity].map(([severity, conditions]) => ({
    alert: BURN_ALERT_NAME,
    // Burn rate = ratio / budget compared to the factor, the same division the domain does.
    expr: conditions
      .map(
        (c) =>
          `(\n  slo:sli_error:ratio_rate${c.longWindow}${sel} / ${budget} > ${c.factor}\n  and\n  slo:sli_error:ratio_rate${c.shortWindow}${sel} / ${budget} > ${c.factor}\n)`,
      )
      .join('\nor\n'),
    labels: { severity, service: slo.service, slo: slo.name },
    annotations: burnAnnotations(slo, severity),
  }));
}

/** The spec's anomaly alerts. Note: `* 3` is three times the 1 h average, not three standard deviations. */
export function anomalyGroup(): RuleGroup {
  const errRatio =
    'sum(rate(http_requests_total{code=~"5.."}[5m])) by (service)\n  /\n  sum(rate(http_requests_total[5m])) by (service)';
  const p95 = 'histogram_quantile(0.95,\n  sum(rate(http_request_duration_seconds_bucket[5m])) by (le, service)\n)';
  return {
    name: 'deployment-anomaly',
    rules: [
      {
        alert: 'ErrorRateAnomaly',
        expr: `(\n  ${errRatio}\n)\n>\n(\n  avg_over_time((\n  ${errRatio}\n  )[1h:]) * 3\n)`,
        for: '2m',
        labels: { severity: 'warning', action: 'investigate' },
        annotations: {
          summary: 'Error rate anomaly detected for {{ $labels.service }}',
          runbook: 'docs/RUNBOOKS/observability/error-rate-spike.md',
        },
      },
      {
        alert: 'LatencyAnomaly',
        expr: `${p95}\n>\n(\n  avg_over_time(${p95}[1h:]) * 2\n)`,
        for: '3m',
        labels: { severity: 'warning', action: 'investigate' },
        annotations: { summary: 'Latency anomaly detected for {{ $labels.service }}' },
      },
    ],
  };
}

/**
 * Generates the rule file for `slos`. Invalid definitions are skipped and listed, not thrown.
 * Output is deterministic for the same input (stable order, no timestamps).
 */
export function generateRules(slos: readonly SloDefinition[], options: RuleOptions = {}): RuleGeneration {
  const groups: RuleGroup[] = [];
  const skipped: RuleGeneration['skipped'] = [];
  const seen = new Set<string>();
  for (const slo of slos) {
    const problems = validateSlo(slo);
    const key = `${slo.service}/${slo.name}`;
    if (seen.has(key)) problems.push({ field: 'name', message: `duplicate SLO ${key}` });
    seen.add(key);
    if (problems.length > 0) {
      skipped.push({ service: slo.service, slo: slo.name, problems });
      continue;
    }
    groups.push(recordingGroup(slo), { name: `slo-alerts-${slo.service}-${slo.name}`, rules: burnAlerts(slo) });
  }
  if (options.anomalyRules ?? true) groups.push(anomalyGroup());
  const body = stringify({ groups }, { lineWidth: 0, aliasDuplicateObjects: false });
  return { groups, skipped, yaml: `# Generated by Rampart from SLO definitions. Do not edit: regenerate.\n${body}` };
}
