/**
 * Error budgets from the built-in proxy, kept across restarts: each minute the proxy's completed
 * minutes are written to the store (requests, 5xx, cumulative latency buckets per version), and
 * budget status reads them back as days, hours and edge minutes (exact; see domain/slo/rollup-plan).
 */
import { type SloDefinition, type TimeRange, type WindowCounts, MINUTE_MS } from '../domain/slo/index.js';
import { mergeRanges, planRange, segmentEdges, sumSegments } from '../domain/slo/rollup-plan.js';
import type { Clock } from '../platform/clock.js';
import type { Logger } from '../platform/logger.js';
import { ROLLUP_LE_BOUNDS, type RollupLeColumn, leColumnFor } from '../store/rollup-columns.js';
import type { MinuteRollup, RollupRepository, RollupSums } from '../store/rollup-repository.js';
import type { Store } from '../store/types.js';

/** What budget status asks a counts source: per SLO, counts for each range (keyed by length), all ending at one instant. */
export interface BudgetCountsSource {
  /** Where the counts come from, for messages. */
  readonly description: string;
  /** The instant status is computed at: a store of whole minutes answers up to the last whole minute. */
  asOf(now: number): number;
  batch(requests: ReadonlyArray<{ slo: SloDefinition; ranges: readonly TimeRange[] }>): Promise<Array<Map<number, WindowCounts | { error: string }>>>;
}

/** Minute and hour rows are kept this long: a 30-day window, its edge hour, and slack for calendar months. */
export const ROLLUP_RETENTION_MS = 35 * 86_400_000;

type Measure = { column?: RollupLeColumn; error?: string };

function measureOf(slo: SloDefinition): Measure {
  const ind = slo.indicator;
  if (ind.kind === 'availability') return {};
  if (ind.kind === 'latency') {
    const column = leColumnFor(ind.thresholdSeconds);
    return column ? { column } : {
      error: `latency threshold ${ind.thresholdSeconds * 1000} ms is not a bucket of the built-in proxy (${ROLLUP_LE_BOUNDS.map((b) => `${b * 1000}`).join(', ')} ms): pick one of them or measure with Prometheus`,
    };
  }
  return { error: 'SLOs with PromQL queries need Prometheus (slo.prometheusUrl)' };
}

/**
 * Budget counts from the store's rollups. One batch costs a grouped query per elementary time
 * segment of each resolution (about fifteen), whatever the number of services: each sums one
 * segment per service, and every window is reassembled from its days, hours and edge minutes.
 * A service without any row that the proxy does not front (`fronted`) answers with an error
 * saying where its counts could come from, rather than a bare "no data".
 */
export function createRollupCounts(rollups: RollupRepository, fronted: (service: string) => boolean = () => true): BudgetCountsSource {
  return {
    description: 'the built-in proxy (store rollups)',
    asOf: (now) => Math.floor(now / MINUTE_MS) * MINUTE_MS,
    async batch(requests) {
      const measures = requests.map((r) => measureOf(r.slo));
      const services = [...new Set(requests.map((r) => r.slo.service))];
      const le = [...new Set(measures.flatMap((m) => (m.column ? [m.column] : [])))];
      const plans = requests.map((r) => r.ranges.map(planRange));
      const dayRanges = plans.flatMap((ps) => ps.flatMap((p) => (p.days ? [p.days] : [])));
      const hourRanges = plans.flatMap((ps) => ps.flatMap((p) => p.hours));
      const minuteRanges = plans.flatMap((ps) => ps.flatMap((p) => p.minutes));
      type Cluster = { range: TimeRange; edges: number[]; sums: Map<string, Array<RollupSums | undefined>> };
      const load = (resolution: 'minute' | 'hour' | 'day', ranges: TimeRange[]) => Promise.all(mergeRanges(ranges).map(async (range): Promise<Cluster> => {
        const edges = segmentEdges(ranges.filter((r) => r.fromMs >= range.fromMs && r.toMs <= range.toMs));
        return { range, edges, sums: await rollups.sumSegments(resolution, edges, { services, le }) };
      }));
      const [minuteClusters, hourClusters, dayClusters] = await Promise.all([load('minute', minuteRanges), load('hour', hourRanges), load('day', dayRanges)]);
      const sumOver = (clusters: Cluster[], service: string, range: TimeRange, m: Measure): WindowCounts => {
        const c = clusters.find((k) => range.fromMs >= k.range.fromMs && range.toMs <= k.range.toMs);
        const segments = c?.sums.get(service);
        if (!c || !segments) return { good: 0, total: 0, samples: 0 };
        return sumSegments(c.edges, (i) => {
          const s = segments[i];
          return s && { good: m.column ? s.le[m.column] ?? 0 : s.requests - s.errors, total: s.requests, samples: s.samples };
        }, range);
      };
      const seen = new Set([...minuteClusters, ...hourClusters, ...dayClusters].flatMap((c) => [...c.sums.keys()]));
      return requests.map((req, i) => {
        const service = req.slo.service;
        const m: Measure = !seen.has(service) && !fronted(service)
          ? { error: `no data for ${service}: it is not behind the built-in proxy (traffic.services) and there is no Prometheus configured (slo.prometheusUrl)` }
          : measures[i] as Measure;
        const out = new Map<number, WindowCounts | { error: string }>();
        req.ranges.forEach((range, j) => {
          if (m.error) return void out.set(range.toMs - range.fromMs, { error: m.error });
          const plan = plans[i]![j]!;
          const total = { good: 0, total: 0, samples: 0 };
          const parts = [
            ...plan.minutes.map((p) => sumOver(minuteClusters, service, p, m)),
            ...plan.hours.map((p) => sumOver(hourClusters, service, p, m)),
            ...(plan.days ? [sumOver(dayClusters, service, plan.days, m)] : []),
          ];
          for (const part of parts) {
            total.good += part.good;
            total.total += part.total;
            total.samples += part.samples;
          }
          out.set(range.toMs - range.fromMs, total);
        });
        return out;
      });
    },
  };
}

