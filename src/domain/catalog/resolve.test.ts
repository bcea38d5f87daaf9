import { describe, expect, it } from 'vitest';
import { specCatalog } from './spec-catalog.js';
import { findService, matchesPattern, resolveService } from './resolve.js';

describe('the spec catalog', () => {
  it.each([
    ['api', 1, 'progressive-canary', { availability: 99.9, latency: [500, 99.0] }],
    ['graphql-gateway', 1, 'progressive-canary', { availability: 99.9, latency: [500, 99.0] }],
    ['neo4j', 1, 'blue-green', { durability: 99.99 }],
    ['copilot', 1, 'canary-with-shadow', { availability: 99.5, latency: [500, 95.0] }],
    ['conductor', 2, 'standard-canary', { availability: 99.5 }],
    ['audit-svc', 2, 'rolling', { durability: 99.9 }],
    ['prov-ledger', 2, 'rolling', { availability: 99.5 }],
    ['worker-*', 2, 'rolling', { completion: 95 }],
    ['devtools', 3, 'direct', { availability: 95 }],
    ['docs-*', 3, 'direct', {}],
    ['sandbox', 3, 'direct', {}],
  ] as const)('%s is tier %i with %s and its table SLO', (name, tier, strategy, slo) => {
    const s = resolveService(specCatalog, name);
    expect(s).toBeDefined();
    expect(s?.tier).toBe(tier);
    expect(s?.strategy).toBe(strategy);
    const got: Record<string, unknown> = {};
    if (s?.slo.availability) got.availability = s.slo.availability.target;
    if (s?.slo.durability) got.durability = s.slo.durability.target;
    if (s?.slo.completion) got.completion = s.slo.completion.target;
    if (s?.slo.latency) got.latency = [s.slo.latency.thresholdMs, s.slo.latency.target];
    expect(got).toEqual(slo);
    expect(s?.slo.bestEffort).toBe(Object.keys(slo).length === 0);
  });

  it('holds exactly the 11 services of the spec tables', () => {
    expect(specCatalog.services).toHaveLength(11);
  });
});

describe('family globs', () => {
  it.each([
    ['worker-*', 'worker-email', true],
    ['worker-*', 'worker-', true],
    ['worker-*', 'workers', false],
    ['docs-*', 'docs-api', true],
    ['api', 'api-v2', false],
    ['a.b-*', 'axb-1', false],
  ])('%s matches %s: %s', (pattern, name, expected) => {
    expect(matchesPattern(pattern, name)).toBe(expected);
  });

  it('resolves a family member under its own name, matched by the family', () => {
    const s = resolveService(specCatalog, 'worker-email');
    expect(s).toMatchObject({ name: 'worker-email', matchedBy: 'worker-*', tier: 2, strategy: 'rolling' });
  });

  it('prefers an exact entry, then the most specific family', () => {
    const catalog = {
      ...specCatalog,
      services: [
        ...specCatalog.services,
        { name: 'worker-email-*', tier: 1 as const, description: '', owners: [] },
        { name: 'worker-email-fast', tier: 3 as const, description: '', owners: [] },
      ],
    };
    expect(findService(catalog, 'worker-email-slow')?.name).toBe('worker-email-*');
    expect(findService(catalog, 'worker-email-fast')?.name).toBe('worker-email-fast');
    expect(findService(catalog, 'unknown')).toBeUndefined();
  });

  it('marks the SLO gate as not applying to best-effort services', () => {
    const docs = resolveService(specCatalog, 'docs-site');
    expect(docs?.gates.find((g) => g.gate === 'slo')?.applies).toBe(false);
    const api = resolveService(specCatalog, 'api');
    expect(api?.gates.map((g) => g.gate)).toEqual(['build', 'quality', 'security', 'slo', 'policy', 'approval']);
    expect(api?.gates.every((g) => g.applies)).toBe(true);
  });

  it('falls back to the tier default strategy and SLO', () => {
    const catalog = { ...specCatalog, services: [{ name: 'x', tier: 2 as const, description: '', owners: [] }] };
    expect(resolveService(catalog, 'x')).toMatchObject({ strategy: 'standard-canary', slo: { availability: { target: 99.5 } } });
  });
});
