import type { Freeze } from '../windows/freezes.js';
import type { WindowDefinition } from '../windows/change-window.js';

/**
 * Gate thresholds with the spec's defaults ("Release Gates", Gates 2–4). A tier may override any
 * of them; `resolveThresholds` merges and the decision records the resolved values.
 */
export interface GateThresholds {
  /** Quality: minimum line coverage, percent (spec: 80). */
  coverageMinPct: number;
  /** Security: maximum critical CVEs (spec: 0). */
  maxCriticalCves: number;
  /** Security: high CVEs warn, and fail in these environments (spec: production_fail_on high). */
  highCvesFailIn: string[];
  /** Security: maximum secrets found (spec: any secret fails). */
  maxSecrets: number;
  /** Security: minimum SLSA level (spec: 3). */
  minSlsaLevel: number;
  /** Security: the image must be signed (spec: cosign required). */
  requireSignedImage: boolean;
  /** SLO: minimum error budget remaining, percent (spec rego: >= 20). */
  minErrorBudgetPct: number;
  /** SLO: fast burn rate must stay below this (spec: 2.0). */
  fastBurnMax: number;
  /** SLO: maximum active P1 incidents (spec: none). */
  maxActiveP1: number;
  /** SLO: rollbacks in the last 24 h must stay below this (spec: block at 2). */
  rollbacks24hBlockAt: number;
}

export const DEFAULT_THRESHOLDS: Readonly<GateThresholds> = Object.freeze({
  coverageMinPct: 80,
  maxCriticalCves: 0,
  highCvesFailIn: ['production'],
  maxSecrets: 0,
  minSlsaLevel: 3,
  requireSignedImage: true,
  minErrorBudgetPct: 20,
  fastBurnMax: 2.0,
  maxActiveP1: 0,
  rollbacks24hBlockAt: 2,
});

/** Check ids (`gate.check`) that a granted emergency override bypasses. */
export const DEFAULT_EMERGENCY_BYPASSES: readonly string[] = Object.freeze([
  'approval.change_window',
  'approval.freeze',
  // The spec's SLO gate: "active_incidents: override: emergency_hotfix".
  'slo.active_p1',
]);

export interface GateThresholdConfig {
  defaults?: Partial<GateThresholds>;
  /** Per tier name (`"1"`, `"tier-1"`…, as the catalog names tiers). */
  tiers?: Record<string, Partial<GateThresholds>>;
}

/** Spec defaults ← config defaults ← the tier's overrides. Unknown tier: no tier overrides. */
export function resolveThresholds(config: GateThresholdConfig | undefined, tier: string | undefined): GateThresholds {
  const tierOverrides = tier !== undefined ? config?.tiers?.[tier] : undefined;
  return { ...DEFAULT_THRESHOLDS, highCvesFailIn: [...DEFAULT_THRESHOLDS.highCvesFailIn], ...config?.defaults, ...tierOverrides };
}

/**
 * Everything besides evidence and policy that a release decision depends on. Plain data (no
 * compiled objects), so it can be stored with the decision and replayed.
 */
export interface ReleaseGateConfig {
  thresholds?: GateThresholdConfig;
  /** Zone of the default change window and of the policy's clock (`now.zone`). Default `UTC`. */
  timeZone?: string;
  /** Change windows; default: the spec's Mon–Thu 09:00–16:00 in `timeZone`. */
  windows?: WindowDefinition[];
  /** Freezes parsed from deployment_freezes.yaml (all of them; scope is matched per release). */
  freezes?: Freeze[];
  /** Where the freezes came from, for the check's source column. */
  freezesSource?: string;
  authorizedOverriders?: string[];
  /** Check ids a granted emergency override bypasses; default `DEFAULT_EMERGENCY_BYPASSES`. */
  emergencyBypasses?: string[];
}
