import type { RampartConfig } from '../config/load.js';
import { resolveAll, resolveService } from '../domain/catalog/resolve.js';
import { type HealthInputs, type ServiceHealth, evaluateHealth } from '../domain/health/evaluate.js';
import { thresholdsFor } from '../domain/health/thresholds.js';
import { burnRate } from '../domain/slo/budget.js';
import type { Clock } from '../platform/clock.js';
import { RampartError } from '../platform/errors.js';
import type { MetricsStore } from '../proxy/metrics-store.js';

/** CPU and memory of a service as fractions of their limits; undefined fields are unmeasured. */
export interface SaturationReading {
  cpu?: number;
  memory?: number;
}

/** Where saturation comes from (the process runtime's sampler); none yet means unknown, never ok. */
export type SaturationSource = (service: string) => SaturationReading | undefined;

/** The metrics store methods health reads (the data plane's). */
export type HealthMetricsSource = Pick<MetricsStore, 'countsOver' | 'latencyQuantile' | 'versions'>;

export interface ServiceHealthView extends ServiceHealth {
  service: string;
  tier: number;
  at: string;
  /** The window the error rate and latency were read over. */
  windowSeconds: number;
}

const windowSeconds = 300;
const burnWindowSeconds = 3600;

/**
 * Service health from the spec's key-metrics table, read live from the built-in proxy's
 * per-version counters: error rate and p95 over 5 minutes, budget burn over 1 hour against the
 * service's availability objective, CPU and memory from the saturation source.
 */
export function createServiceHealthService(config: RampartConfig, clock: Clock, metrics: HealthMetricsSource, saturation: SaturationSource = () => undefined) {
  const totals = (service: string, window: number, now: number) => {
    let requests = 0;
    let errors = 0;
    for (const v of metrics.versions(service)) {
      const c = metrics.countsOver(service, v, window, now);
      requests += c.requests;
      errors += c.errors;
    }
    return { requests, errors };
  };

  function inputsOf(service: string, availabilityTarget: number | undefined, now: number): HealthInputs {
    const noTraffic = `no requests through the built-in proxy in the last ${windowSeconds / 60} minutes`;
    const recent = totals(service, windowSeconds, now);
    // Latency: the busiest version's histogram (histograms are per version and are not summed).
    const p95 = metrics.versions(service)
      .map((v) => metrics.latencyQuantile(0.95, service, v, windowSeconds, now))
      .sort((a, b) => b.requests - a.requests)[0];
    const hour = totals(service, burnWindowSeconds, now);
    const sat = saturation(service);
    const noSampling = 'no CPU/memory sampling for this service (run it with the process runtime)';
    return {
      errorRate: recent.requests > 0 ? { value: recent.errors / recent.requests } : { missing: noTraffic },
      latencyP95Ms: p95 && p95.value !== null ? { value: p95.value * 1000 } : { missing: noTraffic },
      budgetBurn: availabilityTarget === undefined
        ? { missing: 'the service has no availability objective' }
        : hour.requests > 0 ? { value: burnRate(hour.errors / hour.requests, availabilityTarget) } : { missing: 'no requests in the last hour' },
      cpu: sat?.cpu !== undefined ? { value: sat.cpu } : { missing: noSampling },
      memory: sat?.memory !== undefined ? { value: sat.memory } : { missing: noSampling },
    };
  }

  function forService(name: string): ServiceHealthView {
    const resolved = resolveService(config.catalog, name);
    if (!resolved) throw new RampartError('NOT_FOUND', `no service "${name}" in the catalog (${config.source}); see GET /api/v1/services`);
    const now = clock.now();
    const t = thresholdsFor(resolved.tier, config.safeguards.health.defaults, config.safeguards.health.tiers);
    const health = evaluateHealth(inputsOf(name, resolved.slo.availability?.target, now), t);
    return { service: name, tier: resolved.tier, at: new Date(now).toISOString(), windowSeconds, ...health };
  }

  return {
    forService,
    /** Every concrete catalog service (families such as worker-* are skipped: they have no traffic of their own). */
    all: () => resolveAll(config.catalog).filter((s) => !s.name.includes('*')).map((s) => forService(s.name)),
  };
}

export type ServiceHealthService = ReturnType<typeof createServiceHealthService>;
