import { describe, expect, it } from 'vitest';
import { RolloutWorld } from './scenario-harness.js';
import type { CanaryStep, RolloutSpec } from './spec.js';
import { strategyFor } from './strategies.js';

const ANALYSIS = { kind: 'analysis', analysis: { templates: [{ templateName: 'smoke-check' }], args: [] } } as const;

/** A world started and already at its analysis step (weight 10, run r1-a1-s1 running). */
function atAnalysis(extra: Partial<RolloutSpec> = {}): RolloutWorld {
  const steps: CanaryStep[] = [{ kind: 'setWeight', weight: 10 }, ANALYSIS, { kind: 'setWeight', weight: 100 }];
  const w = new RolloutWorld({ strategy: { type: 'canary', steps }, ...extra });
  w.tick();
  expect(w.status.stepIndex).toBe(1);
  return w;
}

describe('commands', () => {
  it('promote skips the running analysis and terminates its run', () => {
    const w = atAnalysis();
    const d = w.tick({ verb: 'promote', actor: 'ann' });
    expect(d.effects.some((e) => e.type === 'terminateAnalysis' && e.ref === 'r1-a1-s1')).toBe(true);
    expect(d.status.phase).toBe('Healthy');
  });

  it('promote --full goes to 100 % from the first step', () => {
    const w = new RolloutWorld({ strategy: strategyFor('progressive-canary') });
    w.tick();
    const d = w.tick({ verb: 'promote', full: true, actor: 'ann' });
    expect(d.status).toMatchObject({ phase: 'Healthy', stable: { version: 'v2' }, previous: { version: 'v1' } });
    expect(d.effects.filter((e) => e.type === 'notify' && e.event === 'promoted')).toHaveLength(1);
  });

  it('promote --full before the canary is healthy waits for health, then finishes at once', () => {
    const w = new RolloutWorld({ strategy: strategyFor('standard-canary') });
    w.canaryHealth = 'Unknown';
    w.tick({ verb: 'promote', full: true, actor: 'ann' });
    expect(w.status).toMatchObject({ phase: 'Progressing', fullPromotionBy: 'ann', weights: { canary: 0 } });
    w.canaryHealth = 'Healthy';
    w.advance(1000);
    expect(w.status).toMatchObject({ phase: 'Healthy', stable: { version: 'v2' } });
    expect(w.status.fullPromotionBy).toBeUndefined();
  });

  it('pause before the first decide shows Paused and starts nothing until resume', () => {
    const w = new RolloutWorld({ strategy: strategyFor('direct') });
    expect(w.tick({ verb: 'pause', actor: 'ann' }).status.phase).toBe('Paused');
    expect(w.log.map((e) => e.type)).not.toContain('startVersion');
    w.now += 1;
    w.tick({ verb: 'resume', actor: 'ann' });
    expect(w.status.phase).toBe('Healthy');
  });

  it.each([
    ['abort', 'Aborted'], ['pause', 'Paused'], ['resume', 'Progressing'], ['retry', 'Progressing'], ['undo', 'Aborted'],
  ] as const)('%s while analysing → %s', (verb, phase) => {
    const w = atAnalysis();
    w.tick({ verb, actor: 'ann' });
    expect(w.status.phase).toBe(phase);
  });

  it('retry restarts an aborted rollout from step 0 as attempt 2', () => {
    const w = atAnalysis();
    w.tick({ verb: 'abort', actor: 'ann' });
    expect(w.tick({ verb: 'retry', actor: 'bob' }).status.message).toMatch(/aborted at this instant/);
    w.now += 1000;
    const d = w.tick({ verb: 'retry', actor: 'bob' });
    expect(d.status).toMatchObject({ attempt: 2, stepIndex: 1, weights: { canary: 10 } });
    expect(d.status.analysisRuns.map((r) => r.ref)).toEqual(['r1-a2-s1']);
  });

  it('undo inside the rollback window is instant; outside it starts a new rollout', () => {
    const w = atAnalysis();
    w.verdict('Successful');
    w.tick();
    w.advance(29_999);
    const d = w.tick({ verb: 'undo', actor: 'ann' });
    expect(d.status).toMatchObject({ phase: 'RolledBack', stable: { version: 'v1' } });
    expect(d.effects[0]).toMatchObject({ type: 'setWeight', stable: { version: 'v1' }, stableWeight: 100 });
    const late = atAnalysis();
    late.verdict('Successful');
    late.tick();
    late.advance(30_000);
    const d2 = late.tick({ verb: 'undo', actor: 'ann' });
    expect(d2.status.phase).toBe('Healthy');
    expect(d2.effects).toEqual([expect.objectContaining({ type: 'startRollout', revision: 1, version: 'v1' })]);
  });
});

