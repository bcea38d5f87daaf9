/**
 * Request metrics of one service version: a ring of 1-second slots over the last `windowSeconds`
 * (requests, 5xx, latency histogram, latency sum) for queries, plus counters since start for the
 * Prometheus exposition. Recording allocates nothing except the first time a status code is seen.
 */

/** Prometheus-style upper bounds, in seconds; +Inf is implicit. */
export const DEFAULT_LATENCY_BUCKETS: readonly number[] = Object.freeze([0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10]);

export interface SeriesLabels {
  readonly service: string;
  readonly namespace: string;
  readonly version: string;
}

export interface WindowCounts {
  /** Requests completed in the window (the sample count: 0 means no data). */
  requests: number;
  /** Of which answered with a 5xx status. */
  errors: number;
  latencySumSeconds: number;
  /** Non-cumulative counts per bucket; the last entry is the +Inf bucket. */
  buckets: number[];
}

export class VersionSeries {
  readonly labels: SeriesLabels;
  readonly bounds: readonly number[];
  private readonly window: number;
  private readonly slotSecond: Float64Array;
  private readonly slotRequests: Uint32Array;
  private readonly slotErrors: Uint32Array;
  private readonly slotSum: Float64Array;
  private readonly slotHist: Uint32Array;
  /** Counters since start, for /metrics (Prometheus takes rate() over them). */
  readonly totalByCode = new Map<number, number>();
  readonly totalHist: Float64Array;
  totalSum = 0;
  totalCount = 0;

  constructor(labels: SeriesLabels, windowSeconds: number, bounds: readonly number[] = DEFAULT_LATENCY_BUCKETS) {
    this.labels = labels;
    this.bounds = bounds;
    this.window = windowSeconds;
    this.slotSecond = new Float64Array(windowSeconds).fill(-1);
    this.slotRequests = new Uint32Array(windowSeconds);
    this.slotErrors = new Uint32Array(windowSeconds);
    this.slotSum = new Float64Array(windowSeconds);
    this.slotHist = new Uint32Array(windowSeconds * (bounds.length + 1));
    this.totalHist = new Float64Array(bounds.length + 1);
  }

  /** Records one completed request: status code, duration in seconds, completion time (epoch ms). */
  record(code: number, seconds: number, nowMs: number): void {
    const second = Math.floor(nowMs / 1000);
    const slot = second % this.window;
    const width = this.bounds.length + 1;
    if (this.slotSecond[slot] !== second) {
      this.slotSecond[slot] = second;
      this.slotRequests[slot] = 0;
      this.slotErrors[slot] = 0;
      this.slotSum[slot] = 0;
      this.slotHist.fill(0, slot * width, slot * width + width);
    }
    let b = 0;
    const bounds = this.bounds;
    while (b < bounds.length && seconds > (bounds[b] as number)) b++;
    const isError = code >= 500 && code <= 599 ? 1 : 0;
    this.slotRequests[slot]! += 1;
    this.slotErrors[slot]! += isError;
    this.slotSum[slot]! += seconds;
    this.slotHist[slot * width + b]! += 1;
    this.totalByCode.set(code, (this.totalByCode.get(code) ?? 0) + 1);
    this.totalHist[b]! += 1;
    this.totalSum += seconds;
    this.totalCount += 1;
  }

  /**
   * Sums the slots of the last `windowSeconds` seconds ending at `nowMs` (the current, partial
   * second included). Windows longer than the ring are clamped to it.
   */
  countsOver(windowSeconds: number, nowMs: number): WindowCounts {
    const width = this.bounds.length + 1;
    const out: WindowCounts = { requests: 0, errors: 0, latencySumSeconds: 0, buckets: new Array<number>(width).fill(0) };
    const current = Math.floor(nowMs / 1000);
    const span = Math.min(Math.max(1, Math.ceil(windowSeconds)), this.window);
    for (let s = current - span + 1; s <= current; s++) {
      const slot = ((s % this.window) + this.window) % this.window;
      if (this.slotSecond[slot] !== s) continue;
      out.requests += this.slotRequests[slot] as number;
      out.errors += this.slotErrors[slot] as number;
      out.latencySumSeconds += this.slotSum[slot] as number;
      for (let b = 0; b < width; b++) out.buckets[b]! += this.slotHist[slot * width + b] as number;
    }
    return out;
  }
}
