/** The budget period of an SLO at a given instant. */

import { DateTime } from 'luxon';
import { DAY_MS } from './duration.js';
import type { SloWindow } from './types.js';

export interface BudgetPeriod {
  /** Range measured so far: rolling → the last N days; calendar → month start until now. */
  fromMs: number;
  toMs: number;
  /** Full length of the period the budget is sized for (30 d; or this month's length). */
  lengthMs: number;
}

/**
 * Resolves the period containing `now`. A calendar month is measured from the 1st at 00:00 in
 * its time zone and sized by that month's real length (28–31 days, DST included); an unknown
 * zone falls back to UTC, which the config validator is expected to reject earlier.
 */
export function budgetPeriod(window: SloWindow, now: number): BudgetPeriod {
  if (window.kind === 'rolling') {
    const lengthMs = window.days * DAY_MS;
    return { fromMs: now - lengthMs, toMs: now, lengthMs };
  }
  let at = DateTime.fromMillis(now, { zone: window.timeZone ?? 'UTC' });
  if (!at.isValid) at = DateTime.fromMillis(now, { zone: 'UTC' });
  const start = at.startOf('month');
  const end = start.plus({ months: 1 });
  return { fromMs: start.toMillis(), toMs: now, lengthMs: end.toMillis() - start.toMillis() };
}

/** The period length used to derive alert factors and budget minutes. */
export function periodLengthMs(window: SloWindow, now: number): number {
  return budgetPeriod(window, now).lengthMs;
}
