import { strategies } from '../catalog/types.js';
import type { Strategy } from '../catalog/types.js';
import type { AnalysisSpec, CanaryStep, CanaryStrategy, RolloutStrategy } from './spec.js';

/** The strategy names of the spec's tier tables: the catalog's `Strategy`, one list for both. */
export const STRATEGY_NAMES = strategies;
export type StrategyName = Strategy;

const analysis = (...names: string[]): AnalysisSpec => ({ templates: names.map((templateName) => ({ templateName })), args: [] });
const weight = (w: number): CanaryStep => ({ kind: 'setWeight', weight: w });
const pause = (seconds: number): CanaryStep => ({ kind: 'pause', durationMs: seconds * 1000 });
const run = (...names: string[]): CanaryStep => ({ kind: 'analysis', analysis: analysis(...names) });

/** The spec's "Progressive Canary (Tier 1)" YAML, step for step. */
const PROGRESSIVE: readonly CanaryStep[] = [
  weight(1), pause(60), run('smoke-check'),
  weight(10), pause(300), run('slo-burn-check', 'error-budget-check'),
  weight(25), pause(600), run('slo-burn-check', 'synthetic-check'),
  weight(50), pause(900), run('slo-burn-check', 'anomaly-check'),
  weight(100),
];

/** The spec's "Standard Canary (Tier 2)" YAML. */
const STANDARD: readonly CanaryStep[] = [
  weight(10), pause(120), run('quick-health-check'),
  weight(50), pause(180), run('slo-burn-check'),
  weight(100),
];

/** Name of the managed route that mirrors live traffic to the canary for `canary-with-shadow`. */
export const SHADOW_ROUTE = 'shadow';

/**
 * Canary with shadow: the progressive canary, with every request also mirrored to the canary
 * (responses discarded) from the start, so the canary sees full production load before it
 * serves 1 %. The mirror is removed once the canary serves half the traffic, and at the end.
 */
const SHADOW: readonly CanaryStep[] = [
  { kind: 'setMirrorRoute', name: SHADOW_ROUTE, percentage: 100 },
  ...PROGRESSIVE.slice(0, 9),
  { kind: 'setMirrorRoute', name: SHADOW_ROUTE },
  ...PROGRESSIVE.slice(9),
];

const canary = (steps: readonly CanaryStep[], extra: Partial<CanaryStrategy> = {}): CanaryStrategy => ({ type: 'canary', steps, ...extra });

/**
 * The strategy a tier's strategy name stands for, as the spec's "Deployment Strategies" section
 * gives it. Blue-green service names are `<service>-active` / `<service>-preview` (the spec's
 * `api-active`), or `active` / `preview` without a service. Returns a frozen value.
 */
export function strategyFor(name: StrategyName, service?: string): RolloutStrategy {
  const svc = (role: string): string => (service ? `${service}-${role}` : role);
  switch (name) {
    case 'progressive-canary': return deepFreeze(canary(PROGRESSIVE));
    case 'standard-canary': return deepFreeze(canary(STANDARD));
    case 'canary-with-shadow': return deepFreeze(canary(SHADOW, { managedRoutes: [SHADOW_ROUTE] }));
    case 'blue-green': return deepFreeze({
      type: 'blueGreen', activeService: svc('active'), previewService: svc('preview'), autoPromotionEnabled: false,
      prePromotionAnalysis: analysis('migration-validation', 'data-integrity-check'),
      postPromotionAnalysis: analysis('smoke-check', 'slo-check'),
      scaleDownDelaySeconds: 300,
    });
    case 'rolling': return deepFreeze({ type: 'rolling', maxSurge: 25, intervalSeconds: 30 });
    case 'direct': return deepFreeze({ type: 'direct' });
  }
}

/** True when `name` is one of the spec's strategy names. */
export function isStrategyName(name: string): name is StrategyName {
  return (STRATEGY_NAMES as readonly string[]).includes(name);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
