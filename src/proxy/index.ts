/** The built-in data plane's public surface (what the composition root and the API use). */
export { createDataPlane, type AddServiceResult, type DataPlane, type ServiceListenerOptions } from './data-plane.js';
export { createServiceProxy, type ProxyAddress, type ProxyResult, type ServiceProxy, type ServiceProxyOptions } from './service-proxy.js';
export { createMetricsStore, bucketQuantile, type Measurement, type MetricsStore, type MetricsStoreOptions } from './metrics-store.js';
export { DEFAULT_LATENCY_BUCKETS, type WindowCounts } from './version-series.js';
export { createFaultTable, faultSpecSchema, type ActiveFault, type FaultResult, type FaultSpec, type FaultTable } from './faults.js';
export { contentType as prometheusContentType, renderPrometheusText } from './prometheus-text.js';
export { startAdminListener, type AdminListener } from './admin-listener.js';
export type { UpstreamVersion } from './upstream.js';
