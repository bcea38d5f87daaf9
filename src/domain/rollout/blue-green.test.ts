import { describe, expect, it } from 'vitest';
import { RolloutWorld } from './scenario-harness.js';
import { strategyFor } from './strategies.js';

const S = 1000;

describe('scenario: blue-green', () => {
  it('preview, pre-promotion analysis, waits for promote, switches, post-promotion analysis, keeps blue 5 min', () => {
    const w = new RolloutWorld({ strategy: strategyFor('blue-green') });
    w.tick();
    expect(w.effectsOf('startVersion')).toMatchObject([{ previewService: 'preview', version: { version: 'v2' } }]);
    expect(w.status.analysisRuns[0]?.templates).toEqual(['migration-validation', 'data-integrity-check']);
    w.verdict('Successful'); w.tick();
    w.advance(3600 * S);
    expect(w.status).toMatchObject({ phase: 'Paused', weights: { canary: 0 } });
    w.tick({ verb: 'promote', actor: 'ann' });
    expect(w.traffic.canary).toBe(100);
    expect(w.status.analysisRuns.at(-1)?.templates).toEqual(['smoke-check', 'slo-check']);
    w.verdict('Successful'); w.tick();
    expect(w.status.phase).toBe('Healthy');
    w.advance(299 * S);
    expect(w.running.has('v1')).toBe(true);
    w.advance(1 * S);
    expect(w.running.has('v1')).toBe(false);
  });

  it('a failing post-promotion analysis switches back to blue', () => {
    const w = new RolloutWorld({ strategy: strategyFor('blue-green') });
    w.tick(); w.verdict('Successful'); w.tick();
    w.tick({ verb: 'promote', actor: 'ann' });
    w.verdict('Error'); w.tick();
    expect(w.traffic).toMatchObject({ canary: 0, stableVersion: 'v1' });
  });

  it('undo inside the 300 s window is instant', () => {
    const w = new RolloutWorld({ strategy: strategyFor('blue-green') });
    w.tick(); w.verdict('Successful'); w.tick();
    w.tick({ verb: 'promote', actor: 'ann' }); w.verdict('Successful'); w.tick();
    w.advance(299 * S);
    w.tick({ verb: 'undo', actor: 'ann' });
    expect(w.traffic).toMatchObject({ canary: 0, stableVersion: 'v1', canaryVersion: 'v2' });
    expect(w.status.phase).toBe('RolledBack');
  });
});
