/**
 * The analysis template model: what a user wrote, after parsing and validation, before any
 * defaults are applied (see `resolve.ts` for the run-ready form). Field names follow Argo
 * Rollouts' `AnalysisTemplate` so Argo YAML maps onto it one to one.
 */

import type { SprtConfig } from './statistical/error-rate-sprt.js';
import type { LatencyTestConfig } from './statistical/mann-whitney.js';

/** `argo`: Argo's controller rules, quirks included. `rampart/v1`: opt-in fixes, see resolve.ts. */
export type Semantics = 'argo' | 'rampart/v1';

/** How to judge a measurement that returned no data (rampart/v1 only). */
export type NoDataPolicy = 'fail' | 'inconclusive' | 'pass' | 'wait';

/** Which release field fills an argument (Rampart's `valueFrom.release`). */
export type ReleaseField = 'service' | 'namespace' | 'version';

export interface TemplateArg {
  readonly name: string;
  /** A literal value; absent means the caller must supply one. */
  readonly value?: string;
  /** Filled from the release under analysis. */
  readonly valueFrom?: { readonly release: ReleaseField };
}

export interface HeaderSpec {
  readonly key: string;
  readonly value: string;
}

export interface PrometheusProviderSpec {
  readonly type: 'prometheus';
  readonly address: string;
  readonly query: string;
  /** Query timeout in seconds (Argo's `timeout`); absent means the provider default. */
  readonly timeoutSeconds?: number;
  readonly headers?: readonly HeaderSpec[];
}

export interface WebProviderSpec {
  readonly type: 'web';
  readonly url: string;
  readonly method?: string;
  readonly headers?: readonly HeaderSpec[];
  readonly body?: string;
  /** A JSONPath in Argo's `{$.a.b}` form; absent means the whole JSON body. */
  readonly jsonPath?: string;
  readonly timeoutSeconds?: number;
}

export interface JobProviderSpec {
  readonly type: 'job';
  /** argv: the first container's `command` followed by its `args`, run locally. */
  readonly command: readonly string[];
  /** The container image Argo would run; recorded for the user, ignored by Rampart. */
  readonly image?: string;
}

/**
 * Rampart's built-in metrics: per-version RED metrics answered by the built-in proxy, and the
 * runtime safeguards' own results (`synthetic-success`: the latest synthetic run against the
 * version; `anomaly-alerts`: open anomaly alerts of the service; `resilience-probe`: runs the
 * chaos-lite probe against the version, `window` being how long the latency is injected).
 */
export interface BuiltinProviderSpec {
  readonly type: 'builtin';
  readonly metric: 'error-ratio' | 'request-rate' | 'latency-quantile' | 'synthetic-success' | 'anomaly-alerts' | 'resilience-probe';
  readonly service: string;
  readonly version?: string;
  /** Look-back window, an Argo duration string such as "2m". */
  readonly window: string;
  /** For latency-quantile: 0 < q < 1. */
  readonly quantile?: number;
}

export type ProviderSpec = PrometheusProviderSpec | WebProviderSpec | JobProviderSpec | BuiltinProviderSpec;

/** Per-metric no-data rule (rampart/v1). Fewer samples or requests than the minimum is no data. */
export interface NoDataSpec {
  readonly policy: NoDataPolicy;
  readonly minSamples?: number;
  readonly minRequests?: number;
}

/**
 * Argo's IntOrString: a number, or a string holding `{{args.x}}` resolved when the run starts.
 */
export type IntOrArg = number | string;

export interface MetricSpec {
  readonly name: string;
  readonly provider: ProviderSpec;
  readonly interval?: string;
  readonly initialDelay?: string;
  readonly count?: IntOrArg;
  readonly successCondition?: string;
  readonly failureCondition?: string;
  readonly failureLimit?: IntOrArg;
  readonly inconclusiveLimit?: IntOrArg;
  readonly consecutiveErrorLimit?: IntOrArg;
  readonly noData?: NoDataSpec;
}

/** Argo's `dryRun[].metricName` and `measurementRetention[].metricName` are regular expressions. */
export interface DryRunRule {
  readonly metricName: string;
}

export interface MeasurementRetentionRule {
  readonly metricName: string;
  readonly limit: number;
}

/**
 * How a canary analysis is judged: `threshold` (the metrics' conditions, Argo's way) or
 * `statistical` (canary vs stable: SPRT on error rate, Mann-Whitney U on latency). Settings
 * left out take the defaults in statistical/ (written in by resolve).
 */
export type JudgeSpec =
  | { readonly type: 'threshold' }
  | {
      readonly type: 'statistical';
      readonly errorRate?: Partial<SprtConfig>;
      readonly latency?: Partial<LatencyTestConfig>;
    };

export interface AnalysisTemplate {
  readonly kind: 'AnalysisTemplate' | 'ClusterAnalysisTemplate';
  readonly name: string;
  readonly semantics: Semantics;
  /** Absent means threshold. */
  readonly judge?: JudgeSpec;
  readonly args: readonly TemplateArg[];
  readonly metrics: readonly MetricSpec[];
  readonly dryRun: readonly DryRunRule[];
  readonly measurementRetention: readonly MeasurementRetentionRule[];
}
