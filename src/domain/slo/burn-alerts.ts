/**
 * Multiwindow, multi-burn-rate alerting (the SRE workbook's scheme). A condition fires when the
 * burn rate is above its factor over BOTH its long window (enough budget really burned) and its
 * short window (it is still burning now, so the alert resets quickly once fixed).
 */

import { burnFactor } from './budget.js';
import { DAY_MS, parseDuration } from './duration.js';
import type { BurnAlertCondition } from './types.js';

/** The burn-rate windows Rampart reports and records. */
export const burnWindows = ['5m', '30m', '1h', '2h', '6h', '1d', '3d'] as const;
export type BurnWindow = (typeof burnWindows)[number];

/**
 * The default plan as budget fractions, so factors follow from the period:
 * page: 2 % of the budget in 1 h (short 5 m), 5 % in 6 h (short 30 m);
 * ticket: 10 % in 1 d (short 2 h), 10 % in 3 d (short 6 h).
 * Over 30 d these are the familiar 14.4×, 6×, 3× and 1×.
 */
export const defaultBurnAlertPlan: ReadonlyArray<Omit<BurnAlertCondition, 'factor'> & { budgetFraction: number }> = [
  { severity: 'page', longWindow: '1h', shortWindow: '5m', budgetFraction: 0.02 },
  { severity: 'page', longWindow: '6h', shortWindow: '30m', budgetFraction: 0.05 },
  { severity: 'ticket', longWindow: '1d', shortWindow: '2h', budgetFraction: 0.1 },
  { severity: 'ticket', longWindow: '3d', shortWindow: '6h', budgetFraction: 0.1 },
];

/** The default conditions for a period: factor = budgetFraction × period / longWindow. */
export function defaultBurnAlerts(periodMs: number = 30 * DAY_MS): BurnAlertCondition[] {
  return defaultBurnAlertPlan.map((c) => ({
    ...c,
    factor: burnFactor(c.budgetFraction, periodMs, parseDuration(c.longWindow) as number),
  }));
}

/** What one window says: a burn rate, or why there is none. */
export type WindowBurn =
  | { state: 'measured'; burnRate: number }
  | { state: 'no-data' }
  | { state: 'insufficient-data' };

export type ConditionState = 'firing' | 'ok' | 'no-data' | 'insufficient-data';

export interface ConditionResult {
  condition: BurnAlertCondition;
  state: ConditionState;
  reason: string;
}

/** Overall alert state, worst first: page, ticket, then the two "cannot tell" states, then ok. */
export type AlertState = 'page' | 'ticket' | 'no-data' | 'insufficient-data' | 'ok';

export interface AlertEvaluation {
  state: AlertState;
  conditions: ConditionResult[];
}

function describe(window: string, burn: WindowBurn | undefined): string {
  if (!burn || burn.state === 'no-data') return `${window}: no data`;
  if (burn.state === 'insufficient-data') return `${window}: too few requests`;
  return `${window}: ${round(burn.burnRate)}×`;
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/**
 * Evaluates one condition. Strictly greater than the factor, as the generated Prometheus rules
 * compare (`> factor × budget`), so the domain and Prometheus agree at the boundary.
 */
export function evaluateCondition(
  condition: BurnAlertCondition,
  burns: Readonly<Record<string, WindowBurn>>,
): ConditionResult {
  const long = burns[condition.longWindow];
  const short = burns[condition.shortWindow];
  const text = `${describe(condition.longWindow, long)}, ${describe(condition.shortWindow, short)}; threshold ${condition.factor}×`;
  if (!long || !short || long.state === 'no-data' || short.state === 'no-data') {
    return { condition, state: 'no-data', reason: text };
  }
  if (long.state === 'insufficient-data' || short.state === 'insufficient-data') {
    return { condition, state: 'insufficient-data', reason: text };
  }
  const firing = long.burnRate > condition.factor && short.burnRate > condition.factor;
  return { condition, state: firing ? 'firing' : 'ok', reason: text };
}

/**
 * Evaluates all conditions. A firing page beats a firing ticket; with nothing firing, any
 * condition that could not be judged makes the whole state no-data or insufficient-data:
 * silence from missing data is never reported as ok.
 */
export function evaluateBurnAlerts(
  conditions: readonly BurnAlertCondition[],
  burns: Readonly<Record<string, WindowBurn>>,
): AlertEvaluation {
  const results = conditions.map((c) => evaluateCondition(c, burns));
  const firing = results.filter((r) => r.state === 'firing');
  let state: AlertState = 'ok';
  if (firing.some((r) => r.condition.severity === 'page')) state = 'page';
  else if (firing.length > 0) state = 'ticket';
  else if (results.some((r) => r.state === 'no-data')) state = 'no-data';
  else if (results.some((r) => r.state === 'insufficient-data')) state = 'insufficient-data';
  return { state, conditions: results };
}
