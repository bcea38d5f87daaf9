import type { AppliedGate, Catalog, ResolvedService, Service, Slo, TierDefaults } from './types.js';
import { tierNames } from './types.js';

/** True when `name` is a family glob (`worker-*`). Only `*` is special. */
export function isFamily(pattern: string): boolean {
  return pattern.includes('*');
}

export function matchesPattern(pattern: string, name: string): boolean {
  if (!isFamily(pattern)) return pattern === name;
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`).test(name);
}

/**
 * Finds the catalog entry for `name`: an exact entry wins over a family; among families the one
 * with the longest literal text wins (`worker-email-*` over `worker-*`). Undefined when none matches.
 */
export function findService(catalog: Catalog, name: string): Service | undefined {
  const exact = catalog.services.find((s) => s.name === name);
  if (exact) return exact;
  let best: Service | undefined;
  for (const s of catalog.services) {
    if (!isFamily(s.name) || !matchesPattern(s.name, name)) continue;
    if (!best || literalLength(s.name) > literalLength(best.name)) best = s;
  }
  return best;
}

function literalLength(pattern: string): number {
  return pattern.replaceAll('*', '').length;
}

export function hasObjective(slo: Slo): boolean {
  return !slo.bestEffort && Boolean(slo.availability ?? slo.latency ?? slo.durability ?? slo.completion);
}

/** The six gates in the spec's order, with the checks each runs for a service of this tier and SLO. */
export function appliedGates(tier: TierDefaults, slo: Slo): AppliedGate[] {
  const sloApplies = hasObjective(slo);
  return [
    { gate: 'build', applies: true, checks: ['typecheck', 'compile', 'lint', 'format'] },
    { gate: 'quality', applies: true, checks: ['unit_tests', `coverage>=${tier.gates.coverageMin}`, 'e2e (when required)', 'golden_path'] },
    { gate: 'security', applies: true, checks: ['critical_cves==0', 'high_cves==0 (production)', 'secrets==0', 'slsa_level>=3', 'image_signed'] },
    sloApplies
      ? { gate: 'slo', applies: true, checks: ['error_budget_remaining>=20%', 'fast_burn<2.0', 'no_active_p1', 'rollbacks_24h<2'] }
      : { gate: 'slo', applies: false, checks: [], note: 'best effort: no SLO objective, so no error budget to protect' },
    { gate: 'policy', applies: true, checks: ['release-gate policy allow'] },
    {
      gate: 'approval',
      applies: true,
      checks: [
        ...(tier.gates.releaseCaptainApproval ? ['release_captain'] : []),
        ...(tier.gates.changeWindow ? ['change_window'] : []),
        'freeze',
      ],
    },
  ];
}

/** Resolves `name` against the catalog with the tier's defaults filled in; undefined when unknown. */
export function resolveService(catalog: Catalog, name: string): ResolvedService | undefined {
  const entry = findService(catalog, name);
  if (!entry) return undefined;
  const tier = catalog.tiers[entry.tier];
  const slo = entry.slo ?? tier.slo;
  return {
    name,
    matchedBy: entry.name,
    tier: entry.tier,
    tierName: tierNames[entry.tier],
    description: entry.description,
    owners: entry.owners,
    strategy: entry.strategy ?? tier.strategy,
    slo,
    gates: appliedGates(tier, slo),
  };
}

/** Every catalog entry resolved under its own name (families keep their glob as name). */
export function resolveAll(catalog: Catalog): ResolvedService[] {
  return catalog.services.map((s) => resolveService(catalog, s.name)).filter((s): s is ResolvedService => s !== undefined);
}
