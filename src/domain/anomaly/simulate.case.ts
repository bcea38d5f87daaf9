/** Seeded traffic for the anomaly tests: per-minute counts from a deterministic PRNG. */
import type { MinuteCounts } from './signal.js';
import { createSeededRandom } from '../analysis/statistical/test-support/seeded-random.js';

export const bounds: readonly number[] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** The shared seeded PRNG (mulberry32), so every run and every failing seed reproduce. */
export const prng = (seed: number): (() => number) => createSeededRandom(seed).next;

export interface TrafficShape {
  /** Mean requests per minute; each minute varies uniformly ±30 %. */
  perMinute: number;
  errorRatio: number;
  /** Median latency in seconds; latencies are log-normal with sigma 0.5. */
  medianSeconds: number;
}

/** One minute of noisy traffic: every request draws its own outcome and latency. */
export function minuteOf(shape: TrafficShape, rand: () => number): MinuteCounts {
  const requests = Math.round(shape.perMinute * (0.7 + 0.6 * rand()));
  let errors = 0;
  const buckets = new Array<number>(bounds.length + 1).fill(0);
  for (let i = 0; i < requests; i++) {
    if (rand() < shape.errorRatio) errors++;
    const normal = Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
    const seconds = shape.medianSeconds * Math.exp(0.5 * normal);
    let b = 0;
    while (b < bounds.length && seconds > bounds[b]!) b++;
    buckets[b]! += 1;
  }
  return { requests, errors, buckets };
}
