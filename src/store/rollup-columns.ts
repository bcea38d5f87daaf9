/**
 * The latency histogram columns of the request rollups: one cumulative count per upper bound
 * (requests at or under it), the built-in proxy's bounds. +Inf is `requests`. A latency SLO whose
 * threshold is one of these bounds is measured exactly; any other threshold has no data here.
 */

export const ROLLUP_LE_BOUNDS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10] as const;

export const ROLLUP_LE_COLUMNS = [
  'le_1ms', 'le_2_5ms', 'le_5ms', 'le_10ms', 'le_25ms', 'le_50ms', 'le_100ms', 'le_250ms', 'le_500ms',
  'le_1s', 'le_2_5s', 'le_5s', 'le_10s',
] as const;

export type RollupLeColumn = (typeof ROLLUP_LE_COLUMNS)[number];

/** The column holding requests at or under `seconds`, or undefined when it is not a bound. */
export function leColumnFor(seconds: number): RollupLeColumn | undefined {
  const i = ROLLUP_LE_BOUNDS.findIndex((b) => Math.abs(b - seconds) <= 1e-9 * Math.max(1, b));
  return i < 0 ? undefined : ROLLUP_LE_COLUMNS[i];
}
