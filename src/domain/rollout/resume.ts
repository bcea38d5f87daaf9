import { isTerminal as isAnalysisTerminal } from '../analysis/phase.js';
import type { Effect } from './effects.js';
import { planOf } from './plan.js';
import type { AnalysisArg, RolloutSpec } from './spec.js';
import type { RolloutStatus, VersionRef } from './status.js';
import { isTerminal } from './status.js';

/**
 * What the reconciler re-applies after a restart, before the next decide(): the process may
 * have died between persisting a status and applying its effects. Versions that should run are
 * started (stable; the canary while live; a version still inside its scale-down delay, which
 * keeps instant undo possible), traffic, header routes and mirrors are set to match the status,
 * and runs without a verdict are (re)created by ref. Every effect is absolute, so applying them
 * over a world that already matches changes nothing.
 */
export function restoreEffects(spec: RolloutSpec, status: RolloutStatus): Effect[] {
  const plan = planOf(spec);
  const key = (...parts: (string | number)[]): string => [status.id, `a${status.attempt}`, 'restore', ...parts].join('/');
  const effects: Effect[] = [];
  const start = (version: VersionRef, previewService?: string): void => {
    if (effects.some((e) => e.type === 'startVersion' && e.version.revision === version.revision)) return;
    effects.push({ type: 'startVersion', key: key('version', version.revision), version, ...(previewService ? { previewService } : {}) });
  };
  start(status.stable);
  const live = !isTerminal(status.phase);
  if (status.canaryStarted && live) start(status.canary, plan.previewService);
  if (status.scaleDown) start(status.scaleDown.version);
  // The canary is an upstream only while it runs: started and live, or warm in its scale-down delay.
  const canaryRuns = live ? status.canaryStarted : status.scaleDown?.version.revision === status.canary.revision;
  const canary = canaryRuns ? status.canary : status.stable;
  effects.push({ type: 'setWeight', key: key('weight'), canary, stable: status.stable, canaryWeight: canaryRuns ? status.weights.canary : 0, stableWeight: canaryRuns ? status.weights.stable : 100 });
  for (const name of status.headerRoutes) {
    const step = plan.steps.find((s) => s.kind === 'setHeaderRoute' && s.name === name && s.match);
    effects.push({ type: 'setHeaderRoute', key: key('header', name), name, ...(step?.kind === 'setHeaderRoute' && step.match ? { match: step.match } : {}) });
  }
  for (const name of status.mirrors) {
    const step = plan.steps.find((s) => s.kind === 'setMirrorRoute' && s.name === name && (s.percentage ?? 0) > 0);
    const percentage = step?.kind === 'setMirrorRoute' ? step.percentage ?? 100 : 100;
    effects.push({ type: 'setMirror', key: key('mirror', name), name, percentage, ...(step?.kind === 'setMirrorRoute' && step.match ? { match: step.match } : {}) });
  }
  if (!live) return effects;
  for (const run of status.analysisRuns) {
    if (isAnalysisTerminal(run.phase) || run.terminated) continue;
    const step = run.scope === 'background' ? undefined : plan.steps[run.scope];
    const source = run.scope === 'background' ? plan.background : step?.kind === 'analysis' ? step.analysis : undefined;
    const args = (source?.args ?? []).map((a): AnalysisArg => {
      if (a.valueFrom === 'canaryVersion') return { name: a.name, value: status.canary.version };
      if (a.valueFrom === 'stableVersion') return { name: a.name, value: status.stable.version };
      return a;
    });
    effects.push({ type: 'startAnalysis', key: key('analysis', run.ref), ref: run.ref, templates: run.templates, args, scope: run.scope });
  }
  return effects;
}
