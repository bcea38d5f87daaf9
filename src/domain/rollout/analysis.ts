import type { AnalysisPhase } from '../analysis/phase.js';
import { isTerminal as isAnalysisTerminal } from '../analysis/phase.js';
import type { Ctx } from './context.js';
import { emit, keyOf, update } from './context.js';
import type { DecidingMeasurement } from './effects.js';
import type { AnalysisArg, AnalysisSpec } from './spec.js';
import type { AnalysisRunRecord } from './status.js';

/** The run ref for a scope: `<id>-a<attempt>-s<step>` or `<id>-a<attempt>-bg`; the reconciler creates runs by ref, idempotently. */
export function runRef(ctx: Ctx, scope: 'background' | number): string {
  return `${ctx.status.id}-a${ctx.status.attempt}-${scope === 'background' ? 'bg' : `s${scope}`}`;
}

/** Starts the run for `scope` and records it with phase Pending (a no-op if it is already recorded). */
export function startRun(ctx: Ctx, scope: 'background' | number, spec: AnalysisSpec): void {
  const ref = runRef(ctx, scope);
  if (ctx.status.analysisRuns.some((r) => r.ref === ref)) return;
  const templates = spec.templates.map((t) => t.templateName);
  const args: AnalysisArg[] = spec.args.map((a) => {
    if (a.valueFrom === 'canaryVersion') return { name: a.name, value: ctx.status.canary.version };
    if (a.valueFrom === 'stableVersion') return { name: a.name, value: ctx.status.stable.version };
    return a;
  });
  update(ctx, { analysisRuns: [...ctx.status.analysisRuns, { ref, scope, templates, phase: 'Pending' }] });
  emit(ctx, { type: 'startAnalysis', key: keyOf(ctx, scope === 'background' ? 'bg' : `s${scope}`, 'start-analysis'), ref, templates, args, scope });
}

/** The observed phase of a run (Pending when the reconciler has not reported it yet). */
export function observedPhase(ctx: Ctx, ref: string): AnalysisPhase {
  return ctx.obs.analysis?.[ref]?.phase ?? 'Pending';
}

export function measurementsOf(ctx: Ctx, ref: string): readonly DecidingMeasurement[] {
  return ctx.obs.analysis?.[ref]?.measurements ?? [];
}

/**
 * Records newly observed phases. Returns the runs whose phase just became terminal, so each
 * verdict is acted on exactly once, even when decide() runs again with the same observations.
 */
export function absorbRunPhases(ctx: Ctx): AnalysisRunRecord[] {
  const changed: AnalysisRunRecord[] = [];
  const runs = ctx.status.analysisRuns.map((r) => {
    if (isAnalysisTerminal(r.phase) || r.terminated) return r;
    const phase = observedPhase(ctx, r.ref);
    if (phase === r.phase) return r;
    const next = { ...r, phase };
    if (isAnalysisTerminal(phase)) changed.push(next);
    return next;
  });
  if (runs.some((r, i) => r !== ctx.status.analysisRuns[i])) update(ctx, { analysisRuns: runs });
  return changed;
}

/** Terminates every run without a verdict that `which` selects (skipped by promote, or the rollout ended); they keep their last phase. */
export function terminateRuns(ctx: Ctx, tag: string, which: (r: AnalysisRunRecord) => boolean = () => true): void {
  const live = (r: AnalysisRunRecord): boolean => !isAnalysisTerminal(r.phase) && !r.terminated && which(r);
  for (const r of ctx.status.analysisRuns) {
    if (live(r)) emit(ctx, { type: 'terminateAnalysis', key: keyOf(ctx, tag, 'terminate', r.ref), ref: r.ref });
  }
  if (ctx.status.analysisRuns.some(live)) update(ctx, { analysisRuns: ctx.status.analysisRuns.map((r) => (live(r) ? { ...r, terminated: true } : r)) });
}

/** The run of the current step, if that step is an analysis. */
export function stepRun(ctx: Ctx): AnalysisRunRecord | undefined {
  return ctx.status.analysisRuns.find((r) => r.scope === ctx.status.stepIndex);
}

/** True while some run has no verdict yet (the reconciler should look again soon). */
export function anyRunPending(ctx: Ctx): boolean {
  return ctx.status.analysisRuns.some((r) => !isAnalysisTerminal(r.phase) && !r.terminated);
}
