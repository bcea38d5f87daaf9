import { substituteArgs } from './args.js';
import type { ArgValues } from './args.js';
import { compileCondition } from './condition.js';
import type { CompiledCondition } from './condition.js';
import { DEFAULTS } from './defaults.js';
import { parseDuration } from './duration.js';
import { substituteProvider } from './provider-args.js';
import type { ResolvedMetric, ResolvedNoData, ResolveProblem } from './resolved.js';
import type { IntOrArg, MetricSpec, Semantics } from './template.js';

export interface MetricContext {
  readonly values: ArgValues;
  readonly semantics: Semantics;
  readonly problems: ResolveProblem[];
  readonly unresolved: string[];
  readonly keep: boolean;
}

/** Substitutes args into one metric, writes its defaults and validates it (Argo ValidateMetric). */
export function resolveMetric(spec: MetricSpec, context: MetricContext, dryRun: boolean, retention: number | undefined): ResolvedMetric | undefined {
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
