import type { AnalysisSpec, BackgroundAnalysis, CanaryStep, RolloutSpec } from './spec.js';
import { DEFAULTS } from './spec.js';

/**
 * A step of the executable plan. Every strategy compiles to one list so that one small engine
 * runs them all. `analysis.stage` tells blue-green pre/post-promotion runs from canary steps;
 * a pause with `awaitPromotion` is the blue-green "waiting for promote" point.
 */
export type PlanStep =
  | Exclude<CanaryStep, { kind: 'analysis' }>
  | { readonly kind: 'analysis'; readonly analysis: AnalysisSpec; readonly stage: 'step' | 'prePromotion' | 'postPromotion' };

export interface Plan {
  readonly steps: readonly PlanStep[];
  readonly background?: BackgroundAnalysis;
  readonly scaleDownDelayMs: number;
  readonly abortScaleDownDelayMs: number;
  readonly progressDeadlineMs: number;
  readonly onProgressDeadline: 'abort' | 'pause';
  /** Blue-green preview service the canary is exposed on before promotion. */
  readonly previewService?: string;
}

/**
 * Compiles a spec into its plan. Pure and cheap; decide() calls it each time rather than storing
 * the plan, so a status never disagrees with its spec.
 *
 * - canary: the steps as written; a final implicit 100 % (Argo promotes after the last step).
 * - blueGreen: pre-promotion analysis → (pause until promote | autoPromotionSeconds) → 100 % →
 *   post-promotion analysis.
 * - rolling: maxSurge increments, each held intervalSeconds, then 100 %.
 * - direct: 100 % at once.
 */
export function planOf(spec: RolloutSpec): Plan {
  const s = spec.strategy;
  const common = {
    progressDeadlineMs: (spec.progressDeadlineSeconds ?? DEFAULTS.progressDeadlineSeconds) * 1000,
    onProgressDeadline: spec.onProgressDeadline ?? DEFAULTS.onProgressDeadline,
    scaleDownDelayMs: (s.scaleDownDelaySeconds ?? DEFAULTS.scaleDownDelaySeconds) * 1000,
    abortScaleDownDelayMs: ('abortScaleDownDelaySeconds' in s ? s.abortScaleDownDelaySeconds ?? DEFAULTS.abortScaleDownDelaySeconds : DEFAULTS.abortScaleDownDelaySeconds) * 1000,
  };
  switch (s.type) {
    case 'canary':
      return {
        ...common,
        steps: s.steps.map((step): PlanStep => (step.kind === 'analysis' ? { ...step, stage: 'step' } : step)),
        ...(s.analysis ? { background: s.analysis } : {}),
      };
    case 'blueGreen': {
      const steps: PlanStep[] = [];
      if (s.prePromotionAnalysis) steps.push({ kind: 'analysis', analysis: s.prePromotionAnalysis, stage: 'prePromotion' });
      if (!s.autoPromotionEnabled) steps.push({ kind: 'pause' });
      else if (s.autoPromotionSeconds) steps.push({ kind: 'pause', durationMs: s.autoPromotionSeconds * 1000 });
      steps.push({ kind: 'setWeight', weight: 100 });
      if (s.postPromotionAnalysis) steps.push({ kind: 'analysis', analysis: s.postPromotionAnalysis, stage: 'postPromotion' });
      return { ...common, steps, ...(s.previewService ? { previewService: s.previewService } : {}) };
    }
    case 'rolling': {
      const steps: PlanStep[] = [];
      const surge = Math.min(100, Math.max(1, s.maxSurge));
      for (let w = surge; w < 100; w += surge) steps.push({ kind: 'setWeight', weight: w }, { kind: 'pause', durationMs: s.intervalSeconds * 1000 });
      steps.push({ kind: 'setWeight', weight: 100 });
      return { ...common, steps };
    }
    case 'direct':
      return { ...common, steps: [{ kind: 'setWeight', weight: 100 }] };
  }
}

/** The canary weight a rollout may have at `stepIndex`: the last setWeight at or before it (0 before any). */
export function weightAt(plan: Plan, stepIndex: number): number {
  for (let i = Math.min(stepIndex, plan.steps.length - 1); i >= 0; i--) {
    const step = plan.steps[i];
    if (step?.kind === 'setWeight') return step.weight;
  }
  return 0;
}
