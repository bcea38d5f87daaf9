import { resolveArgValues, substituteArgs } from './args.js';
import type { ArgProblem, ArgValues, ReleaseContext } from './args.js';
import { compileCondition } from './condition.js';
import type { CompiledCondition } from './condition.js';
import { parseDuration } from './duration.js';
import { DEFAULTS } from './defaults.js';
import type { AnalysisTemplate, IntOrArg, MetricSpec, NoDataPolicy, ProviderSpec, Semantics } from './template.js';
import { substituteProvider } from './provider-args.js';
import { DEFAULT_SPRT } from './statistical/error-rate-sprt.js';
import type { SprtConfig } from './statistical/error-rate-sprt.js';
import { DEFAULT_LATENCY_TEST } from './statistical/mann-whitney.js';
import type { LatencyTestConfig } from './statistical/mann-whitney.js';

/** How a metric treats "no data": Argo evaluates the conditions against `[]`; rampart/v1 applies a policy. */
export interface ResolvedNoData {
  readonly policy: NoDataPolicy | 'evaluate';
  readonly minSamples: number;
  readonly minRequests: number;
}

/** A metric with every default written in, arguments substituted and conditions compiled. */
export interface ResolvedMetric {
  readonly name: string;
  readonly provider: ProviderSpec;
  /** Time between measurements; null means "measure once" (then count is 1). */
  readonly intervalMs: number | null;
  readonly initialDelayMs: number;
  /** Argo's effective count: null means "until the run is terminated". */
  readonly count: number | null;
  readonly failureLimit: number;
  readonly inconclusiveLimit: number;
  readonly consecutiveErrorLimit: number;
  /** Delay before retrying after an Error measurement (Argo: always 10 s). */
  readonly errorRetryMs: number;
  readonly successCondition: CompiledCondition | null;
  readonly failureCondition: CompiledCondition | null;
  readonly dryRun: boolean;
  readonly measurementRetention: number;
  readonly semantics: Semantics;
  readonly noData: ResolvedNoData;
}

export type ResolvedJudge =
  | { readonly type: 'threshold' }
  | { readonly type: 'statistical'; readonly errorRate: SprtConfig; readonly latency: LatencyTestConfig };

export interface ResolvedAnalysis {
  readonly templates: readonly string[];
  readonly semantics: Semantics;
  readonly judge: ResolvedJudge;
  readonly args: ArgValues;
  readonly metrics: readonly ResolvedMetric[];
  /**
   * Fields left unresolved because `keepPlaceholders` was set and an argument had no value
   * (e.g. "args.service", "metrics[m].count"). Never run an analysis unless this is empty.
   */
  readonly unresolved: readonly string[];
}

export interface ResolveProblem {
  readonly code: ArgProblem['code'] | 'DUPLICATE_METRIC' | 'ARG_CONFLICT' | 'SEMANTICS_CONFLICT' | 'RULE_UNMATCHED' | 'INVALID_VALUE' | 'CONDITION_SYNTAX' | 'CONDITION_UNSUPPORTED';
  readonly message: string;
  /** e.g. "metrics[error-rate].count". */
  readonly path?: string;
}

export type ResolveResult = { ok: true; analysis: ResolvedAnalysis } | { ok: false; problems: readonly ResolveProblem[] };

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

