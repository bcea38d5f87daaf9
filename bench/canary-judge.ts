/**
 * How fast, and how wrongly, three canary judges decide: the spec's slo-guard threshold, a
 * Flagger-style threshold, and Rampart's statistical judge (SPRT on the canary/stable error
 * rate ratio). Seeded and reproducible: the same seed gives the same table.
 *
 *   node --import tsx bench/canary-judge.ts        (BENCH_TRIALS=1000, BENCH_SEED=20261126)
 *
 * Traffic model (per second, for each trial; all three judges see the same simulated traffic):
 * - the canary receives 20 requests/s, the stable 180 requests/s (the canary at a 10% weight of
 *   200 requests/s); each request fails independently: stable 0.5%, canary 0.5% (good), 1%, 2.5%, 5%.
 * - the canary starts taking traffic when the analysis starts (t = 0).
 * Judges:
 * - slo-guard: every 30 s from t = 30 s (10 measurements), the canary's error ratio over the last
 *   2 minutes (or since t = 0 when shorter, as Prometheus' rate() extrapolates); a measurement
 *   fails unless ratio < 0.02; the 4th failure (failureLimit 3) aborts. Ends at 300 s.
 * - Flagger-style: every 60 s (10 checks), the canary's error ratio over the last minute; a check
 *   fails when it exceeds 1% (Flagger's request-success-rate with min 99%); failed checks are not
 *   reset by passing ones; the 5th failure (threshold 5) rolls back. Ends at 600 s.
 * - statistical: Rampart's SPRT (defaults: α 0.01, β 0.05, k 2, tolerance 0) fed one window per
 *   second of canary and stable counts (the built-in proxy's per-version counters); it aborts when
 *   the log-likelihood ratio crosses the upper boundary, passes at the lower one, and an undecided
 *   test passes at 300 s (truncation only lowers the false-abort rate).
 */
import { loadavg } from 'node:os';
import { createSprtState, DEFAULT_SPRT, expectedSecondsToDecide, updateSprt, waldAsn } from '../src/domain/analysis/statistical/error-rate-sprt.js';
import { createSeededRandom } from '../src/domain/analysis/statistical/test-support/seeded-random.js';
import type { SeededRandom } from '../src/domain/analysis/statistical/test-support/seeded-random.js';
import { table, writeSection } from './results.js';

const TRIALS = Number(process.env.BENCH_TRIALS ?? 1000);
const SEED = Number(process.env.BENCH_SEED ?? 20261126);
const CANARY_RPS = 20;
const STABLE_RPS = 180;
const STABLE_RATE = 0.005;
const CANARY_RATES = [0.005, 0.01, 0.025, 0.05];
const HORIZON = 600;

interface Traffic {
  /** Canary errors in second i (requests are CANARY_RPS every second). */
  readonly canaryErrors: Int32Array;
  readonly stableErrors: Int32Array;
}

function simulate(random: SeededRandom, canaryRate: number): Traffic {
  const canaryErrors = new Int32Array(HORIZON);
  const stableErrors = new Int32Array(HORIZON);
  for (let s = 0; s < HORIZON; s++) {
    canaryErrors[s] = random.binomial(CANARY_RPS, canaryRate);
    stableErrors[s] = random.binomial(STABLE_RPS, STABLE_RATE);
  }
  return { canaryErrors, stableErrors };
}

/** Canary error ratio over seconds [from, to). */
function canaryRatio(t: Traffic, from: number, to: number): number {
  let errors = 0;
  for (let s = Math.max(0, from); s < to; s++) errors += t.canaryErrors[s] ?? 0;
  return errors / (CANARY_RPS * (to - Math.max(0, from)));
}

/** Seconds until the judge aborts, or null when it lets the canary through. */
type Judge = (t: Traffic) => number | null;

const sloGuard: Judge = (t) => {
  let failed = 0;
  for (let k = 1; k <= 10; k++) {
    const at = 30 * k;
    if (!(canaryRatio(t, at - 120, at) < 0.02)) failed++;
    if (failed > 3) return at;
  }
  return null;
};

const FLAGGER_MAX_ERROR_RATE = 0.01;
const flagger: Judge = (t) => {
  let failed = 0;
  for (let k = 1; k <= 10; k++) {
    const at = 60 * k;
    if (canaryRatio(t, at - 60, at) > FLAGGER_MAX_ERROR_RATE) failed++;
    if (failed >= 5) return at;
  }
  return null;
};

const STATISTICAL_HORIZON = 300;
const statistical: Judge = (t) => {
  let state = createSprtState();
  for (let s = 0; s < STATISTICAL_HORIZON; s++) {
    state = updateSprt(state, { canaryRequests: CANARY_RPS, canaryErrors: t.canaryErrors[s] ?? 0, stableRequests: STABLE_RPS, stableErrors: t.stableErrors[s] ?? 0 }, DEFAULT_SPRT);
    if (state.decision === 'fail') return s + 1;
    if (state.decision === 'pass') return null;
  }
  return null;
};