/** The proxy's per-version counters, as the writer reads them (the data plane's MetricsStore). */
export interface ProxyCounts {
  versions(service: string): string[];
  countsOver(service: string, version: string, windowSeconds: number, now: number): { requests: number; errors: number; buckets: number[] };
}

export interface RollupWriterOptions {
  store: Store;
  clock: Clock;
  metrics: ProxyCounts;
  /** The services the proxy fronts. */
  services: () => readonly string[];
  /** Latency bucket bounds of `metrics` (seconds, +Inf implicit); must contain the rollup columns' bounds. */
  bounds: readonly number[];
  logger?: Pick<Logger, 'info' | 'warn'>;
  /** How long the proxy keeps per-second data (the oldest minute a flush can still read). */
  ringSeconds?: number;
  retentionMs?: number;
}

/**
 * Writes the proxy's completed minutes to the store, once a minute. `flush()` is the work-queue
 * handler: it writes every whole minute since the last flush (or since this process started:
 * earlier minutes belong to the previous process, whose rows must not be overwritten with this
 * one's empty ring), prunes rows past retention once an hour, and returns the delay to the next
 * minute. Writing a minute twice replaces it, so a retry after a failed commit is harmless.
 * A version without requests in a minute writes no row (no data, never zeros).
 */
export function createRollupWriter(o: RollupWriterOptions) {
  const retentionMs = o.retentionMs ?? ROLLUP_RETENTION_MS;
  const ringMs = (o.ringSeconds ?? 3600) * 1000;
  const columnIndex = ROLLUP_LE_BOUNDS.map((b) => o.bounds.findIndex((x) => Math.abs(x - b) <= 1e-9 * Math.max(1, b)));
  if (columnIndex.some((i) => i < 0)) throw new Error(`the proxy's latency buckets (${o.bounds.join(', ')}) lack a rollup bound (${ROLLUP_LE_BOUNDS.join(', ')})`);
  const floorMinute = (ms: number) => Math.floor(ms / MINUTE_MS) * MINUTE_MS;
  let next = floorMinute(o.clock.now());
  let prunedAt = Number.NEGATIVE_INFINITY;

  function rowsOf(minute: number): MinuteRollup[] {
    const rows: MinuteRollup[] = [];
    for (const service of o.services()) {
      for (const version of o.metrics.versions(service)) {
        const c = o.metrics.countsOver(service, version, 60, minute + MINUTE_MS - 1);
        if (c.requests === 0) continue;
        const cumulative: number[] = [];
        let running = 0;
        for (const n of c.buckets) cumulative.push((running += n));
        rows.push({ service, version, startMs: minute, requests: c.requests, errors: c.errors, le: columnIndex.map((i) => cumulative[i] as number) });
      }
    }
    return rows;
  }

  return {
    /** Flushes completed minutes; returns ms until the next minute has completed (plus a second for late requests). */
    async flush(): Promise<number> {
      const now = o.clock.now();
      const end = floorMinute(now);
      const from = Math.max(next, end - ringMs + MINUTE_MS);
      const rows: MinuteRollup[] = [];
      for (let minute = from; minute < end; minute += MINUTE_MS) rows.push(...rowsOf(minute));
      await o.store.writeTransaction((trx) => o.store.rollups.writeMinutes(rows, trx));
      next = Math.max(next, end);
      if (now - prunedAt >= 3_600_000) {
        const pruned = await o.store.writeTransaction((trx) => o.store.rollups.prune(floorMinute(now - retentionMs), trx));
        prunedAt = now;
        if (pruned.minutes + pruned.hours > 0) o.logger?.info(pruned, 'pruned request rollups past retention');
      }
      return end + MINUTE_MS + 1000 - now;
    },
  };
}

export type RollupWriter = ReturnType<typeof createRollupWriter>;
