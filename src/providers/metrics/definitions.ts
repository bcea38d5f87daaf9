import { builtinMetricProvider } from './builtin.js';
import { jobMetricProvider } from './job.js';
import { prometheusMetricProvider } from './prometheus.js';
import { staticMetricProvider } from './static.js';
import type { MetricProviderDefinition } from './types.js';
import { webMetricProvider } from './web.js';

/** Every metric provider kind Rampart ships; the composition root hands this to the registry. */
export const METRIC_PROVIDER_DEFINITIONS: readonly MetricProviderDefinition<never>[] = [
  prometheusMetricProvider, builtinMetricProvider, webMetricProvider, jobMetricProvider, staticMetricProvider,
] as unknown as readonly MetricProviderDefinition<never>[];
