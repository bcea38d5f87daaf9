import { describe, expect, it } from 'vitest';
import { decide } from './decide.js';
import { AUTO_ACTOR } from './observations.js';
import { RolloutWorld } from './scenario-harness.js';
import type { CanaryStep, RolloutSpec } from './spec.js';
import { strategyFor } from './strategies.js';

const canary = (steps: readonly CanaryStep[], extra: Partial<RolloutSpec> = {}): RolloutSpec =>
  ({ strategy: { type: 'canary', steps }, ...extra });
const ANALYSIS = { kind: 'analysis', analysis: { templates: [{ templateName: 'smoke-check' }], args: [] } } as const;

/** A world started and already at its analysis step (weight 10, run r1-a1-s1 running). */
function atAnalysis(extra: Partial<RolloutSpec> = {}): RolloutWorld {
  const w = new RolloutWorld(canary([{ kind: 'setWeight', weight: 10 }, ANALYSIS, { kind: 'setWeight', weight: 100 }], extra));
  w.tick();
  expect(w.status.stepIndex).toBe(1);
  return w;
}

describe('decide: analysis verdicts', () => {
  it.each(['Failed', 'Error'] as const)('%s aborts with all traffic on stable in the same call, traffic first', (phase) => {
    const w = atAnalysis();
    w.runs.set('r1-a1-s1', phase);
    const d = w.tick();
    expect(d.status.phase).toBe('Aborted');
    expect(d.status.weights).toEqual({ canary: 0, stable: 100 });
    expect(d.effects[0]).toMatchObject({ type: 'setWeight', canaryWeight: 0, stableWeight: 100 });
    expect(d.effects.map((e) => e.type)).toEqual(expect.arrayContaining(['verifyStableHealth', 'notify', 'openIncident', 'recordHistory']));
    expect(d.status.abort).toMatchObject({ actor: AUTO_ACTOR, at: w.now });
    expect(d.status.abort?.reason).toContain(phase);
  });

  it.each(['Failed', 'Error'] as const)('background %s aborts too', (phase) => {
    const w = new RolloutWorld({ strategy: { type: 'canary', steps: [{ kind: 'setWeight', weight: 20 }, { kind: 'pause' }], analysis: { templates: [{ templateName: 'slo' }], args: [] } } });
    w.tick();
    expect(w.runs.has('r1-a1-bg')).toBe(true);
    w.runs.set('r1-a1-bg', phase);
    expect(w.tick().status).toMatchObject({ phase: 'Aborted', weights: { canary: 0 } });
  });

  it('Inconclusive pauses and notifies once', () => {
    const w = atAnalysis();
    w.runs.set('r1-a1-s1', 'Inconclusive');
    const d = w.tick();
    expect(d.status).toMatchObject({ phase: 'Paused', hold: { reason: 'InconclusiveAnalysis' }, weights: { canary: 10 } });
    expect(d.effects.filter((e) => e.type === 'notify')).toHaveLength(1);
    expect(w.tick().effects).toEqual([]);
  });

  it('Successful advances to the next step', () => {
    const w = atAnalysis();
    w.verdict('Successful');
    expect(w.tick().status).toMatchObject({ phase: 'Healthy', weights: { canary: 0, stable: 100 }, stable: { version: 'v2' } });
  });

  it('an unhealthy canary or a failing synthetic check aborts', () => {
    const a = atAnalysis();
    a.canaryHealth = 'Unhealthy';
    expect(a.tick().status.abort?.reason).toMatch(/unhealthy/);
    const b = atAnalysis();
    b.synthetic = [{ check: 'login', message: 'HTTP 500' }];
    expect(b.tick().status.abort?.reason).toMatch(/login: HTTP 500/);
  });
});

describe('decide: pauses', () => {
  it.each([
    [1, 60_000], [2, 120_000], [0.5, 30_000], [0, 60_000], [Number.NaN, 60_000],
  ])('speed factor %d: a 60 s pause ends after %i ms', (factor, ms) => {
    const w = new RolloutWorld(canary([{ kind: 'setWeight', weight: 5 }, { kind: 'pause', durationMs: 60_000 }, { kind: 'setWeight', weight: 50 }, { kind: 'pause' }]));
    w.speedFactor = factor;
    w.tick();
    expect(w.status.pause?.until).toBe(w.now + ms);
    expect(w.last?.requeueAfterMs).toBe(ms);
    w.advance(ms - 1);
    expect(w.traffic.canary).toBe(5);
    w.advance(1);
    expect(w.traffic.canary).toBe(50);
  });

  it('an indefinite pause waits for promote and asks for no requeue', () => {
    const w = new RolloutWorld(canary([{ kind: 'setWeight', weight: 5 }, { kind: 'pause' }, { kind: 'setWeight', weight: 30 }, { kind: 'pause' }]));
    w.tick();
    expect(w.last?.requeueAfterMs).toBeNull();
    w.advance(86_400_000);
    expect(w.status).toMatchObject({ phase: 'Paused', stepIndex: 1, weights: { canary: 5 } });
    w.tick({ verb: 'promote', actor: 'ann' });
    expect(w.status).toMatchObject({ stepIndex: 3, weights: { canary: 30 } });
  });
});

describe('decide: progress deadline', () => {
  it.each([
    ['abort', 'Aborted', 0],
    ['pause', 'Paused', 10],
    [undefined, 'Paused', 10],
  ] as const)('onProgressDeadline %s → %s', (onProgressDeadline, phase, weight) => {
    const w = atAnalysis(onProgressDeadline ? { onProgressDeadline } : {});
    w.advance(599_999);
    expect(w.status.phase).toBe('Progressing');
    w.advance(1);
    expect(w.status).toMatchObject({ phase, weights: { canary: weight } });
  });

  it('applies to a canary that never becomes healthy, with a custom deadline', () => {
    const w = new RolloutWorld(canary([{ kind: 'setWeight', weight: 10 }], { progressDeadlineSeconds: 30, onProgressDeadline: 'abort' }));
    w.canaryHealth = 'Unknown';
    w.tick();
    w.advance(30_000);
    expect(w.status.abort?.reason).toMatch(/ProgressDeadlineExceeded: canary v2 did not become healthy within 30s/);
  });

  it('resume after a deadline hold restarts the step clock', () => {
    const w = atAnalysis();
    w.advance(600_000);
    w.tick({ verb: 'resume', actor: 'ann' });
    expect(w.status).toMatchObject({ phase: 'Progressing', stepStartedAt: w.now });
  });
});

describe('decide: idempotency', () => {
  it('decide on its own output, same inputs, gives the same status and no effects', () => {
    const w = new RolloutWorld({ strategy: strategyFor('progressive-canary') });
    for (const step of [0, 60_000, 1, 300_000]) {
      w.advance(step);
      w.verdict('Successful');
      const d = w.tick();
      const again = decide(w.spec, d.status, w.observations(), w.now);
      expect(again.status).toEqual(d.status);
      expect(again.effects).toEqual([]);
    }
  });

  it('effect keys are unique over a whole rollout', () => {
    const w = new RolloutWorld({ strategy: strategyFor('standard-canary') });
    for (let i = 0; i < 20; i++) { w.tick(); w.verdict('Successful'); w.advance(60_000); }
    const keys = w.log.map((e) => e.key);
    expect(w.status.phase).toBe('Healthy');
    expect(new Set(keys).size).toBe(keys.length);
  });
});
