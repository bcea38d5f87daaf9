/**
 * PromQL for one SLO's error ratio over a window, always from counts: increase() of the error
 * (or good) and total counters over the same window, divided once. Never an average of shorter
 * ratios over time, which weighs a quiet hour like a busy one.
 */

import type { PrometheusSeries, SloDefinition } from './types.js';

export const defaultSeries: Required<PrometheusSeries> = {
  requestsMetric: 'http_requests_total',
  errorCodeRegex: '5..',
  histogramMetric: 'http_request_duration_seconds',
};

/** Escapes a value for a double-quoted PromQL string. */
export function promString(value: string): string {
  return `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** Escapes regex metacharacters (for use inside a `=~` matcher). */
function regexLiteral(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * A regex that matches the `le` label of the bucket at `thresholdSeconds` however the client
 * or Prometheus spelled it: `0.5` and `0.50`; `1`, `1.0` (Prometheus 3 normalises integers to
 * `1.0`) and `1.00`. Prometheus anchors regex matchers, so `0.5` does not match `0.55`.
 */
export function leRegex(thresholdSeconds: number): string {
  const text = String(thresholdSeconds);
  if (!/^\d+(\.\d+)?$/.test(text)) throw new RangeError(`latency threshold ${text} must be a plain positive decimal`);
  return text.includes('.') ? `${regexLiteral(text)}0*` : `${text}(\\.0+)?`;
}

/** How Prometheus 3 writes `le` for a threshold (integers get `.0`); used to build test inputs. */
export function leLabelProm3(thresholdSeconds: number): string {
  return Number.isInteger(thresholdSeconds) ? `${thresholdSeconds}.0` : String(thresholdSeconds);
}

function selector(metric: string, matchers: Array<[string, '=' | '=~' | '!~', string]>): string {
  return `${metric}{${matchers.map(([k, op, v]) => `${k}${op}${promString(v)}`).join(',')}}`;
}

/** Substitutes the Sloth/OpenSLO window placeholder (`{{.window}}`, spaces allowed). */
export function fillWindow(template: string, window: string): string {
  return template.replace(/\{\{\s*\.window\s*\}\}/g, window);
}

/**
 * The error-ratio expression for `slo` over `window` (e.g. `5m`, `30d`).
 * Availability: a service with no 5xx series at all yet has zero errors, not no data, hence
 * `or vector(0)` on the error side; no total series stays no data, and 0/0 stays NaN.
 */
export function errorRatioExpr(slo: SloDefinition, window: string): string {
  const ind = slo.indicator;
  const svc: [string, '=', string] = ['service', '=', slo.service];
  if (ind.kind === 'availability') {
    const s = { ...defaultSeries, ...ind.series };
    const errors = selector(s.requestsMetric, [svc, ['code', '=~', s.errorCodeRegex]]);
    const total = selector(s.requestsMetric, [svc]);
    return `(sum(increase(${errors}[${window}])) or vector(0))\n/\nsum(increase(${total}[${window}]))`;
  }
  if (ind.kind === 'latency') {
    const s = { ...defaultSeries, ...ind.series };
    const good = selector(`${s.histogramMetric}_bucket`, [svc, ['le', '=~', leRegex(ind.thresholdSeconds)]]);
    const total = selector(`${s.histogramMetric}_count`, [svc]);
    return `(\n  sum(increase(${total}[${window}]))\n  -\n  sum(increase(${good}[${window}]))\n)\n/\nsum(increase(${total}[${window}]))`;
  }
  const total = fillWindow(ind.totalQuery, window).trim();
  if (ind.errorQuery !== undefined) return `(\n${fillWindow(ind.errorQuery, window).trim()}\n)\n/\n(\n${total}\n)`;
  return `(\n  (${total})\n  -\n  (${fillWindow(ind.goodQuery ?? '', window).trim()})\n)\n/\n(\n${total}\n)`;
}
