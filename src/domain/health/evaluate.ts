import { type HealthMetric, type HealthThresholds, healthMetrics, metricLabels } from './thresholds.js';

/** ok < unknown < warning < critical: a service's status is its worst metric's. */
export type HealthStatus = 'ok' | 'unknown' | 'warning' | 'critical';

const rank: Record<HealthStatus, number> = { ok: 0, unknown: 1, warning: 2, critical: 3 };

/** One metric's reading; `value` undefined (or NaN) means it could not be measured. */
export interface MetricReading {
  value?: number | undefined;
  /** Why the value is missing, for the reason text (e.g. "no requests in the last 5 minutes"). */
  missing?: string;
}

export type HealthInputs = Partial<Record<HealthMetric, MetricReading>>;

export interface MetricHealth {
  metric: HealthMetric;
  status: HealthStatus;
  value: number | null;
  warning: number;
  critical: number;
  reason: string;
}

export interface ServiceHealth {
  status: HealthStatus;
  /** Reasons for every metric that is not ok, worst first. */
  reasons: string[];
  metrics: MetricHealth[];
}

/** One metric against its bounds: above critical is critical, above warning is warning, no value is unknown. */
export function assessMetric(metric: HealthMetric, reading: MetricReading | undefined, t: HealthThresholds): MetricHealth {
  const { warning, critical } = t[metric];
  const label = metricLabels[metric];
  const value = reading?.value;
  if (value === undefined || !Number.isFinite(value)) {
    return { metric, status: 'unknown', value: null, warning, critical, reason: `${label.name}: not measured (${reading?.missing ?? 'no data'})` };
  }
  const shown = label.unit(value);
  if (value > critical) return { metric, status: 'critical', value, warning, critical, reason: `${label.name} ${shown} is above the critical bound ${label.unit(critical)}` };
  if (value > warning) return { metric, status: 'warning', value, warning, critical, reason: `${label.name} ${shown} is above the warning bound ${label.unit(warning)}` };
  return { metric, status: 'ok', value, warning, critical, reason: `${label.name} ${shown} is within ${label.unit(warning)}` };
}

/**
 * A service's health from the key metrics: the worst status of any metric; a missing metric is
 * `unknown`, so a service with no data is never reported ok. Pure.
 */
export function evaluateHealth(inputs: HealthInputs, t: HealthThresholds): ServiceHealth {
  const metrics = healthMetrics.map((m) => assessMetric(m, inputs[m], t));
  const status = metrics.reduce<HealthStatus>((worst, m) => (rank[m.status] > rank[worst] ? m.status : worst), 'ok');
  const reasons = metrics.filter((m) => m.status !== 'ok').sort((a, b) => rank[b.status] - rank[a.status]).map((m) => m.reason);
  return { status, reasons, metrics };
}
