import type { SloDefinition, TimeRange, WindowCounts } from '../../domain/slo/index.js';
import type { z } from 'zod';
import type { Observation, ResolvedMetric } from '../../domain/analysis/index.js';
import type { ProviderSpec } from '../../domain/analysis/template.js';
import type { Clock } from '../../platform/clock.js';

/**
 * Metric providers FETCH; they never judge. A provider turns a resolved metric into an
 * Observation (a value, no data, an error, or a finished job) plus the fields that explain it;
 * conditions, limits and verdicts live in src/domain/analysis.
 */

/** Why a measurement could not be taken. Stable codes: UIs and tests switch on them. */
export type MetricErrorCode =
  | 'unavailable' // connection refused, DNS failure, 5xx from the backend
  | 'bad_query' // the backend rejected the query (Prometheus bad_data, 4xx)
  | 'timeout' // no answer within the timeout
  | 'bad_response' // an answer we cannot read (not JSON, unknown result type, jsonPath miss)
  | 'aborted' // the caller cancelled (run terminated, process shutting down)
  | 'misconfigured'; // the metric names a provider this set cannot serve

/** Explanation fields stored with every measurement (ARCHITECTURE §1: every verdict explains itself). */
export interface MeasurementDetails {
  /** The query, URL or command actually sent, after argument substitution. */
  readonly query?: string;
  /** The look-back window the query covered, e.g. "2m", when the provider knows it. */
  readonly window?: string;
  /** Set on error observations. */
  readonly errorCode?: MetricErrorCode;
}

/** What `measure` resolves to: an Observation with its explanation. Never rejects. */
export type ProviderMeasurement = Observation & MeasurementDetails;

export interface MeasureContext {
  /** Evaluation time, epoch ms (Prometheus `time`, builtin windows end here). */
  readonly now: number;
  /** Cancels an in-flight measurement; the result is then an `aborted` error observation. */
  readonly signal?: AbortSignal;
}

/** One point of a range query: epoch ms and the value the conditions would see. */
export interface RangePoint {
  readonly at: number;
  readonly observation: ProviderMeasurement;
}

export interface MetricProvider {
  /** The provider kind (`prometheus`, `web`, `job`, `builtin`, or `static` standing in for one). */
  readonly type: ProviderSpec['type'] | 'static';
  /**
   * Takes one measurement of `metric` at `ctx.now`. Never rejects: every failure is an
   * `error` observation with an errorCode. Safe to call concurrently for different metrics.
   */
  measure(metric: ResolvedMetric, ctx: MeasureContext): Promise<ProviderMeasurement>;
  /**
   * Optional: measurements at each step of a past interval (retrospective runs). Providers
   * without history leave it out.
   */
  queryRange?(metric: ResolvedMetric, range: { readonly from: number; readonly to: number; readonly stepMs: number }, signal?: AbortSignal): Promise<readonly RangePoint[] | ProviderMeasurement>;
  /** Optional: releases sockets, child processes. Idempotent. */
  close?(): Promise<void>;
}

/**
 * Rampart's built-in per-version RED metrics. Implemented by the built-in proxy (another
 * component); providers only read it. Windows end at `now` (epoch ms).
 */
export interface BuiltinMetricsSource {
  /** Requests and errors (5xx) served by `version` of `service` (all versions when undefined). */
  countsOver(service: string, version: string | undefined, windowSeconds: number, now: number): { readonly requests: number; readonly errors: number };
  /** The q-quantile of request latency in seconds, and how many requests it was computed from. */
  latencyQuantile(q: number, service: string, version: string | undefined, windowSeconds: number, now: number): { readonly value: number; readonly samples: number };
  /**
   * The latest synthetic run against `version` at or after `since` (epoch ms). `none` when no such
   * run exists: never a pass. Absent when synthetic checks are not running.
   */
  synthetic?(service: string, version: string, since: number): Promise<SafeguardReading<'pass' | 'fail' | 'none'>>;
  /** Open anomaly alerts of the service; `unjudged` when the rules have no verdict yet (no traffic, no baseline). */
  anomalies?(service: string): Promise<SafeguardReading<'judged' | 'unjudged'> & { readonly firing: number }>;
  /** Runs the chaos-lite resilience probe against `version`, injecting latency for `windowSeconds`. */
  resilienceProbe?(service: string, version: string, windowSeconds: number): Promise<{ readonly value: 1 | 0 | null; readonly explanation: string }>;
}

/** A safeguard's answer with the sentence that explains it. */
export interface SafeguardReading<State extends string> {
  readonly state: State;
  readonly explanation: string;
}

/** What every provider may be handed at creation; each takes what it needs. */
export interface MetricProviderDeps {
  readonly clock: Clock;
  /** Required by `builtin`. */
  readonly builtinSource?: BuiltinMetricsSource;
}

/**
 * A provider kind's declarative definition: its type, the zod schema of its configuration
 * (drives validation, forms and redaction), and a factory. `create` receives parsed config.
 */
export interface MetricProviderDefinition<Config = unknown> {
  readonly type: ProviderSpec['type'] | 'static';
  readonly description: string;
  readonly configSchema: z.ZodType<Config>;
  create(config: Config, deps: MetricProviderDeps): MetricProvider;
}

/** The providers a runner may use, by the ProviderSpec type they serve. */
export type MetricProviderSet = Readonly<Partial<Record<ProviderSpec['type'], MetricProvider>>>;

/** An error observation, with its code: the one way providers report failure. */
export function errorObservation(errorCode: MetricErrorCode, message: string, details: Omit<MeasurementDetails, 'errorCode'> = {}): ProviderMeasurement {
  return { kind: 'error', message, errorCode, ...details };
}

/** Request counts of one SLO over several ranges (keyed by range length), for error budgets. */
export interface CountsFetcher {
  counts(slo: SloDefinition, ranges: readonly TimeRange[]): Promise<Map<number, WindowCounts | { error: string }>>;
}
