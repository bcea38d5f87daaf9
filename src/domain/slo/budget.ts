/**
 * Error budget arithmetic on request counts. All ratios are 0..1; an objective is a percent.
 *
 *   errorRatio  = (total − good) / total
 *   burnRate    = errorRatio / (1 − SLO)
 *   consumed    = period errorRatio / (1 − SLO)          (share of the period's budget spent)
 *   remaining   = 1 − consumed                           (negative once overspent)
 *   exhaustion  = remaining × period / burnRate           (at 14.4× a full 30 d budget: 50 h)
 */

import type { WindowCounts } from './counts.js';
import { budgetRatio } from './types.js';
import { MINUTE_MS } from './duration.js';

/** Error ratio of a window; undefined when the window saw no requests (0/0 is not a pass). */
export function errorRatio(counts: Pick<WindowCounts, 'good' | 'total'>): number | undefined {
  if (!(counts.total > 0)) return undefined;
  // Good can exceed total by a few when the two counters are scraped apart; clamp, never go negative.
  const bad = Math.max(0, counts.total - counts.good);
  return Math.min(1, bad / counts.total);
}

/** How many times faster than sustainable the budget burns at this error ratio. */
export function burnRate(ratio: number, objectivePercent: number): number {
  return ratio / budgetRatio(objectivePercent);
}

/** Budget of a period as a ratio of requests and as minutes of full outage. 99.9 % over 30 d: 43.2 min. */
export function budgetTotal(objectivePercent: number, periodMs: number): { ratio: number; minutes: number } {
  const ratio = budgetRatio(objectivePercent);
  // Rounded to the nanominute so 0.001 × 43200 prints 43.2.
  return { ratio, minutes: Number(((ratio * periodMs) / MINUTE_MS).toFixed(9)) };
}

/** Share of the period's budget consumed by the period's error ratio (can exceed 1). */
export function budgetConsumed(periodErrorRatio: number, objectivePercent: number): number {
  return burnRate(periodErrorRatio, objectivePercent);
}

/** 1 − consumed: 1 is untouched, 0 is spent, negative is overspent. */
export function budgetRemaining(periodErrorRatio: number, objectivePercent: number): number {
  return 1 - budgetConsumed(periodErrorRatio, objectivePercent);
}

/**
 * Time until the remaining budget is gone at a constant burn rate, in ms.
 * Infinity when nothing burns; 0 when the budget is already spent.
 * With the whole budget left this is period / burnRate: 30 d at 1×, 15 d at 2×, 5 d at 6×, 50 h at 14.4×.
 */
export function timeToExhaustion(rate: number, periodMs: number, remaining = 1): number {
  if (remaining <= 0) return 0;
  if (!(rate > 0)) return Number.POSITIVE_INFINITY;
  return (remaining * periodMs) / rate;
}

/**
 * The burn-rate factor that spends `budgetFraction` of a period's budget within `longWindowMs`:
 * factor = budgetFraction × period / longWindow. 2 % in 1 h over 30 d gives 14.4.
 */
export function burnFactor(budgetFraction: number, periodMs: number, longWindowMs: number): number {
  // Rounded to 9 digits: factors are thresholds people read (14.4, not 14.399999999999999).
  return Number(((budgetFraction * periodMs) / longWindowMs).toFixed(9));
}
