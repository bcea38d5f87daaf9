/**
 * Exact window sums from two resolutions of stored counts: hourly rows for the whole hours inside
 * a window, minute rows for its ragged edges. An hour row is the sum of its minute rows, so
 * hours + edge minutes equal the sum of every minute in the window, to the request.
 *
 *   window  [10:17, 13:42)  →  minutes [10:17, 11:00) + hours [11:00, 13:00) + minutes [13:00, 13:42)
 *
 * A 30-day window then reads 719 hour rows and at most 118 minute rows instead of 43,200 minutes;
 * windows under two hours (5m, 30m, 1h) read minutes only.
 */

import type { TimeRange, WindowCounts } from './counts.js';
import { HOUR_MS, MINUTE_MS } from './duration.js';

export interface RollupPlan {
  /** Whole hours, [fromMs, toMs) on hour boundaries; absent when the window holds none. */
  hours?: TimeRange;
  /** The edges (or the whole window) in minutes, each [fromMs, toMs) on minute boundaries. */
  minutes: TimeRange[];
}

const floorTo = (ms: number, step: number) => Math.floor(ms / step) * step;
const ceilTo = (ms: number, step: number) => Math.ceil(ms / step) * step;

/**
 * Splits a range into whole hours and edge minutes. The range is first rounded outward to whole
 * minutes, as `createPrefixSumCounts` rounds to its steps, so both sources answer the same sums.
 */
export function planRange(range: TimeRange): RollupPlan {
  const from = floorTo(range.fromMs, MINUTE_MS);
  const to = ceilTo(range.toMs, MINUTE_MS);
  if (to <= from) return { minutes: [] };
  const h0 = ceilTo(from, HOUR_MS);
  const h1 = floorTo(to, HOUR_MS);
  if (h1 <= h0) return { minutes: [{ fromMs: from, toMs: to }] };
  const minutes: TimeRange[] = [];
  if (from < h0) minutes.push({ fromMs: from, toMs: h0 });
  if (h1 < to) minutes.push({ fromMs: h1, toMs: to });
  return { hours: { fromMs: h0, toMs: h1 }, minutes };
}

/**
 * The sorted, distinct boundaries of a set of ranges: consecutive pairs are the elementary
 * segments a store sums once (one grouped query), from which every range is reassembled.
 */
export function segmentEdges(ranges: readonly TimeRange[]): number[] {
  const edges = new Set<number>();
  for (const r of ranges) {
    if (r.toMs <= r.fromMs) continue;
    edges.add(r.fromMs).add(r.toMs);
  }
  return [...edges].sort((a, b) => a - b);
}

/**
 * Sums the elementary segments [edges[i], edges[i+1]) that make up `range` (whose ends must be
 * edges). `segments[i]` holds segment i's counts, or undefined when it had no rows.
 */
export function sumSegments(edges: readonly number[], segments: ReadonlyArray<WindowCounts | undefined>, range: TimeRange): WindowCounts {
  const out = { good: 0, total: 0, samples: 0 };
  const start = edges.indexOf(range.fromMs);
  if (start < 0 || range.toMs <= range.fromMs) return out;
  for (let i = start; i < edges.length - 1 && (edges[i] as number) < range.toMs; i++) {
    const s = segments[i];
    if (!s) continue;
    out.good += s.good;
    out.total += s.total;
    out.samples += s.samples;
  }
  return out;
}

/** Adds counts (a plan's parts into one window). */
export function addCounts(a: WindowCounts, b: WindowCounts): WindowCounts {
  return { good: a.good + b.good, total: a.total + b.total, samples: a.samples + b.samples };
}

/** Merges ranges into sorted, disjoint intervals (touching ranges join): one store scan each. */
export function mergeRanges(ranges: readonly TimeRange[]): TimeRange[] {
  const sorted = ranges.filter((r) => r.toMs > r.fromMs).sort((a, b) => a.fromMs - b.fromMs);
  const out: TimeRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.fromMs <= last.toMs) last.toMs = Math.max(last.toMs, r.toMs);
    else out.push({ fromMs: r.fromMs, toMs: r.toMs });
  }
  return out;
}
