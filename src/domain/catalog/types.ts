/** Tier 1 critical path, 2 supporting, 3 internal (the spec's "Service Classification"). */
export type Tier = 1 | 2 | 3;

export const tierNames: Record<Tier, string> = { 1: 'critical path', 2: 'supporting', 3: 'internal' };

/**
 * Deployment strategies of the spec's strategy matrix and tier tables.
 * `canary-with-shadow` is a progressive canary whose canary also receives mirrored traffic.
 */
export const strategies = [
  'progressive-canary',
  'standard-canary',
  'canary-with-shadow',
  'blue-green',
  'rolling',
  'direct',
] as const;
export type Strategy = (typeof strategies)[number];

export type SloWindow = '7d' | '28d' | '30d' | 'calendar-month';

/** A ratio objective: share of good events (requests, writes, jobs) in `target` percent. */
export interface RatioObjective {
  target: number;
}

/** Share of requests faster than `thresholdMs`, in `target` percent (from histogram buckets). */
export interface LatencyObjective {
  thresholdMs: number;
  target: number;
}

export interface Slo {
  availability?: RatioObjective;
  latency?: LatencyObjective;
  durability?: RatioObjective;
  completion?: RatioObjective;
  window: SloWindow;
  /** The spec's "Best effort": no objective, so no error budget and no SLO gate. */
  bestEffort: boolean;
}

/** Per-tier knobs of the release gates; checks themselves live in domain/gates. */
export interface TierGates {
  coverageMin: number;
  releaseCaptainApproval: boolean;
  changeWindow: boolean;
}

export interface TierDefaults {
  strategy: Strategy;
  slo: Slo;
  gates: TierGates;
}

export interface Service {
  /** A name, or a family glob such as `worker-*` that matches `worker-email`. */
  name: string;
  tier: Tier;
  description: string;
  owners: string[];
  /** Absent: the tier's default strategy. */
  strategy?: Strategy;
  /** Absent: the tier's default SLO. */
  slo?: Slo;
}

export interface Catalog {
  services: Service[];
  tiers: Record<Tier, TierDefaults>;
}

/** A service as Rampart applies it: defaults resolved, with the gates that apply. */
export interface ResolvedService {
  name: string;
  /** The catalog entry that matched (differs from `name` for a family member). */
  matchedBy: string;
  tier: Tier;
  tierName: string;
  description: string;
  owners: string[];
  strategy: Strategy;
  slo: Slo;
  gates: AppliedGate[];
}

export type GateName = 'build' | 'quality' | 'security' | 'slo' | 'policy' | 'approval';

export interface AppliedGate {
  gate: GateName;
  applies: boolean;
  checks: string[];
  note?: string;
}
