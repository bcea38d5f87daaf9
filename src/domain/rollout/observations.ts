import type { AnalysisPhase } from '../analysis/phase.js';
import type { DecidingMeasurement } from './effects.js';

/** What the reconciler saw of one analysis run, by ref. An absent ref reads as Pending. */
export interface AnalysisObservation {
  readonly phase: AnalysisPhase;
  readonly message?: string;
  readonly measurements?: readonly DecidingMeasurement[];
}

export type Health = 'Healthy' | 'Unhealthy' | 'Unknown';

/**
 * A manual verb, already authorised and validated by the service layer.
 * `undo.toRevision` absent means the previous version.
 */
export type Command =
  | { readonly verb: 'promote'; readonly full?: boolean; readonly actor: string }
  | { readonly verb: 'abort'; readonly actor: string; readonly reason?: string }
  | { readonly verb: 'retry'; readonly actor: string }
  | { readonly verb: 'pause'; readonly actor: string }
  | { readonly verb: 'resume'; readonly actor: string }
  | { readonly verb: 'undo'; readonly actor: string; readonly toRevision?: number };

export interface SyntheticFailure {
  readonly check: string;
  readonly message: string;
}

/** Everything decide() is told about the world at `now`. */
export interface Observations {
  readonly analysis?: Readonly<Record<string, AnalysisObservation>>;
  readonly canaryHealth?: Health;
  readonly stableHealth?: Health;
  readonly syntheticFailures?: readonly SyntheticFailure[];
  /** Commands received since the last decide, oldest first. */
  readonly commands?: readonly Command[];
  /** Pause multiplier from the error-budget band (2 doubles pauses); 1 when absent. */
  readonly speedFactor?: number;
}

/** The actor name of every automatic decision (the spec's rollback script's ACTOR default). */
export const AUTO_ACTOR = 'auto-controller';
