import type { AnalysisArg, HeaderRouteMatch } from './spec.js';
import type { VersionRef } from './status.js';

/** A measurement that decided a verdict, carried into notifications and incidents. */
export interface DecidingMeasurement {
  readonly template?: string;
  readonly metric: string;
  readonly value: string;
  readonly condition?: string;
  readonly phase: string;
}

export type RolloutEvent = 'started' | 'step' | 'paused' | 'resumed' | 'inconclusive' | 'deadline' | 'promoted' | 'aborted' | 'retried' | 'undone' | 'rollback-verified' | 'rollback-unhealthy';

/**
 * Effects are data; the reconciler applies them in order. Every effect has a `key`, unique within
 * a rollout and stable across replays (it names the attempt and step), so applying an effect twice
 * is detectable and harmless. Traffic effects are absolute (weights, not deltas).
 */
export type Effect =
  | { readonly type: 'startVersion'; readonly key: string; readonly version: VersionRef; readonly previewService?: string }
  | { readonly type: 'stopVersion'; readonly key: string; readonly version: VersionRef }
  | { readonly type: 'setWeight'; readonly key: string; readonly canary: VersionRef; readonly stable: VersionRef; readonly canaryWeight: number; readonly stableWeight: number }
  | { readonly type: 'setHeaderRoute'; readonly key: string; readonly name: string; readonly match?: readonly HeaderRouteMatch[] }
  | { readonly type: 'setMirror'; readonly key: string; readonly name: string; readonly percentage: number; readonly match?: readonly unknown[] }
  | { readonly type: 'startAnalysis'; readonly key: string; readonly ref: string; readonly templates: readonly string[]; readonly args: readonly AnalysisArg[]; readonly scope: 'background' | number }
  | { readonly type: 'terminateAnalysis'; readonly key: string; readonly ref: string }
  | { readonly type: 'notify'; readonly key: string; readonly event: RolloutEvent; readonly reason: string; readonly actor: string; readonly measurements: readonly DecidingMeasurement[] }
  | { readonly type: 'openIncident'; readonly key: string; readonly reason: string; readonly measurements: readonly DecidingMeasurement[] }
  | { readonly type: 'recordHistory'; readonly key: string; readonly event: RolloutEvent; readonly actor: string; readonly reason: string }
  | { readonly type: 'verifyStableHealth'; readonly key: string; readonly version: VersionRef; readonly attempts: number; readonly intervalMs: number }
  /** Undo outside the rollback window: the service starts a new rollout of that revision (version when known). */
  | { readonly type: 'startRollout'; readonly key: string; readonly revision: number; readonly version?: string; readonly reason: string; readonly actor: string };

export type EffectType = Effect['type'];
