/**
 * Budget status of one SLO at one instant: period budget, burn rate per window, alert state,
 * time to exhaustion. Pure: counts come from a `CountsSource`, time from `now`.
 */

import { budgetRemaining, budgetTotal, burnRate, errorRatio, timeToExhaustion } from './budget.js';
import { burnWindows, defaultBurnAlerts, evaluateBurnAlerts } from './burn-alerts.js';
import type { AlertEvaluation, WindowBurn } from './burn-alerts.js';
import type { CountsSource, WindowCounts } from './counts.js';
import { parseDuration } from './duration.js';
import { budgetPeriod } from './period.js';
import { bandFor } from './policy.js';
import type { BudgetBand } from './policy.js';
import type { SloDefinition } from './types.js';

export interface StatusOptions {
  /**
   * Fewer requests than this in a window make that window `insufficient-data` (default 10):
   * a handful of requests cannot show a 0.1 % error ratio either way.
   */
  minRequests?: number;
  /** Window whose burn rate drives the exhaustion estimate (default `1h`). */
  exhaustionWindow?: string;
}

export interface WindowStatus {
  window: string;
  counts: WindowCounts;
  burn: WindowBurn;
  errorRatio?: number;
}

/**
 * - `measured`: enough requests in the period; budget fields are set;
 * - `insufficient-data`: some requests, fewer than `minRequests`; budget fields are absent;
 * - `no-data`: no sample at all in the period.
 */
export type BudgetState = 'measured' | 'insufficient-data' | 'no-data';

export interface SloStatus {
  service: string;
  slo: string;
  objectivePercent: number;
  period: { fromMs: number; toMs: number; lengthMs: number };
  state: BudgetState;
  counts: WindowCounts;
  /** The period's allowance: a request ratio and minutes of full outage. */
  budget: { ratio: number; minutes: number };
  errorRatio?: number;
  /** Share of the budget spent (can exceed 1). */
  consumed?: number;
  /** 1 − consumed; negative once overspent. */
  remaining?: number;
  /** The deployment-policy band for `remaining`; absent without enough data (never assume normal). */
  band?: BudgetBand;
  /** Remaining minutes of full outage (remaining × budget minutes; negative once overspent). */
  remainingMinutes?: number;
  windows: WindowStatus[];
  alerts: AlertEvaluation;
  /** At the `exhaustionWindow` burn rate; Infinity when nothing burns, 0 when already spent. */
  exhaustion?: { window: string; burnRate: number; ms: number };
}

function judgeWindow(counts: WindowCounts, objective: number, minRequests: number): { burn: WindowBurn; ratio?: number } {
  if (counts.samples === 0) return { burn: { state: 'no-data' } };
  if (counts.total < minRequests || counts.total === 0) return { burn: { state: 'insufficient-data' } };
  const ratio = errorRatio(counts) as number;
  return { burn: { state: 'measured', burnRate: burnRate(ratio, objective) }, ratio };
}

/**
 * Computes the status. Cost: one `countsOver` per burn window plus one for the period and one
 * per distinct alert window, so a prefix-sum or aggregate source makes it O(1) per SLO.
 */
export function computeStatus(slo: SloDefinition, source: CountsSource, now: number, options: StatusOptions = {}): SloStatus {
  const minRequests = options.minRequests ?? 10;
  const period = budgetPeriod(slo.window, now);
  const alerts = slo.alerts ?? defaultBurnAlerts(period.lengthMs);
  const names = new Set<string>(burnWindows);
  for (const c of alerts) names.add(c.longWindow).add(c.shortWindow);

  const windows: WindowStatus[] = [];
  const burns: Record<string, WindowBurn> = {};
  for (const window of names) {
    const ms = parseDuration(window);
    if (ms === undefined) {
      burns[window] = { state: 'no-data' };
      continue;
    }
    const counts = source.countsOver({ fromMs: now - ms, toMs: now });
    const judged = judgeWindow(counts, slo.objectivePercent, minRequests);
    burns[window] = judged.burn;
    windows.push({ window, counts, burn: judged.burn, ...(judged.ratio === undefined ? {} : { errorRatio: judged.ratio }) });
  }

  const counts = source.countsOver({ fromMs: period.fromMs, toMs: period.toMs });
  const budget = budgetTotal(slo.objectivePercent, period.lengthMs);
  const base = {
    service: slo.service,
    slo: slo.name,
    objectivePercent: slo.objectivePercent,
    period,
    counts,
    budget,
    windows,
    alerts: evaluateBurnAlerts(alerts, burns),
  };
  if (counts.samples === 0) return { ...base, state: 'no-data' };
  if (counts.total < minRequests || counts.total === 0) return { ...base, state: 'insufficient-data' };

  const ratio = errorRatio(counts) as number;
  const remaining = budgetRemaining(ratio, slo.objectivePercent);
  const status: SloStatus = {
    ...base,
    state: 'measured',
    errorRatio: ratio,
    consumed: 1 - remaining,
    remaining,
    band: bandFor(remaining),
    remainingMinutes: remaining * budget.minutes,
  };
  const exhaustionWindow = options.exhaustionWindow ?? '1h';
  const burn = burns[exhaustionWindow];
  if (burn?.state === 'measured') {
    status.exhaustion = {
      window: exhaustionWindow,
      burnRate: burn.burnRate,
      ms: timeToExhaustion(burn.burnRate, period.lengthMs, remaining),
    };
  }
  return status;
}
