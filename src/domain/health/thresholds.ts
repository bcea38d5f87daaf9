/**
 * The spec's "Key Metrics to Watch" table as data: a warning and a critical bound per metric,
 * with per-tier overrides. Every bound is "strictly above is bad" (error rate > 1 % is a warning).
 */
export const healthMetrics = ['errorRate', 'latencyP95Ms', 'cpu', 'memory', 'budgetBurn'] as const;
export type HealthMetric = (typeof healthMetrics)[number];

export interface Bounds {
  warning: number;
  critical: number;
}

export type HealthThresholds = Record<HealthMetric, Bounds>;

/** Per-metric partial bounds, as written in config. */
export type ThresholdOverrides = Partial<Record<HealthMetric, Partial<Bounds>>>;

/** The spec's table. Ratios are fractions (1 % = 0.01), latency in milliseconds, burn as a multiple. */
export const specHealthThresholds: HealthThresholds = Object.freeze({
  errorRate: { warning: 0.01, critical: 0.05 },
  latencyP95Ms: { warning: 300, critical: 500 },
  cpu: { warning: 0.7, critical: 0.85 },
  memory: { warning: 0.75, critical: 0.9 },
  budgetBurn: { warning: 1, critical: 5 },
});

/** Labels for people: how each metric's value and bound is shown. */
export const metricLabels: Record<HealthMetric, { name: string; unit: (v: number) => string }> = {
  errorRate: { name: 'error rate (5xx)', unit: (v) => `${round(v * 100)}%` },
  latencyP95Ms: { name: 'latency p95', unit: (v) => `${round(v)}ms` },
  cpu: { name: 'CPU usage', unit: (v) => `${round(v * 100)}%` },
  memory: { name: 'memory usage', unit: (v) => `${round(v * 100)}%` },
  budgetBurn: { name: 'error budget burn', unit: (v) => `${round(v)}x` },
};

function round(v: number): string {
  return String(Math.round(v * 100) / 100);
}

/**
 * The thresholds for a tier: the spec's table, then the config's defaults, then the tier's own
 * overrides, field by field. Rejects nothing: validation of warning <= critical is `checkThresholds`.
 */
export function thresholdsFor(tier: number, defaults: ThresholdOverrides = {}, tiers: Record<string, ThresholdOverrides> = {}): HealthThresholds {
  const out = {} as HealthThresholds;
  const tierOver = tiers[String(tier)] ?? {};
  for (const m of healthMetrics) out[m] = { ...specHealthThresholds[m], ...defined(defaults[m]), ...defined(tierOver[m]) };
  return out;
}

/** Problems with a threshold set (a warning bound above its critical bound), as `path: message`. */
export function checkThresholds(t: HealthThresholds, path: string): string[] {
  return healthMetrics
    .filter((m) => t[m].warning > t[m].critical)
    .map((m) => `${path}.${m}: warning (${t[m].warning}) is above critical (${t[m].critical}); a warning must come first`);
}

function defined(b: Partial<Bounds> | undefined): Partial<Bounds> {
  return Object.fromEntries(Object.entries(b ?? {}).filter(([, v]) => v !== undefined));
}
