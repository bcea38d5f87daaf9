/**
 * Exact window sums from three resolutions of stored counts: day rows for the whole (UTC) days
 * inside a window, hour rows for the whole hours around them, minute rows for the ragged edges.
 * A day row is the sum of its hour rows and an hour row the sum of its minute rows, so the parts
 * equal the sum of every minute in the window, to the request.
 *
 *   window  [Mon 10:17, Thu 13:42)  →  minutes [Mon 10:17, 11:00) + hours [Mon 11:00, Tue 00:00)
 *           + days [Tue, Thu) + hours [Thu 00:00, 13:00) + minutes [Thu 13:00, 13:42)
 *
 * A 30-day window then reads about 29 day rows, 23 hour rows and 60 minute rows instead of
 * 43,200 minutes; windows under two hours (5m, 30m, 1h) read minutes only.
 */

import type { TimeRange, WindowCounts } from './counts.js';
import { DAY_MS, HOUR_MS, MINUTE_MS } from './duration.js';

export interface RollupPlan {
  /** Whole UTC days, [fromMs, toMs) on day boundaries; absent when the window holds none. */
  days?: TimeRange;
  /** Whole hours outside the days (at most one range each side), on hour boundaries. */
  hours: TimeRange[];
  /** The edges (or the whole window) in minutes, each [fromMs, toMs) on minute boundaries. */
  minutes: TimeRange[];
}

const floorTo = (ms: number, step: number) => Math.floor(ms / step) * step;
const ceilTo = (ms: number, step: number) => Math.ceil(ms / step) * step;

/** [a, b) split into whole `step`s inside it and the edges outside them; `inner` absent when none fits. */
function split(a: number, b: number, step: number): { inner?: TimeRange; edges: TimeRange[] } {
  const i0 = ceilTo(a, step);
  const i1 = floorTo(b, step);
  if (i1 <= i0) return { edges: b > a ? [{ fromMs: a, toMs: b }] : [] };
  const edges: TimeRange[] = [];
  if (a < i0) edges.push({ fromMs: a, toMs: i0 });
  if (i1 < b) edges.push({ fromMs: i1, toMs: b });
  return { inner: { fromMs: i0, toMs: i1 }, edges };
}

/**
 * Splits a range into whole days, whole hours and edge minutes. The range is first rounded
 * outward to whole minutes, as `createPrefixSumCounts` rounds to its steps, so both sources
 * answer the same sums.
 */
export function planRange(range: TimeRange): RollupPlan {
  const from = floorTo(range.fromMs, MINUTE_MS);
  const to = ceilTo(range.toMs, MINUTE_MS);
  const byHour = split(from, to, HOUR_MS);
  if (!byHour.inner) return { hours: [], minutes: byHour.edges };
  const byDay = split(byHour.inner.fromMs, byHour.inner.toMs, DAY_MS);
  return { ...(byDay.inner ? { days: byDay.inner } : {}), hours: byDay.edges, minutes: byHour.edges };
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
 * edges). `segment(i)` gives segment i's counts, or undefined when it had no rows.
 */
export function sumSegments(edges: readonly number[], segment: (i: number) => WindowCounts | undefined, range: TimeRange): WindowCounts {
  const out = { good: 0, total: 0, samples: 0 };
  const start = edges.indexOf(range.fromMs);
  if (start < 0 || range.toMs <= range.fromMs) return out;
  for (let i = start; i < edges.length - 1 && (edges[i] as number) < range.toMs; i++) {
    const s = segment(i);
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
