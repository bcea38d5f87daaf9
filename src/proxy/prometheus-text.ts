/**
 * Prometheus text exposition (format 0.0.4) of per-version request metrics, named and labelled so
 * the spec's PromQL works as written: `http_requests_total{service,namespace,version,code}` and
 * `http_request_duration_seconds_bucket{service,namespace,version,le}` with `_sum` and `_count`.
 */
import type { VersionSeries } from './version-series.js';

function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

export const contentType = 'text/plain; version=0.0.4; charset=utf-8';

/** Renders every series; an empty list renders the HELP/TYPE headers only. */
export function renderPrometheusText(all: readonly VersionSeries[]): string {
  const lines: string[] = [
    '# HELP http_requests_total HTTP requests answered through the Rampart proxy, by service, version and status code.',
    '# TYPE http_requests_total counter',
  ];
  const base = all.map((s) => `service="${escapeLabel(s.labels.service)}",namespace="${escapeLabel(s.labels.namespace)}",version="${escapeLabel(s.labels.version)}"`);
  all.forEach((s, i) => {
    const codes = [...s.totalByCode.entries()].sort((a, b) => a[0] - b[0]);
    for (const [code, n] of codes) lines.push(`http_requests_total{${base[i]},code="${code}"} ${n}`);
  });
  lines.push(
    '# HELP http_request_duration_seconds Time from request received to response finished, through the Rampart proxy.',
    '# TYPE http_request_duration_seconds histogram',
  );
  all.forEach((s, i) => {
    let cumulative = 0;
    for (let b = 0; b < s.bounds.length; b++) {
      cumulative += s.totalHist[b] as number;
      lines.push(`http_request_duration_seconds_bucket{${base[i]},le="${String(s.bounds[b])}"} ${cumulative}`);
    }
    cumulative += s.totalHist[s.bounds.length] as number;
    lines.push(`http_request_duration_seconds_bucket{${base[i]},le="+Inf"} ${cumulative}`);
    lines.push(`http_request_duration_seconds_sum{${base[i]}} ${s.totalSum}`);
    lines.push(`http_request_duration_seconds_count{${base[i]}} ${s.totalCount}`);
  });
  return `${lines.join('\n')}\n`;
}
