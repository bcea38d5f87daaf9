import { describe, expect, it } from 'vitest';
import { resolve } from '../domain/analysis/index.js';
import type { ResolvedAnalysis } from '../domain/analysis/index.js';
import { createSeededRandom } from '../domain/analysis/statistical/test-support/seeded-random.js';
import { createManualClock } from '../platform/clock.js';
import { createBuiltinProvider } from '../providers/metrics/builtin.js';
import type { BuiltinMetricsSource } from '../providers/metrics/types.js';
import { createRunState } from './run-state.js';
import type { AnalysisRunState } from './run-state.js';
import { stepRun } from './step-run.js';

/** Per-second traffic, seeded: canary 20 req/s, stable 180 req/s, with the given error rates. */
function scriptedTraffic(start: number, canaryRate: number, seed: number): BuiltinMetricsSource {
  const random = createSeededRandom(seed);
  const seconds = 600;
  const errors = { v2: [] as number[], v1: [] as number[] };
  for (let s = 0; s < seconds; s++) {
    errors.v2.push(random.binomial(20, canaryRate));
    errors.v1.push(random.binomial(180, 0.005));
  }
  const rps = { v2: 20, v1: 180 };
  return {
    countsOver(_service, version, windowSeconds, now) {
      const v = version === 'v2' ? 'v2' : 'v1';
      const to = Math.round((now - start) / 1000);
      const from = Math.max(0, to - Math.round(windowSeconds));
      let e = 0;
      for (let s = from; s < to; s++) e += errors[v][s] ?? 0;
      return { requests: rps[v] * (to - from), errors: e };
    },
    latencyQuantile: () => ({ value: 0.1, samples: 100 }),
  };
}

function statisticalAnalysis(): ResolvedAnalysis {
  const r = resolve({
    kind: 'AnalysisTemplate', name: 'canary', semantics: 'rampart/v1', judge: { type: 'statistical' }, args: [], dryRun: [], measurementRetention: [],
    metrics: [{ name: 'error-rate', interval: '30s', count: 10, failureLimit: 3, successCondition: 'result < 0.2', noData: { policy: 'wait' }, provider: { type: 'builtin', metric: 'error-ratio', service: 'checkout', version: 'v2', window: '2m' } }],
  });
  if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('; '));
  return r.analysis;
}

async function drive(canaryRate: number, withComparison = true) {
  const clock = createManualClock();
  const start = clock.now();
  const source = scriptedTraffic(start, canaryRate, 7);
  const analysis = statisticalAnalysis();
  let state: AnalysisRunState = createRunState(analysis, start);
  for (let i = 0; i < 500; i++) {
    const step = await stepRun(state, analysis, { builtin: createBuiltinProvider(source) }, clock.now(), {
      ...(withComparison ? { canaryComparison: { source, service: 'checkout', canaryVersion: 'v2', stableVersion: 'v1', everyMs: 5_000 } } : {}),
    });
    state = JSON.parse(JSON.stringify(step.state)) as AnalysisRunState;
    if (step.nextAt === null) return { state, endedAt: (clock.now() - start) / 1000 };
    clock.set(step.nextAt);
  }
  throw new Error('run did not end');
}

describe('stepRun with judge: statistical', () => {
  it('a canary at 10× the stable error rate is failed by the SPRT within seconds, well before the threshold (result < 0.2) could', async () => {
    const run = await drive(0.05);
    expect(run.state.phase).toBe('Failed');
    expect(run.state.decidingMetric).toBe('judge:error-rate');
    expect(run.endedAt).toBeLessThanOrEqual(60);
    expect(run.state.summary).toMatch(/^Failed: statistical judge: error rate: canary error rate is 2× stable's or worse; log-likelihood ratio/);
    expect(run.state.judge?.sprt.decision).toBe('fail');
  });

  it('a canary as good as stable runs its threshold metrics to the end and passes', async () => {
    const run = await drive(0.005);
    expect(run.state.phase).toBe('Successful');
    // t = 0 has no traffic yet (Pending, not counted), so the 10th counted measurement lands at 300 s.
    expect(run.endedAt).toBe(300);
    expect(run.state.judge?.sprt.decision).not.toBe('fail');
  });

  it('without canary and stable counts the run cannot be judged: Error, not a silent threshold run', async () => {
    const run = await drive(0.005, false);
    expect([run.state.phase, run.endedAt]).toEqual(['Error', 0]);
    expect(run.state.message).toMatch(/judge: statistical needs canary and stable request counts/);
  });
});
