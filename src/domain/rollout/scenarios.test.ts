import { describe, expect, it } from 'vitest';
import { RolloutWorld } from './scenario-harness.js';
import { strategyFor } from './strategies.js';

const S = 1000;

describe('scenario: progressive canary on a manual clock', () => {
  it('1 → 10 → 25 → 50 → 100 % with the spec\'s pauses and analyses', () => {
    const w = new RolloutWorld({ strategy: strategyFor('progressive-canary') });
    w.tick();
    expect(w.traffic.canary).toBe(1);
    w.advance(59 * S);
    expect(w.traffic.canary).toBe(1);
    w.advance(1 * S);
    expect([...w.runs.keys()]).toEqual(['r1-a1-s2']);
    w.verdict('Successful');
    w.tick();
    expect(w.traffic.canary).toBe(10);
    w.advance(300 * S);
    expect(w.status.analysisRuns.at(-1)?.templates).toEqual(['slo-burn-check', 'error-budget-check']);
    w.verdict('Successful');
    w.tick();
    expect(w.traffic.canary).toBe(25);
    w.advance(600 * S); w.verdict('Successful'); w.tick();
    expect(w.traffic.canary).toBe(50);
    w.advance(899 * S);
    expect(w.traffic.canary).toBe(50);
    w.advance(1 * S); w.verdict('Successful'); w.tick();
    expect(w.status).toMatchObject({ phase: 'Healthy', stable: { version: 'v2' }, previous: { version: 'v1' } });
    expect(w.traffic).toMatchObject({ canary: 0, stableVersion: 'v2' });
    expect(w.effectsOf('notify').filter((e) => e.type === 'notify' && e.event === 'promoted')).toHaveLength(1);
    expect(w.running.has('v1')).toBe(true);
    w.advance(30 * S);
    expect(w.running.has('v1')).toBe(false);
  });

  it('a bad version is aborted at its first analysis: traffic back on v1, incident, canary stopped after the delay', () => {
    const w = new RolloutWorld({ strategy: strategyFor('progressive-canary') });
    w.tick();
    w.advance(60 * S);
    w.verdict('Failed');
    w.tick();
    expect(w.traffic).toMatchObject({ canary: 0, stableVersion: 'v1' });
    expect(w.effectsOf('openIncident')).toHaveLength(1);
    expect(w.effectsOf('verifyStableHealth')).toMatchObject([{ attempts: 10, intervalMs: 5000, version: { version: 'v1' } }]);
    expect(w.running.has('v2')).toBe(true);
    w.advance(30 * S);
    expect(w.running.has('v2')).toBe(false);
    expect(w.status.phase).toBe('Aborted');
  });

  it('a speed factor of 2 doubles every pause (31 min becomes 62 min)', () => {
    const w = new RolloutWorld({ strategy: strategyFor('progressive-canary') });
    w.speedFactor = 2;
    w.tick();
    for (const [seconds, weight] of [[120, 10], [600, 25], [1200, 50], [1800, 100]] as const) {
      w.advance(seconds * S - 1);
      w.verdict('Successful'); w.tick();
      expect(w.traffic.canary).not.toBe(weight);
      w.advance(1); w.verdict('Successful'); w.tick();
    }
    expect(w.status.phase).toBe('Healthy');
  });
});

describe('scenario: standard canary', () => {
  it('10 → 50 → 100 in 5 minutes', () => {
    const w = new RolloutWorld({ strategy: strategyFor('standard-canary') });
    w.tick();
    expect(w.traffic.canary).toBe(10);
    w.advance(120 * S); w.verdict('Successful'); w.tick();
    expect(w.traffic.canary).toBe(50);
    w.advance(180 * S); w.verdict('Successful'); w.tick();
    expect(w.status.phase).toBe('Healthy');
  });

  it('Inconclusive holds; resume accepts and continues', () => {
    const w = new RolloutWorld({ strategy: strategyFor('standard-canary') });
    w.tick();
    w.advance(120 * S); w.verdict('Inconclusive'); w.tick();
    expect(w.status).toMatchObject({ phase: 'Paused', hold: { reason: 'InconclusiveAnalysis' } });
    w.advance(3600 * S);
    expect(w.traffic.canary).toBe(10);
    w.tick({ verb: 'resume', actor: 'ann' });
    expect(w.traffic.canary).toBe(50);
  });
});

describe('scenario: canary with shadow', () => {
  it('mirrors all traffic to the canary until 50 %, then removes the mirror', () => {
    const w = new RolloutWorld({ strategy: strategyFor('canary-with-shadow') });
    w.tick();
    expect(w.effectsOf('setMirror')).toMatchObject([{ name: 'shadow', percentage: 100 }]);
    expect(w.status.mirrors).toEqual(['shadow']);
    for (const s of [60, 300, 600]) { w.advance(s * S); w.verdict('Successful'); w.tick(); }
    expect(w.traffic.canary).toBe(50);
    expect(w.effectsOf('setMirror').at(-1)).toMatchObject({ percentage: 0 });
    expect(w.status.mirrors).toEqual([]);
  });

  it('an abort removes the mirror with the traffic', () => {
    const w = new RolloutWorld({ strategy: strategyFor('canary-with-shadow') });
    w.tick();
    w.tick({ verb: 'abort', actor: 'ann' });
    expect(w.effectsOf('setMirror').at(-1)).toMatchObject({ name: 'shadow', percentage: 0 });
    expect(w.status.abort).toMatchObject({ actor: 'ann' });
    expect(w.effectsOf('openIncident')).toHaveLength(0);
  });
});

