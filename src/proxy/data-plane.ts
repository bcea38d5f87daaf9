/**
 * The embedded data plane as the composition root wires it: one metrics store and one fault table
 * shared by every service proxy, a directory of proxies by service (what the builtin-proxy router
 * needs), the Prometheus text for /metrics, and one close() for shutdown.
 */
import type { Clock } from '../platform/clock.js';
import { createFaultTable, type FaultTable } from './faults.js';
import { createMetricsStore, type MetricsStore } from './metrics-store.js';
import { contentType } from './prometheus-text.js';
import { createServiceProxy, type ProxyAddress, type ServiceProxy, type ServiceProxyOptions } from './service-proxy.js';

export type ServiceListenerOptions = Omit<ServiceProxyOptions, 'clock' | 'metrics' | 'faults'>;

export type AddServiceResult =
  | { ok: true; proxy: ServiceProxy; address: ProxyAddress }
  | { ok: false; code: 'conflict' | 'invalid' | 'listen_failed'; message: string };

export interface DataPlane {
  readonly metrics: MetricsStore;
  readonly faults: FaultTable;
  /** Starts a listener for a service; one per service name. */
  addService(options: ServiceListenerOptions): Promise<AddServiceResult>;
  /** Drains and removes a service's listener; false when there was none. */
  removeService(service: string, graceMs?: number): Promise<boolean>;
  /** The proxy of a service (satisfies the routers' ProxyDirectory). */
  get(service: string): ServiceProxy | undefined;
  services(): string[];
  /** Prometheus text (format 0.0.4) of every service's per-version metrics, for GET /metrics. */
  renderMetrics(): string;
  readonly metricsContentType: string;
  /** Drains every listener (in parallel) within `graceMs`. */
  close(graceMs?: number): Promise<void>;
}

export function createDataPlane(options: { clock: Clock; windowSeconds?: number; defaultNamespace?: string }): DataPlane {
  const metrics = createMetricsStore({ clock: options.clock, windowSeconds: options.windowSeconds, defaultNamespace: options.defaultNamespace });
  const faults = createFaultTable(options.clock);
  const proxies = new Map<string, ServiceProxy>();
  return {
    metrics,
    faults,
    async addService(o) {
      if (proxies.has(o.service)) return { ok: false, code: 'conflict', message: `service "${o.service}" already has a proxy listener` };
      let proxy: ServiceProxy;
      try {
        proxy = createServiceProxy({ ...o, clock: options.clock, metrics, faults });
      } catch (err) {
        return { ok: false, code: 'invalid', message: `services.${o.service}: ${(err as Error).message}` };
      }
      try {
        const address = await proxy.start();
        proxies.set(o.service, proxy);
        return { ok: true, proxy, address };
      } catch (err) {
        await proxy.close(0);
        return { ok: false, code: 'listen_failed', message: `services.${o.service}: cannot listen on ${o.host ?? '127.0.0.1'}:${o.port ?? 0}: ${(err as Error).message}` };
      }
    },
    async removeService(service, graceMs) {
      const p = proxies.get(service);
      if (!p) return false;
      proxies.delete(service);
      await p.close(graceMs);
      return true;
    },
    get: (service) => proxies.get(service),
    services: () => [...proxies.keys()],
    renderMetrics: () => metrics.renderPrometheus(),
    metricsContentType: contentType,
    async close(graceMs) {
      const all = [...proxies.values()];
      proxies.clear();
      await Promise.all(all.map((p) => p.close(graceMs)));
    },
  };
}
