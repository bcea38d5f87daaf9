/**
 * The value a metric provider hands to a condition, modelled on what Argo's providers pass to
 * expr: a Prometheus scalar is a number, an instant vector a list of numbers (so `result[0]`
 * works), NaN stays NaN (0/0, e.g. no traffic), and web/job values are JSON.
 */
export type MetricValue = number | string | boolean | null | readonly MetricValue[] | { readonly [key: string]: MetricValue };

/** Renders a value for a measurement record and messages: NaN and ±Inf spelled out, JSON otherwise. */
export function formatValue(value: MetricValue): string {
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : String(value).replace('Infinity', 'Inf');
  if (Array.isArray(value)) return `[${value.map((v: MetricValue) => formatValue(v)).join(', ')}]`;
  return JSON.stringify(value) ?? 'null';
}
