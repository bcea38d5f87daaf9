import { resolveArgValues } from './args.js';
import type { ArgValues, ReleaseContext } from './args.js';
import { resolveJudge } from './resolve-judge.js';
import { resolveMetric } from './resolve-metric.js';
import type { MetricContext } from './resolve-metric.js';
import type { ResolvedMetric, ResolveProblem, ResolveResult } from './resolved.js';
import type { AnalysisTemplate, MetricSpec } from './template.js';

export type { ResolvedAnalysis, ResolvedJudge, ResolvedMetric, ResolvedNoData, ResolveProblem, ResolveResult } from './resolved.js';

export interface ResolveOptions {
  /** Values the caller supplies (`--arg k=v`, a rollout step's args). */
  readonly args?: ArgValues;
  readonly release?: ReleaseContext;
  /**
   * For display (lint): an argument without a value keeps its `{{args.x}}` text instead of
   * being an error; numbers, durations and conditions that depend on it take their defaults
   * (conditions: none) and are listed in `unresolved`. Such a result must not be run.
   */
  readonly keepPlaceholders?: boolean;
}

/**
 * Flattens one or more templates into the run-ready form (Argo's `NewAnalysisRunFromTemplates`
 * plus `ResolveMetricArgs`), writing every default so a user sees exactly what ran. Metric
 * names must be unique across templates; an argument declared twice must agree on its value;
 * every dryRun and measurementRetention rule (a regular expression, unanchored as in Argo) must
 * match at least one metric. Pure; never throws.
 */
export function resolve(input: AnalysisTemplate | readonly AnalysisTemplate[], options: ResolveOptions = {}): ResolveResult {
  const templates: readonly AnalysisTemplate[] = Array.isArray(input) ? input : [input as AnalysisTemplate];
  const problems: ResolveProblem[] = [];
  const semantics = templates[0]?.semantics ?? 'argo';
  if (templates.some((t) => t.semantics !== semantics)) {
    problems.push({ code: 'SEMANTICS_CONFLICT', message: `templates ${templates.map((t) => `${t.name} (${t.semantics})`).join(', ')} disagree on semantics; give them the same "semantics"` });
  }
  const declared = new Map<string, AnalysisTemplate['args'][number]>();
  for (const template of templates) {
    for (const arg of template.args) {
      const previous = declared.get(arg.name);
      if (previous?.value !== undefined && arg.value !== undefined && previous.value !== arg.value) {
        problems.push({ code: 'ARG_CONFLICT', message: `argument "${arg.name}" is declared with different values: "${previous.value}" and "${arg.value}"`, path: `args[${arg.name}]` });
      }
      if (!previous || previous.value === undefined) declared.set(arg.name, arg);
    }
  }
  const unresolved: string[] = [];
  const supplied: Record<string, string> = { ...options.args };
  if (options.keepPlaceholders) {
    for (const arg of declared.values()) {
      const known = supplied[arg.name] ?? (arg.valueFrom ? options.release?.[arg.valueFrom.release] : undefined) ?? arg.value;
      if (known === undefined) {
        supplied[arg.name] = `{{args.${arg.name}}}`;
        unresolved.push(`args.${arg.name}`);
      }
    }
  }
  const argResult = resolveArgValues([...declared.values()], supplied, options.release);
  if (!argResult.ok) problems.push(...argResult.problems);
  const values = argResult.ok ? argResult.value : {};

  const specs = templates.flatMap((t) => t.metrics);
  const seen = new Set<string>();
  for (const spec of specs) {
    if (seen.has(spec.name)) problems.push({ code: 'DUPLICATE_METRIC', message: `two metrics have the same name "${spec.name}"`, path: `metrics[${spec.name}]` });
    seen.add(spec.name);
  }
  const dryRun = matchRules(templates.flatMap((t) => t.dryRun), specs, 'dryRun', problems);
  const retention = new Map<string, number>();
  const retentionRules = templates.flatMap((t) => t.measurementRetention);
  const retained = matchRules(retentionRules, specs, 'measurementRetention', problems);
  for (const rule of retentionRules) {
    for (const name of retained) if (new RegExp(rule.metricName).test(name) && rule.limit > 0) retention.set(name, rule.limit);
  }
  if (problems.length > 0) return { ok: false, problems };

  const context: MetricContext = { values, semantics, problems, unresolved, keep: options.keepPlaceholders === true };
  const metrics = specs.map((spec) => resolveMetric(spec, context, dryRun.has(spec.name), retention.get(spec.name)));
  const judge = resolveJudge(templates, problems);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, analysis: Object.freeze({ templates: templates.map((t) => t.name), semantics, judge, args: values, metrics: metrics as ResolvedMetric[], unresolved }) };
}

function matchRules(rules: readonly { metricName: string }[], specs: readonly MetricSpec[], field: string, problems: ResolveProblem[]): Set<string> {
  const matched = new Set<string>();
  rules.forEach((rule, index) => {
    let pattern: RegExp;
    try {
      pattern = new RegExp(rule.metricName);
    } catch {
      problems.push({ code: 'INVALID_VALUE', message: `${field}[${index}].metricName "${rule.metricName}" is not a valid regular expression`, path: `${field}[${index}]` });
      return;
    }
    const hits = specs.filter((spec) => pattern.test(spec.name));
    if (hits.length === 0) problems.push({ code: 'RULE_UNMATCHED', message: `${field}[${index}]: rule "${rule.metricName}" matched no metric name`, path: `${field}[${index}]` });
    for (const hit of hits) matched.add(hit.name);
  });
  return matched;
}
