import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../analysis/statistical/test-support/seeded-random.js';
import { type GuardConfig, type GuardState, createGuardState, defaultGuardConfig, observe, wilsonLower } from './guard.js';

const config: GuardConfig = { ...defaultGuardConfig, errorThreshold: 0.05, latencyThresholdMs: 500 };

/** A flag at 50 %: 40 req/s of traffic, reports every 10 s. Returns the kill time in seconds, or undefined. */
function simulate(seed: number, onErrorRate: number, offErrorRate: number, seconds: number, onP95 = () => 120): number | undefined {
  const rnd = createSeededRandom(seed);
  let state: GuardState = createGuardState();
  for (let t = 10; t <= seconds; t += 10) {
    const onRequests = rnd.binomial(400, 0.5);
    const offRequests = 400 - onRequests;
    state = observe(state, {
      at: t * 1000,
      on: { requests: onRequests, errors: rnd.binomial(onRequests, onErrorRate), latencyP95Ms: onP95() },
      off: { requests: offRequests, errors: rnd.binomial(offRequests, offErrorRate) },
    }, config);
    if (state.killed) return t;
  }
  return undefined;
}

describe('flag kill switch', () => {
  it.each([
    [0, 100, 3.09, 0],
    [10, 100, 1.96, 0.0552],
    [50, 1000, 3.09, 0.0326],
  ])('Wilson lower bound of %i/%i at z=%f is %f', (errors, n, z, expected) => {
    expect(wilsonLower(errors, n, z)).toBeCloseTo(expected, 3);
  });

  it('switches off a 50 % flag whose on-path fails 10 % of requests, within the 300 s window', () => {
    const killedAt = simulate(1, 0.1, 0.005, 600);
    expect(killedAt).toBeDefined();
    expect(killedAt!).toBeLessThanOrEqual(config.windowSeconds);
  });

  it('explains the kill with value, threshold, window and samples', () => {
    let state = createGuardState();
    state = observe(state, { at: 10_000, on: { requests: 1000, errors: 120 }, off: { requests: 1000, errors: 5 } }, config);
    expect(state.killed).toMatchObject({ trigger: 'error-threshold', threshold: 0.05, samples: 1000 });
    expect(state.killed!.reason).toMatch(/on-path error ratio 12\.00% \(lower bound .*\) > errorThreshold 5\.00% over the last 300 s, 1000 requests/);
  });

  it('catches an on-path that is much worse than off even under the absolute threshold', () => {
    let state = createGuardState();
    for (let t = 1; t <= 30 && !state.killed; t++) {
      state = observe(state, { at: t * 10_000, on: { requests: 200, errors: 8 }, off: { requests: 200, errors: 1 } }, config);
    }
    expect(state.killed?.trigger).toBe('on-vs-off');
  });

  it('kills on latency only after three slow reports', () => {
    let state = createGuardState();
    for (const [t, p95] of [[1, 800], [2, 900]] as const) {
      state = observe(state, { at: t * 10_000, on: { requests: 200, errors: 0, latencyP95Ms: p95 }, off: { requests: 200, errors: 0 } }, config);
    }
    expect(state.killed).toBeUndefined();
    state = observe(state, { at: 30_000, on: { requests: 200, errors: 0, latencyP95Ms: 700 }, off: { requests: 200, errors: 0 } }, config);
    expect(state.killed).toMatchObject({ trigger: 'latency-threshold', value: 800, threshold: 500 });
  });

  it('never kills without enough on-path requests', () => {
    const state = observe(createGuardState(), { at: 1000, on: { requests: 20, errors: 20 }, off: { requests: 20, errors: 0 } }, config);
    expect(state.killed?.trigger).not.toBe('error-threshold');
  });

  it('rarely switches off a healthy flag: 1,000 simulated hours', () => {
    let kills = 0;
    for (let seed = 1; seed <= 1000; seed++) {
      if (simulate(10_000 + seed, 0.01, 0.01, 3600, () => 150) !== undefined) kills++;
    }
    console.log(`kill switch: ${kills} false kills in 1000 simulated healthy hours (${(kills / 10).toFixed(1)}%)`);
    expect(kills).toBeLessThanOrEqual(10);
  });
});
