import { describe, expect, it } from 'vitest';
import { strategyFor } from '../../domain/rollout/strategies.js';
import { formatTemplateProblem } from '../analysis/problems.js';
import { loadRolloutSpecs } from './load-rollout.js';

const block = (canary: string): string => `strategy:\n  canary:\n${canary.replace(/^/gm, '    ')}\n`;

describe('loadRolloutSpecs: Argo strategy blocks', () => {
  it('reads every canary step kind', () => {
    const r = loadRolloutSpecs(block([
      'trafficRouting:', '  managedRoutes:', '    - name: hdr', '    - name: mir',
      'steps:',
      '- setWeight: 5',
      '- pause: {}',
      '- pause: { duration: 30 }',
      '- pause: { duration: 1m30s }',
      '- analysis:', '    templates: [a, { templateName: b, clusterScope: true }]', '    args: [{ name: v, valueFrom: { podTemplateHashValue: Latest } }, { name: x, value: "1" }]',
      '- setHeaderRoute:', '    name: hdr', '    match: [{ headerName: trace, headerValue: { exact: debug } }]',
      '- setMirrorRoute:', '    name: mir', '    percentage: 40', '    match: [{ method: { exact: POST } }]',
    ].join('\n')), 'r.yaml');
    expect(r.problems).toEqual([]);
    const s = r.rollouts[0]?.spec.strategy;
    expect(s?.type === 'canary' && s.steps).toEqual([
      { kind: 'setWeight', weight: 5 },
      { kind: 'pause' },
      { kind: 'pause', durationMs: 30_000 },
      { kind: 'pause', durationMs: 90_000 },
      { kind: 'analysis', analysis: { templates: [{ templateName: 'a' }, { templateName: 'b', clusterScope: true }], args: [{ name: 'v', valueFrom: 'canaryVersion' }, { name: 'x', value: '1' }] } },
      { kind: 'setHeaderRoute', name: 'hdr', match: [{ headerName: 'trace', headerValue: { exact: 'debug' } }] },
      { kind: 'setMirrorRoute', name: 'mir', percentage: 40, match: [{ method: { exact: 'POST' } }] },
    ]);
    expect(Object.isFrozen(r.rollouts[0]?.spec)).toBe(true);
  });

  it.each([
    ['an experiment step', 'steps:\n- experiment:\n    templates: [{ name: c, specRef: canary }]', 'EXPERIMENT_UNSUPPORTED', 'strategy.canary.steps[0].experiment', 5],
    ['a Kubernetes traffic router', 'trafficRouting:\n  istio:\n    virtualService: { name: v }\nsteps:\n- setWeight: 5', 'TRAFFIC_ROUTER_UNSUPPORTED', 'strategy.canary.trafficRouting.istio', 5],
    ['a weight over 100', 'steps:\n- setWeight: 120', 'FIELD_VALUE', 'strategy.canary.steps[0].setWeight', 4],
    ['a bad pause duration', 'steps:\n- pause: { duration: soon }', 'FIELD_VALUE', 'strategy.canary.steps[0].pause.duration', 4],
    ['an unmanaged header route', 'steps:\n- setHeaderRoute: { name: x }', 'ROUTE_NOT_MANAGED', 'strategy.canary.steps[0].setHeaderRoute.name', 4],
    ['an unknown field', 'stepz: []', 'FIELD_UNKNOWN', 'strategy.canary.stepz', 3],
    ['an analysis step without templates', 'steps:\n- analysis: { args: [] }', 'FIELD_REQUIRED', 'strategy.canary.steps[0].analysis.templates', 4],
    ['a fieldRef arg', 'steps:\n- analysis:\n    templates: [a]\n    args: [{ name: n, valueFrom: { fieldRef: { fieldPath: x } } }]', 'ARG_SOURCE_UNSUPPORTED', 'strategy.canary.steps[0].analysis.args[0].valueFrom.fieldRef', 6],
  ])('rejects %s (%#) with its code at its field and line', (_what, body, code, path, line) => {
    const r = loadRolloutSpecs(block(body), 'bad.yaml');
    expect(r.ok).toBe(false);
    expect(r.rollouts).toEqual([]);
    const p = r.problems.find((x) => x.severity === 'error');
    expect(p).toMatchObject({ code, path, line, file: 'bad.yaml' });
    expect(formatTemplateProblem(p!)).toContain(`bad.yaml:${line}:`);
  });

  it('a canary without steps is a rolling update; a pod-count maxSurge warns', () => {
    const r = loadRolloutSpecs(block('maxSurge: "50%"'), 'r.yaml');
    expect(r.rollouts[0]?.spec.strategy).toEqual({ type: 'rolling', maxSurge: 50, intervalSeconds: 30 });
    const p = loadRolloutSpecs(block('maxSurge: 1\nmaxUnavailable: 1'), 'r.yaml');
    expect(p.ok).toBe(true);
    expect(p.problems.map((x) => x.code)).toEqual(['FIELD_IGNORED', 'FIELD_IGNORED']);
  });

  it('reads a Rollout manifest with its deadline settings', () => {
    const r = loadRolloutSpecs([
      'apiVersion: argoproj.io/v1alpha1', 'kind: Rollout', 'metadata: { name: api }', 'spec:', '  replicas: 3',
      '  progressDeadlineSeconds: 120', '  progressDeadlineAbort: true', '  strategy:', '    blueGreen:', '      activeService: a',
      '---', 'kind: Service', 'metadata: { name: a }',
    ].join('\n'), 'm.yaml');
    expect(r.rollouts).toHaveLength(1);
    expect(r.rollouts[0]).toMatchObject({ name: 'api', line: 1, spec: { progressDeadlineSeconds: 120, onProgressDeadline: 'abort', strategy: { type: 'blueGreen', activeService: 'a', autoPromotionEnabled: true } } });
    expect(r.skipped).toEqual([{ kind: 'Service', line: 12 }]);
  });

  it.each([
    ['both canary and blueGreen', 'strategy:\n  canary: {}\n  blueGreen: { activeService: a }\n', 'FIELD_VALUE', 'strategy'],
    ['pingPong', 'strategy:\n  canary:\n    pingPong: { pingService: p, pongService: q }\n', 'FIELD_UNSUPPORTED', 'strategy.canary.pingPong'],
    ['a bad autoPromotionEnabled', 'strategy:\n  blueGreen: { activeService: a, autoPromotionEnabled: maybe }\n', 'FIELD_TYPE', 'strategy.blueGreen.autoPromotionEnabled'],
    ['a startingStep past the steps', 'strategy:\n  canary:\n    analysis: { templates: [x], startingStep: 3 }\n    steps: [{ setWeight: 5 }]\n', 'FIELD_VALUE', 'strategy.canary.analysis.startingStep'],
  ])('rejects %s', (_what, yaml, code, path) => {
    const r = loadRolloutSpecs(yaml, 's.yaml');
    expect(r.rollouts).toEqual([]);
    expect(r.problems.find((p) => p.severity === 'error')).toMatchObject({ code, path });
  });

  it('reads background analysis with startingStep and Stable args, and blue-green auto-promotion', () => {
    const r = loadRolloutSpecs([
      'strategy:', '  canary:', '    analysis:', '      templates: [{ templateName: bg }]', '      startingStep: 1',
      '      args: [{ name: s, valueFrom: { podTemplateHashValue: Stable } }]', '    steps: [{ setWeight: 5 }, { setWeight: 50 }]',
      '---', 'strategy:', '  blueGreen: { activeService: a, autoPromotionSeconds: 30, previewReplicaCount: 1 }',
    ].join('\n'), 's.yaml');
    expect(r.ok).toBe(true);
    expect(r.rollouts[0]?.spec.strategy).toMatchObject({ analysis: { templates: [{ templateName: 'bg' }], startingStep: 1, args: [{ name: 's', valueFrom: 'stableVersion' }] } });
    expect(r.rollouts[1]?.spec.strategy).toEqual({ type: 'blueGreen', activeService: 'a', autoPromotionEnabled: true, autoPromotionSeconds: 30 });
    expect(r.problems).toMatchObject([{ severity: 'warning', code: 'FIELD_IGNORED', path: 'strategy.blueGreen.previewReplicaCount', line: 10 }]);
  });

  it('blue-green needs activeService', () => {
    const r = loadRolloutSpecs('strategy:\n  blueGreen:\n    previewService: p\n', 'bg.yaml');
    expect(r.problems[0]).toMatchObject({ code: 'FIELD_REQUIRED', path: 'strategy.blueGreen.activeService' });
  });

  it('reports YAML syntax errors with their line', () => {
    const r = loadRolloutSpecs('strategy:\n  canary:\n    steps: [\n', 'x.yaml');
    expect(r.ok).toBe(false);
    expect(r.problems[0]?.code).toBe('YAML_SYNTAX');
  });

  it('a loaded progressive canary equals strategyFor', () => {
    const yaml = block(['steps:', '- setWeight: 1', '- pause: { duration: 60 }', '- analysis: { templates: [smoke-check] }',
      '- setWeight: 10', '- pause: { duration: 300 }', '- analysis: { templates: [slo-burn-check, error-budget-check] }',
      '- setWeight: 25', '- pause: { duration: 600 }', '- analysis: { templates: [slo-burn-check, synthetic-check] }',
      '- setWeight: 50', '- pause: { duration: 900 }', '- analysis: { templates: [slo-burn-check, anomaly-check] }', '- setWeight: 100'].join('\n'));
    expect(loadRolloutSpecs(yaml, 'p.yaml').rollouts[0]?.spec.strategy).toEqual(strategyFor('progressive-canary'));
  });
});
