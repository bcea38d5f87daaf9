import { normalQuantile, normalUpperTail } from './normal.js';

/**
 * One-sided Mann–Whitney U test of "canary latencies tend to be larger than stable's", with
 * the normal approximation, tie correction and continuity correction, plus effect sizes.
 *
 * U_c counts pairs (canary, stable) where the canary value is larger, ties counting one half:
 *     U_c = R_c − n_c(n_c + 1)/2,    R_c = sum of the canary's mid-ranks in the pooled sample.
 * Under H0 (same distribution) E[U] = n_c·n_s/2 and, with tie groups of sizes t,
 *     Var[U] = n_c·n_s/12 · ((n + 1) − Σ(t³ − t) / (n(n − 1))),   n = n_c + n_s.
 * z = (U_c − E[U] − 0.5) / √Var, p = P(Z > z).
 * Effect sizes: common-language effect CL = U_c/(n_c·n_s) = P(canary > stable) (+ half ties),
 * and Cliff's delta δ = 2·CL − 1 = P(canary > stable) − P(canary < stable), in [−1, 1].
 */
export interface MannWhitneyResult {
  readonly u: number;
  readonly z: number;
  readonly pValue: number;
  readonly commonLanguage: number;
  readonly cliffsDelta: number;
  readonly canarySamples: number;
  readonly stableSamples: number;
}

export function mannWhitneyGreater(canary: readonly number[], stable: readonly number[]): MannWhitneyResult {
  const nC = canary.length;
  const nS = stable.length;
  const pooled = [...canary.map((v) => ({ v, c: true })), ...stable.map((v) => ({ v, c: false }))].sort((a, b) => a.v - b.v);
  const n = pooled.length;
  let rankSum = 0;
  let tieTerm = 0;
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && pooled[j + 1]!.v === pooled[i]!.v) j++;
    const t = j - i + 1;
    const midRank = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) if (pooled[k]!.c) rankSum += midRank;
    tieTerm += t * t * t - t;
    i = j + 1;
  }
  const u = rankSum - (nC * (nC + 1)) / 2;
  const pairs = nC * nS;
  const mean = pairs / 2;
  const variance = n > 1 ? (pairs / 12) * (n + 1 - tieTerm / (n * (n - 1))) : 0;
  const z = variance > 0 ? (u - mean - 0.5) / Math.sqrt(variance) : 0;
  const commonLanguage = pairs > 0 ? u / pairs : 0.5;
  return { u, z, pValue: variance > 0 ? normalUpperTail(z) : 1, commonLanguage, cliffsDelta: 2 * commonLanguage - 1, canarySamples: nC, stableSamples: nS };
}

export interface LatencyTestConfig {
  /** Significance level for one look. Default 0.01. */
  readonly alpha: number;
  /**
   * Planned number of looks (analysis measurements). The test runs at α/looks at each look
   * (Bonferroni), so the false-abort rate over all looks stays below α. Default 1.
   */
  readonly looks: number;
  /** Smallest Cliff's delta that counts as a regression (0.147 small, 0.33 medium). Default 0.147. */
  readonly minEffect: number;
  /** Minimum samples in each group before any decision. Default 30. */
  readonly minSamples: number;
}

export const DEFAULT_LATENCY_TEST: LatencyTestConfig = Object.freeze({ alpha: 0.01, looks: 1, minEffect: 0.147, minSamples: 30 });

export interface LatencyVerdict {
  readonly decision: 'fail' | 'pass' | 'inconclusive';
  readonly statistic: MannWhitneyResult;
  /** The z the statistic had to reach, the per-look α, and the effect floor. */
  readonly boundary: { readonly zCritical: number; readonly alphaPerLook: number; readonly minEffect: number; readonly minSamples: number };
  readonly message: string;
}

/**
 * Judges canary latency against stable: fail only when the difference is significant at the
 * per-look level AND the effect is at least `minEffect` (a significant but negligible shift is
 * not a regression); inconclusive below `minSamples` in either group; pass otherwise.
 */
export function judgeLatency(canary: readonly number[], stable: readonly number[], config: LatencyTestConfig = DEFAULT_LATENCY_TEST): LatencyVerdict {
  const statistic = mannWhitneyGreater(canary, stable);
  const alphaPerLook = config.alpha / Math.max(1, config.looks);
  const boundary = { zCritical: normalQuantile(1 - alphaPerLook), alphaPerLook, minEffect: config.minEffect, minSamples: config.minSamples };
  const counts = `${statistic.canarySamples} canary vs ${statistic.stableSamples} stable samples`;
  if (statistic.canarySamples < config.minSamples || statistic.stableSamples < config.minSamples) {
    return { decision: 'inconclusive', statistic, boundary, message: `latency: too few samples (${counts}; need ${config.minSamples} each)` };
  }
  const stats = `z = ${statistic.z.toFixed(2)} (critical ${boundary.zCritical.toFixed(2)}), p = ${statistic.pValue.toPrecision(3)}, Cliff's delta = ${statistic.cliffsDelta.toFixed(3)} (min ${config.minEffect})`;
  if (statistic.z >= boundary.zCritical && statistic.cliffsDelta >= config.minEffect) {
    return { decision: 'fail', statistic, boundary, message: `latency: canary slower than stable, ${stats}, ${counts}` };
  }
  return { decision: 'pass', statistic, boundary, message: `latency: no regression shown, ${stats}, ${counts}` };
}
