import type { Catalog, Service, Slo, Tier, TierDefaults } from './types.js';

const bestEffort: Slo = { window: '30d', bestEffort: true };

/**
 * Tier defaults. Strategies follow the strategy matrix (tier 1 progressive canary, tier 2 standard
 * canary, tier 3 direct deploy as the tier 3 table gives it); the spec's gates apply to every tier.
 */
export const specTierDefaults: Record<Tier, TierDefaults> = {
  1: {
    strategy: 'progressive-canary',
    slo: { availability: { target: 99.9 }, window: '30d', bestEffort: false },
    gates: { coverageMin: 80, releaseCaptainApproval: true, changeWindow: true },
  },
  2: {
    strategy: 'standard-canary',
    slo: { availability: { target: 99.5 }, window: '30d', bestEffort: false },
    gates: { coverageMin: 80, releaseCaptainApproval: true, changeWindow: true },
  },
  3: {
    strategy: 'direct',
    slo: bestEffort,
    gates: { coverageMin: 80, releaseCaptainApproval: true, changeWindow: true },
  },
};

const availability = (target: number, extra: Partial<Slo> = {}): Slo => ({
  availability: { target },
  window: '30d',
  bestEffort: false,
  ...extra,
});

/**
 * The spec's three tier tables, service for service. Latency objectives come from the spec's
 * "Error Budget Calculation" (`latency_p95` targets); where the spec gives no threshold
 * (graphql-gateway, copilot) the 500 ms of its key-metrics table is used.
 */
export const specServices: Service[] = [
  { name: 'api', tier: 1, description: 'User-facing API', owners: [], strategy: 'progressive-canary',
    slo: availability(99.9, { latency: { thresholdMs: 500, target: 99.0 } }) },
  { name: 'graphql-gateway', tier: 1, description: 'Query federation', owners: [], strategy: 'progressive-canary',
    slo: availability(99.9, { latency: { thresholdMs: 500, target: 99.0 } }) },
  { name: 'neo4j', tier: 1, description: 'Graph storage', owners: [], strategy: 'blue-green',
    slo: { durability: { target: 99.99 }, window: '30d', bestEffort: false } },
  { name: 'copilot', tier: 1, description: 'AI assistance', owners: [], strategy: 'canary-with-shadow',
    slo: availability(99.5, { latency: { thresholdMs: 500, target: 95.0 } }) },
  { name: 'conductor', tier: 2, description: 'Orchestration', owners: [], strategy: 'standard-canary',
    slo: availability(99.5) },
  { name: 'audit-svc', tier: 2, description: 'Audit logging', owners: [], strategy: 'rolling',
    slo: { durability: { target: 99.9 }, window: '30d', bestEffort: false } },
  { name: 'prov-ledger', tier: 2, description: 'Provenance', owners: [], strategy: 'rolling',
    slo: availability(99.5) },
  { name: 'worker-*', tier: 2, description: 'Background jobs', owners: [], strategy: 'rolling',
    slo: { completion: { target: 95 }, window: '30d', bestEffort: false } },
  { name: 'devtools', tier: 3, description: 'Developer productivity', owners: [], strategy: 'direct',
    slo: availability(95) },
  { name: 'docs-*', tier: 3, description: 'Documentation', owners: [], strategy: 'direct', slo: bestEffort },
  { name: 'sandbox', tier: 3, description: 'Testing environments', owners: [], strategy: 'direct', slo: bestEffort },
];

export const specCatalog: Catalog = { services: specServices, tiers: specTierDefaults };
