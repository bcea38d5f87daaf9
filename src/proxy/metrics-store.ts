/**
 * Per-service, per-version request metrics kept in process: what the `builtin` metric provider
 * queries directly and what /metrics exposes. Every query answers a value plus the number of
 * requests it rests on, so "no data" (requests 0, value null) is never mistaken for a pass.
 */
import type { Clock } from '../platform/clock.js';
import { DEFAULT_LATENCY_BUCKETS, VersionSeries, type WindowCounts } from './version-series.js';
import { renderPrometheusText } from './prometheus-text.js';

export interface Measurement {
  /** null when there were no requests in the window (no data). */
  value: number | null;
  /** Requests the value rests on. */
  requests: number;
}

export interface MetricsStore {
  /** The series of one version, created on first use; the proxy resolves it once per config, not per request. */
  series(service: string, version: string, namespace?: string): VersionSeries;
  /** 5xx ÷ all requests over the window ending at `now` (epoch ms). */
  errorRatio(service: string, version: string, windowSeconds: number, now: number): Measurement;
  /** Requests per second over the window; 0 for a known version without traffic, null for an unknown one. */
  requestRate(service: string, version: string, windowSeconds: number, now: number): Measurement;
  /** The q-quantile (0 < q < 1) of latency in seconds, interpolated in buckets as Prometheus' histogram_quantile does. */
  latencyQuantile(q: number, service: string, version: string, windowSeconds: number, now: number): Measurement;
  /** Raw window counts (requests, 5xx, latency sum, per-bucket counts); zeros when the version is unknown. */
  countsOver(service: string, version: string, windowSeconds: number, now: number): WindowCounts;
  /** The Prometheus text exposition (format 0.0.4) of every series. */
  renderPrometheus(): string;
  /** The versions seen for a service. */
  versions(service: string): string[];
  readonly clock: Clock;
}

export interface MetricsStoreOptions {
  clock: Clock;
  /** Ring length in seconds (default 3600: the last hour). */
  windowSeconds?: number;
  buckets?: readonly number[];
  /** Value of the `namespace` label when a series is created without one (default "default"). */
  defaultNamespace?: string;
}

export function createMetricsStore(options: MetricsStoreOptions): MetricsStore {
  const windowSeconds = options.windowSeconds ?? 3600;
  const bounds = options.buckets ?? DEFAULT_LATENCY_BUCKETS;
  const defaultNamespace = options.defaultNamespace ?? 'default';
  const byService = new Map<string, Map<string, VersionSeries>>();

  const find = (service: string, version: string) => byService.get(service)?.get(version);
  const empty = (): WindowCounts => ({ requests: 0, errors: 0, latencySumSeconds: 0, buckets: new Array<number>(bounds.length + 1).fill(0) });
  const counts = (service: string, version: string, windowSeconds: number, now: number) =>
    find(service, version)?.countsOver(windowSeconds, now) ?? empty();

  return {
    clock: options.clock,
    series(service, version, namespace) {
      let versions = byService.get(service);
      if (!versions) byService.set(service, (versions = new Map()));
      let s = versions.get(version);
      if (!s) versions.set(version, (s = new VersionSeries({ service, version, namespace: namespace ?? defaultNamespace }, windowSeconds, bounds)));
      return s;
    },
    errorRatio(service, version, window, now) {
      const c = counts(service, version, window, now);
      return { value: c.requests === 0 ? null : c.errors / c.requests, requests: c.requests };
    },
    requestRate(service, version, window, now) {
      // Like Prometheus: a known series with no traffic has rate 0; an unknown one has no data.
      const s = find(service, version);
      if (!s) return { value: null, requests: 0 };
      const c = s.countsOver(window, now);
      return { value: c.requests / window, requests: c.requests };
    },
    latencyQuantile(q, service, version, window, now) {
      const c = counts(service, version, window, now);
      return { value: c.requests === 0 ? null : bucketQuantile(q, bounds, c.buckets), requests: c.requests };
    },
    countsOver: counts,
    renderPrometheus: () => renderPrometheusText([...byService.values()].flatMap((m) => [...m.values()])),
    versions: (service) => [...(byService.get(service)?.keys() ?? [])],
  };
}

/**
 * Prometheus' histogram_quantile over non-cumulative bucket counts: linear interpolation inside the
 * bucket holding rank q × total; the lowest bucket starts at 0; a rank in +Inf answers the highest
 * finite bound. q outside [0, 1] gives ±Infinity as Prometheus does.
 */
export function bucketQuantile(q: number, bounds: readonly number[], buckets: readonly number[]): number | null {
  let total = 0;
  for (const n of buckets) total += n;
  if (total === 0) return null;
  if (q < 0) return -Infinity;
  if (q > 1) return Infinity;
  const rank = q * total;
  let cumulative = 0;
  for (let b = 0; b < buckets.length; b++) {
    const inBucket = buckets[b] as number;
    if (cumulative + inBucket >= rank && inBucket > 0) {
      if (b === bounds.length) return bounds[bounds.length - 1] ?? 0;
      const lower = b === 0 ? 0 : (bounds[b - 1] as number);
      const upper = bounds[b] as number;
      return lower + (upper - lower) * ((rank - cumulative) / inBucket);
    }
    cumulative += inBucket;
  }
  return bounds[bounds.length - 1] ?? 0;
}
