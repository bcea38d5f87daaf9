/** Seeded traffic for the anomaly tests: per-minute counts from a deterministic PRNG. */
import { type AlertState, stepAlert } from './alert-state.js';
import { type AnomalyRule, specAnomalyRules } from './rules.js';
import { type MinuteCounts, evaluateSignal } from './signal.js';
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

/** Runs both rules once a minute over simulated minutes; returns each firing with its minute. */
export function simulate(shapeAt: (minute: number) => TrafficShape, totalMinutes: number, seed: number, rules: readonly AnomalyRule[] = specAnomalyRules) {
  const rand = prng(seed);
  const history: MinuteCounts[] = [];
  const states = rules.map((): AlertState => ({ phase: 'inactive' }));
  const firings: Array<{ rule: string; minute: number }> = [];
  const pendings: Array<{ rule: string; minute: number }> = [];
  for (let m = 0; m < totalMinutes; m++) {
    history.push(minuteOf(shapeAt(m), rand));
    if (history.length > 61) history.shift();
    rules.forEach((rule, i) => {
      const step = stepAlert(states[i]!, evaluateSignal(rule, history, bounds), rule, m * 60_000);
      states[i] = step.state;
      if (step.transition === 'firing') firings.push({ rule: rule.name, minute: m });
      if (step.transition === 'pending') pendings.push({ rule: rule.name, minute: m });
    });
  }
  return { firings, pendings };
}
