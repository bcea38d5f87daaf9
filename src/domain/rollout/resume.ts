import { isTerminal as isAnalysisTerminal } from '../analysis/phase.js';
import type { Effect } from './effects.js';
import { planOf } from './plan.js';
import type { RolloutSpec } from './spec.js';
import type { RolloutStatus } from './status.js';
import { isTerminal } from './status.js';

/**
 * What the reconciler re-applies after a restart, before the next decide(): the process may
 * have died between persisting a status and applying its effects. Traffic, routes and mirrors
 * are set to match the status; the canary is started if the status says it should run; runs
 * without a verdict are (re)created by ref. Every effect is absolute, so applying them over a
 * world that already matches changes nothing.
 */
export function restoreEffects(spec: RolloutSpec, status: RolloutStatus): Effect[] {
  const key = (...parts: (string | number)[]): string => [status.id, `a${status.attempt}`, 'restore', ...parts].join('/');
  const effects: Effect[] = [];
  if (status.canaryStarted && !isTerminal(status.phase)) effects.push({ type: 'startVersion', key: key('version'), version: status.canary });
  effects.push({ type: 'setWeight', key: key('weight'), canary: status.canary, stable: status.stable, canaryWeight: status.weights.canary, stableWeight: status.weights.stable });
  for (const name of status.headerRoutes) {
    const step = planOf(spec).steps.find((s) => s.kind === 'setHeaderRoute' && s.name === name);
    effects.push({ type: 'setHeaderRoute', key: key('header', name), name, ...(step?.kind === 'setHeaderRoute' && step.match ? { match: step.match } : {}) });
  }
  for (const name of status.mirrors) {
    const step = planOf(spec).steps.find((s) => s.kind === 'setMirrorRoute' && s.name === name);
    effects.push({ type: 'setMirror', key: key('mirror', name), name, percentage: step?.kind === 'setMirrorRoute' ? step.percentage ?? 100 : 100 });
  }
  if (!isTerminal(status.phase)) {
    const plan = planOf(spec);
    for (const run of status.analysisRuns) {
      if (isAnalysisTerminal(run.phase) || run.terminated) continue;
      const source = run.scope === 'background' ? plan.background : (() => { const st = plan.steps[run.scope]; return st?.kind === 'analysis' ? st.analysis : undefined; })();
      const args = (source?.args ?? []).map((a) => a.valueFrom === 'canaryVersion' ? { name: a.name, value: status.canary.version } : a.valueFrom === 'stableVersion' ? { name: a.name, value: status.stable.version } : a);
      effects.push({ type: 'startAnalysis', key: key('analysis', run.ref), ref: run.ref, templates: run.templates, args, scope: run.scope });
    }
  }
  return effects;
}
