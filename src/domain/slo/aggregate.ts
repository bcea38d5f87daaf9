/**
 * One pass over a dense series that sums every requested window ending at `endMs` at once:
 * no prefix arrays, no allocation per minute. For scoring many SLOs when each is read once.
 */

import type { DenseSeries, WindowCounts } from './counts.js';
import { MINUTE_MS } from './duration.js';

/**
 * Sums counts for each window length in `windowsMs` over [endMs − w, endMs), clipped to the
 * series. Steps partly inside a window count whole (windows are meant to be step multiples).
 * The result feeds `createAggregateCounts(endMs, result)`.
 */
export function aggregateWindows(series: DenseSeries, endMs: number, windowsMs: readonly number[]): Map<number, WindowCounts> {
  const step = series.stepMs ?? MINUTE_MS;
  const n = Math.min(series.good.length, series.total.length);
  const sorted = [...new Set(windowsMs)].sort((a, b) => a - b);
  const sums = sorted.map(() => ({ good: 0, total: 0, samples: 0 }));
  const last = Math.min(n, Math.ceil((endMs - series.startMs) / step));
  // Walk backwards from the end: window k receives every step younger than its start, so each
  // step is added to the running sum once and copied at the boundaries.
  let good = 0;
  let total = 0;
  let samples = 0;
  let k = 0;
  for (let i = last - 1; i >= 0 && k < sorted.length; i--) {
    const stepStart = series.startMs + i * step;
    while (k < sorted.length && stepStart + step <= endMs - (sorted[k] as number)) {
      sums[k] = { good, total, samples };
      k++;
    }
    if (k >= sorted.length) break;
    const t = series.total[i] as number;
    if (Number.isNaN(t)) continue;
    good += series.good[i] as number;
    total += t;
    samples += 1;
  }
  for (; k < sorted.length; k++) sums[k] = { good, total, samples };
  return new Map(sorted.map((w, i) => [w, sums[i] as WindowCounts]));
}
