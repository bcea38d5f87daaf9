import { describe, expect, it } from 'vitest';
import { restoreEffects } from './resume.js';
import { RolloutWorld } from './scenario-harness.js';
import type { RolloutSpec } from './spec.js';
import { strategyFor } from './strategies.js';

const summary = (w: RolloutWorld): string[] => restoreEffects(w.spec, w.status).map((e) => {
  switch (e.type) {
    case 'startVersion': return `start ${e.version.version}${e.previewService ? ` preview=${e.previewService}` : ''}`;
    case 'setWeight': return `weight ${e.canary.version}=${e.canaryWeight} ${e.stable.version}=${e.stableWeight}`;
    case 'startAnalysis': return `analysis ${e.ref} ${e.args.map((a) => `${a.name}=${a.value}`).join(',')}`;
    case 'setMirror': return `mirror ${e.name}=${e.percentage}`;
    case 'setHeaderRoute': return `header ${e.name}`;
    default: return e.type;
  }
});

describe('restoreEffects after kill -9', () => {
  it('mid-canary: both versions, the weights, the mirror and the running analysis with resolved args', () => {
    const spec: RolloutSpec = { strategy: { ...strategyFor('canary-with-shadow'), analysis: { templates: [{ templateName: 'bg' }], args: [{ name: 'v', valueFrom: 'canaryVersion' }] } } as RolloutSpec['strategy'] };
    const w = new RolloutWorld(spec);
    w.tick();
    w.advance(60_000);
    expect(summary(w)).toEqual(['start v1', 'start v2', 'weight v2=1 v1=99', 'mirror shadow=100', 'analysis r1-a1-bg v=v2', 'analysis r1-a1-s3 ']);
  });

  it('blue-green before promotion keeps the preview service', () => {
    const w = new RolloutWorld({ strategy: strategyFor('blue-green', 'neo4j') });
    w.tick();
    expect(summary(w)).toContain('start v2 preview=neo4j-preview');
  });

  it('after promotion: the new stable and the warm previous version (for instant undo), no runs', () => {
    const w = new RolloutWorld({ strategy: strategyFor('direct') });
    w.tick();
    expect(summary(w)).toEqual(['start v2', 'start v1', 'weight v2=0 v2=100']);
    w.advance(30_000);
    expect(summary(w)).toEqual(['start v2', 'weight v2=0 v2=100']);
  });

  it('after an abort: stable at 100 %, the canary only while its scale-down delay runs', () => {
    const w = new RolloutWorld({ strategy: strategyFor('standard-canary') });
    w.tick();
    w.tick({ verb: 'abort', actor: 'ann' });
    expect(summary(w)).toEqual(['start v1', 'start v2', 'weight v2=0 v1=100']);
    w.advance(30_000);
    // The stopped canary is no upstream any more: attaching it would start it again.
    expect(summary(w)).toEqual(['start v1', 'weight v1=0 v1=100']);
  });

  it('before the canary starts: traffic on stable only, nothing else started', () => {
    const w = new RolloutWorld({ strategy: strategyFor('standard-canary') });
    expect(summary(w)).toEqual(['start v1', 'weight v1=0 v1=100']);
  });
});
