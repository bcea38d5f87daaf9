import { describe, expect, it } from 'vitest';
import { planOf } from './plan.js';
import type { CanaryStep } from './spec.js';
import { specCatalog } from '../catalog/spec-catalog.js';
import { resolveService } from '../catalog/resolve.js';
import { RolloutWorld } from './scenario-harness.js';
import { STRATEGY_NAMES, strategyFor } from './strategies.js';

/** Steps written compactly: 'w10', 'p60', 'a:x+y', 'm100' / 'm-' (mirror on/off). */
function compact(steps: readonly CanaryStep[]): string[] {
  return steps.map((s) => {
    switch (s.kind) {
      case 'setWeight': return `w${s.weight}`;
      case 'pause': return s.durationMs === undefined ? 'p∞' : `p${s.durationMs / 1000}`;
      case 'analysis': return `a:${s.analysis.templates.map((t) => t.templateName).join('+')}`;
      case 'setMirrorRoute': return s.percentage ? `m${s.percentage}` : 'm-';
      case 'setHeaderRoute': return `h:${s.name}`;
    }
  });
}

const PROGRESSIVE = ['w1', 'p60', 'a:smoke-check', 'w10', 'p300', 'a:slo-burn-check+error-budget-check', 'w25', 'p600', 'a:slo-burn-check+synthetic-check', 'w50', 'p900', 'a:slo-burn-check+anomaly-check', 'w100'];

describe('strategyFor: the spec\'s Deployment Strategies', () => {
  it.each([
    ['progressive-canary', PROGRESSIVE],
    ['standard-canary', ['w10', 'p120', 'a:quick-health-check', 'w50', 'p180', 'a:slo-burn-check', 'w100']],
    ['canary-with-shadow', ['m100', ...PROGRESSIVE.slice(0, 9), 'm-', ...PROGRESSIVE.slice(9)]],
    ['rolling', ['w25', 'p30', 'w50', 'p30', 'w75', 'p30', 'w100']],
    ['direct', ['w100']],
    ['blue-green', ['a:migration-validation+data-integrity-check', 'p∞', 'w100', 'a:smoke-check+slo-check']],
  ] as const)('%s runs %j', (name, expected) => {
    expect(compact(planOf({ strategy: strategyFor(name) }).steps)).toEqual(expected);
  });

  it('blue-green keeps the spec\'s fields', () => {
    expect(strategyFor('blue-green')).toMatchObject({ type: 'blueGreen', autoPromotionEnabled: false, scaleDownDelaySeconds: 300, previewService: 'preview', activeService: 'active' });
    expect(planOf({ strategy: strategyFor('blue-green') }).scaleDownDelayMs).toBe(300_000);
  });

  it('the progressive pauses add up to the spec\'s timeline (1m, 6m, 16m, 31m)', () => {
    const steps = planOf({ strategy: strategyFor('progressive-canary') }).steps;
    let t = 0;
    const reachedAt: Record<number, number> = {};
    for (const s of steps) {
      if (s.kind === 'pause') t += (s.durationMs ?? 0) / 60_000;
      if (s.kind === 'setWeight') reachedAt[s.weight] = t;
    }
    expect(reachedAt).toEqual({ 1: 0, 10: 1, 25: 6, 50: 16, 100: 31 });
  });

  it('returns frozen values', () => {
    for (const name of STRATEGY_NAMES) expect(Object.isFrozen(strategyFor(name))).toBe(true);
  });
});

describe('every service of the spec\'s catalog', () => {
  it.each([
    ['api', 'canary', 13], ['graphql-gateway', 'canary', 13], ['neo4j', 'blueGreen', 4], ['copilot', 'canary', 15],
    ['conductor', 'canary', 7], ['audit-svc', 'rolling', 7], ['worker-email', 'rolling', 7], ['devtools', 'direct', 1], ['docs-api', 'direct', 1],
  ] as const)('%s rolls out with a %s strategy of %i steps and reaches Healthy', (name, type, steps) => {
    const service = resolveService(specCatalog, name);
    expect(service).toBeDefined();
    const strategy = strategyFor(service!.strategy, name);
    expect(strategy.type).toBe(type);
    expect(planOf({ strategy }).steps).toHaveLength(steps);
    const w = new RolloutWorld({ strategy });
    for (let i = 0; i < 100 && w.status.phase !== 'Healthy'; i++) {
      w.verdict('Successful');
      if (w.status.pause && w.status.pause.until === undefined) w.tick({ verb: 'promote', actor: 'test' });
      else w.advance(60_000);
    }
    expect(w.status.phase).toBe('Healthy');
  });
});
