import { describe, expect, it } from 'vitest';
import { RolloutWorld } from './scenario-harness.js';
import type { RolloutSpec } from './spec.js';
import { strategyFor } from './strategies.js';

/** requeueAfterMs, as argo-rollouts' calculateNextReconcileTime: the nearest timer, or a poll while a verdict is awaited. */
describe('requeueAfterMs', () => {
  const cases: [string, RolloutSpec, (w: RolloutWorld) => void, number | null][] = [
    ['timed pause: its end', { strategy: strategyFor('standard-canary') }, (w) => { w.tick(); w.now += 20_000; w.tick(); }, 100_000],
    ['indefinite pause: only a command', { strategy: strategyFor('blue-green') }, (w) => { w.tick(); w.verdict('Successful'); w.tick(); }, null],
    ['analysis running: poll', { strategy: strategyFor('standard-canary') }, (w) => { w.tick(); w.advance(120_000); }, 1000],
    ['canary not healthy yet: poll', { strategy: strategyFor('direct') }, (w) => { w.canaryHealth = 'Unknown'; w.tick(); }, 1000],
    ['user hold over a timed pause: none', { strategy: strategyFor('standard-canary') }, (w) => { w.tick(); w.tick({ verb: 'pause', actor: 'a' }); }, null],
    ['promoted: the scale-down of the old stable', { strategy: strategyFor('direct') }, (w) => { w.tick(); w.now += 10_000; w.tick(); }, 20_000],
    ['promoted and scaled down: nothing', { strategy: strategyFor('direct') }, (w) => { w.tick(); w.advance(30_000); }, null],
  ];
  it.each(cases)('%s', (_name, spec, drive, expected) => {
    const w = new RolloutWorld(spec);
    drive(w);
    expect(w.last?.requeueAfterMs).toBe(expected);
  });
});

describe('progressDeadlineAt', () => {
  it('is set while an analysis step waits and cleared by a timed pause or a verdict', () => {
    const w = new RolloutWorld({ strategy: strategyFor('standard-canary'), progressDeadlineSeconds: 90 });
    w.tick();
    expect(w.status.progressDeadlineAt).toBeUndefined();
    w.advance(120_000);
    expect(w.status.progressDeadlineAt).toBe(w.status.stepStartedAt + 90_000);
    w.verdict('Successful');
    w.tick();
    expect(w.status.progressDeadlineAt).toBeUndefined();
  });
});
