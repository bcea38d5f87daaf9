import { describe, expect, it } from 'vitest';
import { AUTO_ACTOR } from './observations.js';
import { RolloutWorld } from './scenario-harness.js';
import { strategyFor } from './strategies.js';

/** The spec's automated rollback flow, box by box, on one bad release. */
describe('automated rollback flow: detect → decide → execute → verify → notify → document', () => {
  function badRelease(): RolloutWorld {
    const w = new RolloutWorld({ strategy: strategyFor('progressive-canary') });
    w.tick();
    w.advance(60_000);
    w.runs.set('r1-a1-s2', 'Failed');
    return w;
  }

  it('execute: one call moves all traffic to stable, stops the runs and keeps the canary warm', () => {
    const w = badRelease();
    const d = w.tick();
    expect(d.effects.map((e) => e.type)).toEqual(['setWeight', 'verifyStableHealth', 'notify', 'recordHistory', 'openIncident']);
    expect(w.traffic).toMatchObject({ canary: 0, stableVersion: 'v1' });
    expect(d.status.scaleDown).toEqual({ version: { version: 'v2', revision: 2 }, at: w.now + 30_000 });
  });

  it('notify and document carry the reason, the measurements and the actor auto-controller', () => {
    const w = new RolloutWorld({ strategy: strategyFor('standard-canary') });
    w.tick();
    w.advance(120_000);
    const measurements = [{ template: 'quick-health-check', metric: 'error-rate', value: '0.2', condition: 'result < 0.01', phase: 'Failed' }];
    const obs = w.observations();
    const out = w.tickWith({ ...obs, analysis: { 'r1-a1-s2': { phase: 'Failed', message: 'error-rate 0.2 ≥ 0.01', measurements } } });
    const notify = out.effects.find((e) => e.type === 'notify');
    expect(notify).toMatchObject({ event: 'aborted', actor: AUTO_ACTOR, measurements });
    expect(notify?.type === 'notify' && notify.reason).toMatch(/analysis at step 3 r1-a1-s2 \(quick-health-check\) Failed: error-rate 0.2/);
    expect(out.effects.find((e) => e.type === 'openIncident')).toMatchObject({ measurements });
    expect(out.effects.find((e) => e.type === 'recordHistory')).toMatchObject({ event: 'aborted', actor: AUTO_ACTOR });
  });

  it.each([
    ['Healthy', true, 'rollback-verified'],
    ['Unhealthy', false, 'rollback-unhealthy'],
  ] as const)('verify: stable reported %s → rollbackVerified %s, announced once', (health, verified, event) => {
    const w = badRelease();
    w.tick();
    expect(w.status.rollbackVerified).toBeUndefined();
    expect(w.last?.requeueAfterMs).toBe(5000);
    w.now += 5000;
    w.stableHealth = health;
    const d = w.tick();
    expect(d.status.rollbackVerified).toBe(verified);
    expect(d.effects.filter((e) => e.type === 'notify').map((e) => e.type === 'notify' && e.event)).toEqual([event]);
    expect(w.tick().effects.filter((e) => e.type === 'notify')).toEqual([]);
  });

  it('a manual abort opens no incident but is verified and recorded with its actor', () => {
    const w = new RolloutWorld({ strategy: strategyFor('standard-canary') });
    w.tick();
    const d = w.tick({ verb: 'abort', actor: 'ann', reason: 'wrong build' });
    expect(d.effects.map((e) => e.type)).not.toContain('openIncident');
    expect(d.effects.find((e) => e.type === 'recordHistory')).toMatchObject({ actor: 'ann', reason: 'wrong build' });
  });
});