const JUDGES: [string, Judge][] = [
  ['slo-guard threshold (30 s × 10, failureLimit 3, ratio < 2 %)', sloGuard],
  ['Flagger-style threshold (60 s × 10, 5 failed checks, ratio ≤ 1 %)', flagger],
  ['Rampart statistical (SPRT α 0.01, β 0.05, k 2; 1 s windows)', statistical],
];

function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? Infinity;
}

const fmt = (seconds: number): string => (Number.isFinite(seconds) ? `${seconds.toFixed(0)} s` : 'not detected');

function main(): void {
  const started = performance.now();
  const outcomes = new Map<string, (number | null)[]>();
  CANARY_RATES.forEach((rate, i) => {
    const random = createSeededRandom(SEED + i);
    for (let trial = 0; trial < TRIALS; trial++) {
      const traffic = simulate(random, rate);
      for (const [name, judge] of JUDGES) {
        const key = `${name}|${rate}`;
        const list = outcomes.get(key) ?? [];
        list.push(judge(traffic));
        outcomes.set(key, list);
      }
    }
  });

  const rows: Record<string, string | number>[] = [];
  const goals: string[] = [];
  for (const [name] of JUDGES) {
    for (const rate of CANARY_RATES) {
      const list = outcomes.get(`${name}|${rate}`) ?? [];
      const times = list.map((v) => v ?? Infinity).sort((a, b) => a - b);
      const aborted = list.filter((v) => v !== null).length / list.length;
      const good = rate === STABLE_RATE;
      const traffic = { canaryRps: CANARY_RPS, stableRps: STABLE_RPS, canaryErrorRate: rate, stableErrorRate: STABLE_RATE };
      const bound = expectedSecondsToDecide(traffic, DEFAULT_SPRT);
      const detected = list.filter((v): v is number => v !== null);
      const mean = detected.length > 0 ? detected.reduce((a, b) => a + b, 0) / detected.length : Infinity;
      rows.push({
        judge: name,
        canary: `${(rate * 100).toFixed(1)} %`,
        'false aborts (good canary)': good ? `${(aborted * 100).toFixed(1)} %` : '—',
        'detected': good ? '—' : `${(aborted * 100).toFixed(1)} %`,
        'median time to detect': good ? '—' : fmt(quantile(times, 0.5)),
        'p95 time to detect': good ? '—' : fmt(quantile(times, 0.95)),
        'mean (detected)': good || detected.length === 0 ? '—' : `${mean.toFixed(1)} s`,
        'SPRT expected time (Wald ASN)': `${bound.toFixed(1)} s (${waldAsn(rate / STABLE_RATE, CANARY_RPS / (CANARY_RPS + STABLE_RPS), DEFAULT_SPRT).toFixed(1)} errors)`,
      });
      if (name.startsWith('Rampart')) {
        if (good) goals.push(`- false aborts on the good canary: ${(aborted * 100).toFixed(1)} % (goal ≤ 1 %): ${aborted <= 0.01 ? 'met' : 'NOT met'}`);
        if (rate === 0.05) {
          const median = quantile(times, 0.5);
          goals.push(`- 5 % canary, median time to detect: ${fmt(median)} (goal ≤ 60 s): ${median <= 60 ? 'met' : 'NOT met'}`);
          goals.push(`- 5 % canary, mean time to detect ${mean.toFixed(1)} s vs Wald's expected ${bound.toFixed(1)} s: ${(mean / bound).toFixed(2)}× (goal ≤ 1.5×): ${mean <= 1.5 * bound ? 'met' : 'NOT met'}`);
        }
      }
    }
  }
  const load = loadavg()[0] ?? 0;
  const body = [
    `Seed ${SEED}, ${TRIALS} trials per canary error rate; ${((performance.now() - started) / 1000).toFixed(1)} s to run.${load > 2 ? ` Machine load average ${load.toFixed(1)} while running (the results are simulated, so load does not change them).` : ''}`,
    '',
    `Traffic: the canary receives ${CANARY_RPS} requests/s and the stable version ${STABLE_RPS} requests/s (a 10 % canary weight of 200 requests/s); stable error rate ${STABLE_RATE * 100} %. Every request fails independently. The canary and the analysis start together (t = 0). Times are from the start of the analysis.`,
    '',
    '- slo-guard: the spec\'s error-rate metric — every 30 s (first at 30 s), 10 measurements, failureLimit 3, `result < 0.02` on the canary\'s 2-minute error ratio (shorter while less than 2 minutes of traffic exist).',
    '- Flagger-style: every 60 s, 10 checks, error ratio over the last minute must be ≤ 1 % (request-success-rate ≥ 99 %), rollback at the 5th failed check (not reset by passing checks).',
    '- Rampart statistical: the SPRT in src/domain/analysis/statistical (canary vs stable error-rate ratio; α 0.01, β 0.05, k 2) updated with each second\'s counts; undecided at 300 s counts as a pass.',
    '- "SPRT expected time" is Wald\'s approximate expected sample number (in errors, canary plus stable) divided by the errors per second; it ignores overshoot of the boundaries, so a real test runs a little longer.',
    '',
    table(rows),
    '',
    'Statistical judge against its goals:',
    ...goals,
  ].join('\n');
  writeSection('canary-judge', 'node --import tsx bench/canary-judge.ts', body);
  process.stdout.write(`${body}\n`);
}

main();
