/**
 * SLO definitions: the plain, validated shape that the catalog, the importers (OpenSLO, Sloth) and
 * the rule generator share. Percentages are written as people write them (99.9), ratios are 0..1.
 */

/** Rolling windows Rampart supports; a calendar month is the other kind of period. */
export const rollingWindowDays = [7, 28, 30] as const;
export type RollingWindowDays = (typeof rollingWindowDays)[number];

export type SloWindow =
  | { kind: 'rolling'; days: RollingWindowDays }
  /** The current calendar month in `timeZone` (IANA, default UTC): the budget resets on the 1st. */
  | { kind: 'calendar-month'; timeZone?: string };

/** Where the request counts come from in Prometheus; defaults follow the spec's series. */
export interface PrometheusSeries {
  /** Counter of requests with labels `service` and `code`. Default `http_requests_total`. */
  requestsMetric?: string;
  /** Label matcher value (regex) that marks an error code. Default `5..`. */
  errorCodeRegex?: string;
  /** Histogram base name (without `_bucket`). Default `http_request_duration_seconds`. */
  histogramMetric?: string;
}

/**
 * What counts as a good request.
 * - availability: good = total − errors (errors are 5xx by default);
 * - latency: good = requests at or under `thresholdSeconds`, read from the histogram bucket
 *   counter whose `le` equals the threshold (never from a quantile);
 * - queries: user-supplied PromQL templates (from OpenSLO or Sloth) with `{{.window}}` where the
 *   range goes; exactly one of `errorQuery`/`goodQuery` plus `totalQuery`.
 */
export type SloIndicator =
  | { kind: 'availability'; series?: PrometheusSeries }
  | { kind: 'latency'; thresholdSeconds: number; series?: PrometheusSeries }
  | { kind: 'queries'; errorQuery?: string; goodQuery?: string; totalQuery: string };

export type AlertSeverity = 'page' | 'ticket';

/**
 * One multiwindow burn-rate condition: fires when the burn rate is above `factor` over both
 * the long and the short window.
 */
export interface BurnAlertCondition {
  severity: AlertSeverity;
  longWindow: string;
  shortWindow: string;
  factor: number;
  /** Share of the period's budget this condition lets burn in `longWindow` before firing. */
  budgetFraction?: number;
}

/** Where a definition came from, for messages and audit. */
export interface SloSource {
  format: 'catalog' | 'openslo' | 'sloth';
  file?: string;
  line?: number;
}

export interface SloDefinition {
  service: string;
  /** Unique per service, kebab-case (`availability`, `latency`, `requests-availability`). */
  name: string;
  description?: string;
  /** Target in percent, 0 < objective < 100 (99.9). */
  objectivePercent: number;
  window: SloWindow;
  indicator: SloIndicator;
  /** Burn alert conditions; when absent the defaults (see `defaultBurnAlerts`) apply. */
  alerts?: BurnAlertCondition[];
  /** Extra labels copied onto generated rules. */
  labels?: Record<string, string>;
  source?: SloSource;
}

/** Error budget as a ratio of requests (0.001 for 99.9 %). */
export function budgetRatio(objectivePercent: number): number {
  // Rounded to 12 digits so 100 − 99.9 gives 0.001, not 0.0009999999999990905.
  return Number(((100 - objectivePercent) / 100).toFixed(12));
}
