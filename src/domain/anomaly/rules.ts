/**
 * The spec's two anomaly rules ("Anomaly Detection"), as data: a signal over a short window
 * compared with `factor` × its own average over the last hour, held for `forSeconds`.
 */
export type AnomalyKind = 'error-rate' | 'latency';

export interface AnomalyRule {
  /** Alert name, as in the spec's Prometheus rules. */
  name: 'ErrorRateAnomaly' | 'LatencyAnomaly';
  kind: AnomalyKind;
  /** The current value must be above factor × baseline. */
  factor: number;
  /** Window of the current value (5 m in the spec). */
  windowMinutes: number;
  /** How far back the baseline averages the windowed value (1 h in the spec). */
  baselineMinutes: number;
  /** How long the condition must hold before the alert fires. */
  forSeconds: number;
  severity: 'warning' | 'critical';
  /** Minimum-traffic guard: fewer requests in the current window give no verdict. */
  minRequests: number;
  /**
   * Noise floor: the current value must also reach this (error ratio as a fraction, latency in
   * seconds). Without it a service at 0 errors for an hour fires on its first stray 5xx (3 × 0 = 0).
   */
  floor: number;
  /**
   * Error-rate only: fewer 5xx than this in the current window give no anomaly. Near the traffic
   * guard a window holds about one expected error, and 2 errors are already "3 × the average".
   */
  minErrors: number;
}

export const specAnomalyRules: readonly AnomalyRule[] = Object.freeze([
  { name: 'ErrorRateAnomaly', kind: 'error-rate', factor: 3, windowMinutes: 5, baselineMinutes: 60, forSeconds: 120, severity: 'warning', minRequests: 100, floor: 0.001, minErrors: 5 },
  { name: 'LatencyAnomaly', kind: 'latency', factor: 2, windowMinutes: 5, baselineMinutes: 60, forSeconds: 180, severity: 'warning', minRequests: 100, floor: 0, minErrors: 0 },
]);

/** The spec's rules with a configured minimum-traffic guard. */
export function anomalyRules(minRequests?: number): AnomalyRule[] {
  return specAnomalyRules.map((r) => ({ ...r, ...(minRequests !== undefined ? { minRequests } : {}) }));
}
