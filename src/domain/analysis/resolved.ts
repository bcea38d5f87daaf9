import type { ArgProblem, ArgValues } from './args.js';
import type { CompiledCondition } from './condition.js';
import type { SprtConfig } from './statistical/error-rate-sprt.js';
import type { LatencyTestConfig } from './statistical/mann-whitney.js';
import type { NoDataPolicy, ProviderSpec, Semantics } from './template.js';

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
