/**
 * Analysis phases, shared by measurements, metrics and runs (Argo's `AnalysisPhase`).
 *
 * - `Pending`: nothing measured yet (or, for a measurement, waiting for enough data).
 * - `Running`: measuring; not decided.
 * - `Successful` / `Failed` / `Inconclusive` / `Error`: terminal.
 */
export type AnalysisPhase = 'Pending' | 'Running' | 'Successful' | 'Failed' | 'Inconclusive' | 'Error';

/** The four phases a completed measurement, metric or run can end in. */
export type TerminalPhase = 'Successful' | 'Failed' | 'Inconclusive' | 'Error';

/** True for a phase that never changes again. */
export function isTerminal(phase: AnalysisPhase): phase is TerminalPhase {
  return phase === 'Successful' || phase === 'Failed' || phase === 'Inconclusive' || phase === 'Error';
}

/**
 * Argo's `analysisStatusOrder`, best to worst: Failed is worse than Error, Error worse than
 * Inconclusive. A phase outside the list ranks as the best (index 0), as in Argo.
 */
const ARGO_ORDER: readonly AnalysisPhase[] = ['Successful', 'Running', 'Pending', 'Inconclusive', 'Error', 'Failed'];

/** Argo's `IsWorse(current, next)`: true when `next` ranks strictly worse than `current`. */
export function isWorse(current: AnalysisPhase, next: AnalysisPhase): boolean {
  return Math.max(0, ARGO_ORDER.indexOf(next)) > Math.max(0, ARGO_ORDER.indexOf(current));
}

/** The worse of two phases; ties keep the left one. */
export function worst(left: AnalysisPhase, right: AnalysisPhase): AnalysisPhase {
  return isWorse(left, right) ? right : left;
}
