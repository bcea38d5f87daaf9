/**
 * Rollout spec: what a release's rollout should do, in Argo Rollouts' vocabulary (`strategy.canary`,
 * `strategy.blueGreen`) plus Rampart's rolling update and direct deploy. Durations are in
 * milliseconds; percentages are 0–100. Values are plain data, frozen by the loaders.
 */

/** An analysis template named by a step, background or blue-green analysis. */
export interface AnalysisTemplateRef {
  readonly templateName: string;
  /** Argo `clusterScope: true` (a ClusterAnalysisTemplate). */
  readonly clusterScope?: boolean;
}

/** An argument passed to the run. `valueFrom` reads the release's versions (Argo's podTemplateHashValue). */
export interface AnalysisArg {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: 'canaryVersion' | 'stableVersion';
}

/** The templates and args of one analysis run. */
export interface AnalysisSpec {
  readonly templates: readonly AnalysisTemplateRef[];
  readonly args: readonly AnalysisArg[];
}

/** Argo header match: `headerValue` is exact, prefix or regex. */
export interface HeaderRouteMatch {
  readonly headerName: string;
  readonly headerValue: { readonly exact?: string; readonly prefix?: string; readonly regex?: string };
}

/**
 * One canary step. `pause` without `durationMs` waits for `promote` (Argo `pause: {}`).
 * `setHeaderRoute` / `setMirrorRoute` without `match` remove the named route (as in Argo).
 */
export type CanaryStep =
  | { readonly kind: 'setWeight'; readonly weight: number }
  | { readonly kind: 'pause'; readonly durationMs?: number }
  | { readonly kind: 'analysis'; readonly analysis: AnalysisSpec }
  | { readonly kind: 'setHeaderRoute'; readonly name: string; readonly match?: readonly HeaderRouteMatch[] }
  | { readonly kind: 'setMirrorRoute'; readonly name: string; readonly percentage?: number; readonly match?: readonly unknown[] };

/** Background analysis: runs from `startingStep` until the rollout ends. */
export interface BackgroundAnalysis extends AnalysisSpec {
  /** Index of the step at which the run starts; 0 when absent. */
  readonly startingStep?: number;
}

export interface CanaryStrategy {
  readonly type: 'canary';
  readonly steps: readonly CanaryStep[];
  readonly analysis?: BackgroundAnalysis;
  readonly canaryService?: string;
  readonly stableService?: string;
  /** Managed route names that setHeaderRoute / setMirrorRoute may use (Argo `trafficRouting.managedRoutes`). */
  readonly managedRoutes?: readonly string[];
  /** How long the previous version stays warm after promotion (the instant-undo window). */
  readonly scaleDownDelaySeconds?: number;
  /** How long an aborted canary stays warm before it is stopped. */
  readonly abortScaleDownDelaySeconds?: number;
}

export interface BlueGreenStrategy {
  readonly type: 'blueGreen';
  readonly activeService: string;
  readonly previewService?: string;
  /** Argo default true: promote as soon as the preview is ready and pre-promotion analysis passed. */
  readonly autoPromotionEnabled: boolean;
  /** With auto-promotion, wait this long after the preview is ready before switching. */
  readonly autoPromotionSeconds?: number;
  readonly prePromotionAnalysis?: AnalysisSpec;
  readonly postPromotionAnalysis?: AnalysisSpec;
  readonly scaleDownDelaySeconds?: number;
  readonly abortScaleDownDelaySeconds?: number;
}

/** Rolling update: traffic moves in `maxSurge` percent increments, each held `intervalSeconds`. */
export interface RollingStrategy {
  readonly type: 'rolling';
  /** Percent per increment; Argo's default maxSurge is 25 %. */
  readonly maxSurge: number;
  readonly intervalSeconds: number;
  readonly scaleDownDelaySeconds?: number;
}

/** Direct deploy: all traffic to the new version once it is healthy. */
export interface DirectStrategy {
  readonly type: 'direct';
  readonly scaleDownDelaySeconds?: number;
}

export type RolloutStrategy = CanaryStrategy | BlueGreenStrategy | RollingStrategy | DirectStrategy;

/** What to do when a step outlives its progress deadline: abort (roll back) or pause and notify. */
export type DeadlineAction = 'abort' | 'pause';

export interface RolloutSpec {
  readonly strategy: RolloutStrategy;
  /** Per step, for steps that wait on something other than a timer; 600 s when absent (Argo). */
  readonly progressDeadlineSeconds?: number;
  /** Argo `progressDeadlineAbort`: true aborts, false (default) pauses. */
  readonly onProgressDeadline?: DeadlineAction;
}

export const DEFAULTS = Object.freeze({
  progressDeadlineSeconds: 600,
  onProgressDeadline: 'pause' as DeadlineAction,
  /** Argo's default scaleDownDelaySeconds (30 s). */
  scaleDownDelaySeconds: 30,
  abortScaleDownDelaySeconds: 30,
  rollingMaxSurge: 25,
  rollingIntervalSeconds: 30,
  /** How often to look again while waiting on analysis runs or health. */
  pollIntervalMs: 1000,
  /** The spec's rollback script: 10 health checks, 5 s apart. */
  verifyAttempts: 10,
  verifyIntervalMs: 5000,
});