/** One judge per run: templates that set one must agree; statistical settings get their defaults. */
function resolveJudge(templates: readonly AnalysisTemplate[], problems: ResolveProblem[]): ResolvedJudge {
  const judges = templates.flatMap((t) => (t.judge ? [t.judge] : []));
  const first = judges[0];
  if (judges.some((j) => JSON.stringify(j) !== JSON.stringify(first))) {
    problems.push({ code: 'SEMANTICS_CONFLICT', message: `templates ${templates.map((t) => t.name).join(', ')} set different judges; set the judge in one template`, path: 'judge' });
  }
  if (!first || first.type === 'threshold') return { type: 'threshold' };
  const errorRate = { ...DEFAULT_SPRT, ...first.errorRate };
  const latency = { ...DEFAULT_LATENCY_TEST, ...first.latency };
  const inOpenUnit = (v: number): boolean => v > 0 && v < 1;
  if (!inOpenUnit(errorRate.alpha) || !inOpenUnit(errorRate.beta) || !inOpenUnit(latency.alpha)) {
    problems.push({ code: 'INVALID_VALUE', message: 'judge alpha and beta must be between 0 and 1', path: 'judge' });
  }
  if (!(errorRate.k > 1 + errorRate.tolerance) || errorRate.tolerance < 0) {
    problems.push({ code: 'INVALID_VALUE', message: `judge.errorRate.k (${errorRate.k}) must exceed 1 + tolerance (${1 + errorRate.tolerance})`, path: 'judge.errorRate' });
  }
  if (latency.looks < 1 || latency.minSamples < 1 || latency.minEffect < 0 || latency.minEffect > 1) {
    problems.push({ code: 'INVALID_VALUE', message: 'judge.latency needs looks >= 1, minSamples >= 1 and 0 <= minEffect <= 1', path: 'judge.latency' });
  }
  return { type: 'statistical', errorRate, latency };
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

interface MetricContext {
  readonly values: ArgValues;
  readonly semantics: Semantics;
  readonly problems: ResolveProblem[];
  readonly unresolved: string[];
  readonly keep: boolean;
}

function resolveMetric(spec: MetricSpec, context: MetricContext, dryRun: boolean, retention: number | undefined): ResolvedMetric | undefined {
  const { values, semantics, problems, unresolved, keep } = context;
  const at = `metrics[${spec.name}]`;
  const before = problems.length;
  const unresolvedBefore = unresolved.length;
  // With keepPlaceholders, a field still holding "{{args.x}}" after substitution is unresolved.
  const pending = (field: string, text: string): boolean => {
    if (!keep || !text.includes('{{args.')) return false;
    unresolved.push(`${at}.${field}`);
    return true;
  };
  const int = (field: string, raw: IntOrArg | undefined, fallback: number): number => {
    if (raw === undefined) return fallback;
    if (typeof raw === 'number') return raw;
    const text = substituteArgs(raw, values);
    if (!text.ok) {
      problems.push(...text.problems.map((p) => ({ ...p, path: `${at}.${field}` })));
      return fallback;
    }
    if (pending(field, text.value)) return fallback;
    if (!/^\s*-?\d+\s*$/.test(text.value)) {
      problems.push({ code: 'INVALID_VALUE', message: `${field} "${raw}" resolved to "${text.value}", which is not a whole number`, path: `${at}.${field}` });
      return fallback;
    }
    return Number(text.value);
  };
  const duration = (field: string, raw: string | undefined): number | null => {
    if (raw === undefined || raw === '') return null;
    const text = substituteArgs(raw, values);
    if (text.ok && pending(field, text.value)) return null;
    const parsed = text.ok ? parseDuration(text.value) : undefined;
    if (!parsed?.ok) {
      problems.push({ code: 'INVALID_VALUE', message: parsed ? parsed.message : `${field} "${raw}" uses an unresolved argument`, path: `${at}.${field}` });
      return null;
    }
    return parsed.ms;
  };
  const condition = (field: string, raw: string | undefined): CompiledCondition | null => {
    if (raw === undefined || raw.trim() === '') return null;
    const text = substituteArgs(raw, values);
    if (!text.ok) {
      problems.push(...text.problems.map((p) => ({ ...p, path: `${at}.${field}` })));
      return null;
    }
    if (pending(field, text.value)) return null;
    const compiled = compileCondition(text.value);
    if (!compiled.ok) {
      problems.push({ code: compiled.problem.code, message: `${field} "${text.value}" at column ${compiled.problem.position + 1}: ${compiled.problem.message}`, path: `${at}.${field}` });
      return null;
    }
    return compiled.condition;
  };

  const intervalMs = duration('interval', spec.interval);
  const rawCount = int('count', spec.count, 0);
  // Argo's EffectiveCount: count 0/unset means 1 without an interval, unbounded with one.
  const count = rawCount > 0 ? rawCount : intervalMs === null ? 1 : null;
  const provider = substituteProvider(spec.provider, values);
  if (!provider.ok) problems.push(...provider.problems.map((p) => ({ ...p, path: `${at}.provider.${p.field}` })));
  const noData: ResolvedNoData = semantics === 'rampart/v1'
    ? {
        policy: spec.noData?.policy ?? DEFAULTS.noDataPolicy,
        minSamples: spec.noData?.minSamples ?? DEFAULTS.minSamples,
        minRequests: spec.noData?.minRequests ?? DEFAULTS.minRequests,
      }
    : { policy: 'evaluate', minSamples: 0, minRequests: 0 };
  const metric: ResolvedMetric = {
    name: spec.name,
    provider: provider.ok ? provider.value : spec.provider,
    intervalMs,
    initialDelayMs: duration('initialDelay', spec.initialDelay) ?? 0,
    count,
    failureLimit: int('failureLimit', spec.failureLimit, DEFAULTS.failureLimit),
    inconclusiveLimit: int('inconclusiveLimit', spec.inconclusiveLimit, DEFAULTS.inconclusiveLimit),
    consecutiveErrorLimit: int('consecutiveErrorLimit', spec.consecutiveErrorLimit, DEFAULTS.consecutiveErrorLimit),
    errorRetryMs: DEFAULTS.errorRetryMs,
    successCondition: condition('successCondition', spec.successCondition),
    failureCondition: condition('failureCondition', spec.failureCondition),
    dryRun,
    measurementRetention: retention ?? DEFAULTS.measurementRetention,
    semantics,
    noData,
  };
  // Cross-field checks need every field; with placeholders left in, they are done at run time.
  if (unresolved.length > unresolvedBefore) return problems.length > before ? undefined : Object.freeze(metric);
  for (const field of ['failureLimit', 'inconclusiveLimit', 'consecutiveErrorLimit'] as const) {
    if (metric[field] < 0) problems.push({ code: 'INVALID_VALUE', message: `${field} must be >= 0, got ${metric[field]}`, path: `${at}.${field}` });
  }
  if (rawCount > 0 && (rawCount < metric.failureLimit || rawCount < metric.inconclusiveLimit)) {
    problems.push({ code: 'INVALID_VALUE', message: `count (${rawCount}) must be >= failureLimit (${metric.failureLimit}) and >= inconclusiveLimit (${metric.inconclusiveLimit})`, path: `${at}.count` });
  }
  if (rawCount > 1 && intervalMs === null) {
    problems.push({ code: 'INVALID_VALUE', message: `interval must be set when count (${rawCount}) > 1`, path: `${at}.interval` });
  }
  return problems.length > before ? undefined : Object.freeze(metric);
}