describe('scenario: rolling update and direct deploy', () => {
  it('rolling moves 25 % every 30 s', () => {
    const w = new RolloutWorld({ strategy: strategyFor('rolling') });
    w.tick();
    const seen = [w.traffic.canary];
    for (let i = 0; i < 3; i++) { w.advance(30 * S); seen.push(w.status.phase === 'Healthy' ? 100 : w.traffic.canary); }
    expect(seen).toEqual([25, 50, 75, 100]);
  });

  it('direct deploy waits for health, then takes all traffic at once', () => {
    const w = new RolloutWorld({ strategy: strategyFor('direct') });
    w.canaryHealth = 'Unknown';
    w.tick();
    expect(w.status).toMatchObject({ phase: 'Progressing', weights: { canary: 0 } });
    expect(w.last?.requeueAfterMs).toBe(1000);
    w.canaryHealth = 'Healthy';
    w.advance(1 * S);
    expect(w.status).toMatchObject({ phase: 'Healthy', stable: { version: 'v2' } });
  });
});

describe('scenario: every verb', () => {
  it('pause holds a timed pause past its end; resume continues', () => {
    const w = new RolloutWorld({ strategy: strategyFor('standard-canary') });
    w.tick();
    w.tick({ verb: 'pause', actor: 'ann' });
    w.advance(600 * S);
    expect(w.status).toMatchObject({ phase: 'Paused', hold: { reason: 'UserPause', actor: 'ann' }, stepIndex: 1 });
    w.tick({ verb: 'resume', actor: 'ann' });
    expect(w.status.stepIndex).toBe(2);
  });

  it('promote skips a pause; promote --full finishes; abort, retry and undo', () => {
    const w = new RolloutWorld({ strategy: strategyFor('progressive-canary') });
    w.tick();
    w.tick({ verb: 'promote', actor: 'ann' });
    expect(w.status.stepIndex).toBe(2);
    w.tick({ verb: 'abort', actor: 'ann', reason: 'looks odd' });
    expect(w.status).toMatchObject({ phase: 'Aborted', abort: { reason: 'looks odd', actor: 'ann' } });
    w.advance(5 * S);
    w.tick({ verb: 'retry', actor: 'ann' });
    expect(w.status).toMatchObject({ phase: 'Paused', attempt: 2, stepIndex: 1, weights: { canary: 1 } });
    w.tick({ verb: 'promote', full: true, actor: 'ann' });
    expect(w.status.phase).toBe('Healthy');
    w.tick({ verb: 'undo', actor: 'ann' });
    expect(w.status).toMatchObject({ phase: 'RolledBack', stable: { version: 'v1' } });
    w.tick({ verb: 'undo', actor: 'ann', toRevision: 1 });
    expect(w.status.message).toMatch(/already serves/);
  });

  it('commands that do not apply change only the message', () => {
    const w = new RolloutWorld({ strategy: strategyFor('direct') });
    w.tick();
    for (const verb of ['promote', 'abort', 'retry', 'pause', 'resume'] as const) {
      const before = w.status;
      const d = w.tick({ verb, actor: 'ann' });
      expect(d.effects).toEqual([]);
      expect({ ...d.status, message: '' }).toEqual({ ...before, message: '' });
    }
  });
});

describe('scenario: header routes (Argo setHeaderRoute)', () => {
  it('routes matching requests to the canary during the rollout and removes the route at the end', () => {
    const w = new RolloutWorld({ strategy: { type: 'canary', managedRoutes: ['beta'], steps: [
      { kind: 'setHeaderRoute', name: 'beta', match: [{ headerName: 'x-beta', headerValue: { exact: 'yes' } }] },
      { kind: 'pause' }, { kind: 'setWeight', weight: 50 }, { kind: 'pause', durationMs: 60 * S },
    ] } });
    w.tick();
    expect(w.effectsOf('setHeaderRoute')).toMatchObject([{ name: 'beta', match: [{ headerName: 'x-beta' }] }]);
    expect(w.status).toMatchObject({ headerRoutes: ['beta'], weights: { canary: 0 }, phase: 'Paused' });
    w.tick({ verb: 'promote', actor: 'ann' });
    w.advance(60 * S);
    expect(w.status.phase).toBe('Healthy');
    expect(w.effectsOf('setHeaderRoute').at(-1)).toEqual(expect.objectContaining({ name: 'beta' }));
    expect(w.effectsOf('setHeaderRoute').at(-1)).not.toHaveProperty('match');
    expect(w.status.headerRoutes).toEqual([]);
  });
});
