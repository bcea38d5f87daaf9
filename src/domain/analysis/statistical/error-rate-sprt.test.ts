import { describe, expect, it } from 'vitest';
import { createSprtState, DEFAULT_SPRT, expectedSecondsToDecide, sprtBoundaries, updateSprt, waldAsn } from './error-rate-sprt.js';
import type { ErrorWindow, SprtState } from './error-rate-sprt.js';
import { judgeCanary } from './judge.js';
import { createSeededRandom } from './test-support/seeded-random.js';

describe('SPRT on the conditional binomial', () => {
  it('uses Wald boundaries', () => {
    expect(sprtBoundaries({ alpha: 0.01, beta: 0.05, k: 2, tolerance: 0 })).toEqual({ upper: Math.log(0.95 / 0.01), lower: Math.log(0.05 / 0.99) });
  });

  it('adds each window\'s log-likelihood ratio from that window\'s traffic split', () => {
    // canary share 20/200: π0 = 20/(20+180) = 0.1, π1 = 40/(40+180) = 2/11.
    const state = updateSprt(createSprtState(), { canaryRequests: 20, canaryErrors: 3, stableRequests: 180, stableErrors: 2 });
    expect(state.llr).toBeCloseTo(3 * Math.log((2 / 11) / 0.1) + 2 * Math.log((9 / 11) / 0.9), 12);
    expect(state.decision).toBe('continue');
  });

  it('a window without canary or stable traffic carries no information', () => {
    const state = updateSprt(createSprtState(), { canaryRequests: 0, canaryErrors: 0, stableRequests: 180, stableErrors: 4 });
    expect(state.llr).toBe(0);
    expect(state.totals.stableErrors).toBe(4);
  });

  it('decides and stays decided', () => {
    let state = createSprtState();
    for (let i = 0; i < 3; i++) state = updateSprt(state, { canaryRequests: 20, canaryErrors: 4, stableRequests: 180, stableErrors: 1 });
    expect(state.decision).toBe('fail');
    const after = updateSprt(state, { canaryRequests: 20, canaryErrors: 0, stableRequests: 180, stableErrors: 50 });
    expect([after.decision, after.llr]).toEqual(['fail', state.llr]);
  });

  it('passes when stable errors accumulate and the canary stays clean', () => {
    let state = createSprtState();
    for (let i = 0; i < 10; i++) state = updateSprt(state, { canaryRequests: 20, canaryErrors: 0, stableRequests: 180, stableErrors: 5 });
    expect(state.decision).toBe('pass');
  });
});

describe('Wald ASN', () => {
  const { alpha, beta } = DEFAULT_SPRT;
  const { upper: a, lower: b } = sprtBoundaries();
  const pi0 = 0.1;
  const pi1 = 2 / 11;
  const z1 = Math.log(pi1 / pi0);
  const z0 = Math.log((1 - pi1) / (1 - pi0));

  it('matches the closed forms at H0 and H1', () => {
    const mu0 = pi0 * z1 + (1 - pi0) * z0;
    const mu1 = pi1 * z1 + (1 - pi1) * z0;
    expect(waldAsn(1, 0.1)).toBeCloseTo(((1 - alpha) * b + alpha * a) / mu0, 8);
    expect(waldAsn(2, 0.1)).toBeCloseTo(((1 - beta) * a + beta * b) / mu1, 6);
  });

  it('falls as the canary gets worse and is finite at zero drift', () => {
    const values = [1.5, 2, 5, 10].map((theta) => waldAsn(theta, 0.1));
    expect(values.every((v, i) => i === 0 || v < values[i - 1]!)).toBe(true);
    expect(Number.isFinite(waldAsn(1.44, 0.1))).toBe(true);
  });

  it('converts to seconds from the error flow', () => {
    const seconds = expectedSecondsToDecide({ canaryRps: 20, stableRps: 180, canaryErrorRate: 0.05, stableErrorRate: 0.005 });
    expect(seconds).toBeCloseTo(waldAsn(10, 0.1) / (20 * 0.05 + 180 * 0.005), 10);
  });
});

describe('seeded simulation (deterministic)', () => {
  const CANARY_RPS = 20;
  const STABLE_RPS = 180;
  const STABLE_RATE = 0.005;
  const WINDOW_S = 10;
  const HORIZON_S = 600;

  /** Seconds until abort, or null when the canary was never aborted within the horizon. */
  function trial(seed: number, canaryRate: number): number | null {
    const rng = createSeededRandom(seed);
    let state: SprtState = createSprtState();
    for (let t = WINDOW_S; t <= HORIZON_S; t += WINDOW_S) {
      const window: ErrorWindow = {
        canaryRequests: CANARY_RPS * WINDOW_S, canaryErrors: rng.binomial(CANARY_RPS * WINDOW_S, canaryRate),
        stableRequests: STABLE_RPS * WINDOW_S, stableErrors: rng.binomial(STABLE_RPS * WINDOW_S, STABLE_RATE),
      };
      state = updateSprt(state, window);
      if (state.decision === 'fail') return t;
      if (state.decision === 'pass') return null;
    }
    return null;
  }

  it('aborts good canaries at most about alpha of the time', () => {
    const trials = 1000;
    let aborts = 0;
    for (let i = 0; i < trials; i++) if (trial(1000 + i, STABLE_RATE) !== null) aborts++;
    // α = 1 %; Wald's bound is α/(1 − β) ≈ 1.05 %. Allow sampling noise: 3 %.
    expect(aborts / trials).toBeLessThanOrEqual(0.03);
  });

  it('detects a 5 % canary within 60 s median, close to the Wald bound', () => {
    const times = Array.from({ length: 400 }, (_, i) => trial(5000 + i, 0.05));
    const detected = times.filter((t): t is number => t !== null).sort((x, y) => x - y);
    expect(detected.length).toBeGreaterThanOrEqual(396);
    const median = detected[Math.floor(detected.length / 2)]!;
    expect(median).toBeLessThanOrEqual(60);
    const bound = expectedSecondsToDecide({ canaryRps: CANARY_RPS, stableRps: STABLE_RPS, canaryErrorRate: 0.05, stableErrorRate: STABLE_RATE });
    // Decisions land on 10 s window edges, so allow one window beyond 1.5× the bound.
    expect(median).toBeLessThanOrEqual(1.5 * bound + WINDOW_S);
  });

  it('the combined verdict carries the statistic, samples and boundary', () => {
    let state = createSprtState();
    state = updateSprt(state, { canaryRequests: 200, canaryErrors: 10, stableRequests: 1800, stableErrors: 9 });
    const verdict = judgeCanary({ errorRate: state });
    expect(verdict.decision).toBe('fail');
    expect(verdict.errorRate?.samples).toEqual({ canaryRequests: 200, canaryErrors: 10, stableRequests: 1800, stableErrors: 9 });
    expect(verdict.errorRate?.boundary.upper).toBeCloseTo(Math.log(0.95 / 0.01), 12);
    expect(verdict.message).toMatch(/canary 10\/200 \(5\.00%\) vs stable 9\/1800 \(0\.50%\)/);
  });

  it('with no data the verdict is inconclusive, never a pass', () => {
    expect(judgeCanary({}).decision).toBe('inconclusive');
  });

  it('an undecided test passes only when finalized', () => {
    const state = updateSprt(createSprtState(), { canaryRequests: 200, canaryErrors: 1, stableRequests: 1800, stableErrors: 9 });
    expect(judgeCanary({ errorRate: state }).decision).toBe('continue');
    expect(judgeCanary({ errorRate: state }, undefined, true).decision).toBe('pass');
  });
});
