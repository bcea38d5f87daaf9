import type { AnomalyRule } from './rules.js';
import type { AnomalySignal } from './signal.js';

/** inactive → pending (condition true) → firing (held for `for`) → resolved (condition false) → inactive. */
export type AlertPhase = 'inactive' | 'pending' | 'firing';

export interface AlertState {
  phase: AlertPhase;
  /** When the condition became true (pending and firing). */
  activeSince?: number;
  /** When it fired. */
  firedAt?: number;
}

export type AlertTransition = 'pending' | 'firing' | 'resolved' | 'cleared';

/**
 * One evaluation of an alert, as Prometheus' rule manager does it: the condition must hold at
 * every evaluation for `forSeconds` before the alert fires; one evaluation without it resets a
 * pending alert and resolves a firing one. Returns the new state and the transition, if any. Pure.
 */
export function stepAlert(state: AlertState, signal: Pick<AnomalySignal, 'active'>, rule: Pick<AnomalyRule, 'forSeconds'>, now: number): { state: AlertState; transition?: AlertTransition } {
  if (!signal.active) {
    if (state.phase === 'firing') return { state: { phase: 'inactive' }, transition: 'resolved' };
    if (state.phase === 'pending') return { state: { phase: 'inactive' }, transition: 'cleared' };
    return { state };
  }
  if (state.phase === 'inactive') {
    // A zero `for` fires at once, as Prometheus does.
    if (rule.forSeconds <= 0) return { state: { phase: 'firing', activeSince: now, firedAt: now }, transition: 'firing' };
    return { state: { phase: 'pending', activeSince: now }, transition: 'pending' };
  }
  if (state.phase === 'pending' && now - (state.activeSince ?? now) >= rule.forSeconds * 1000) {
    return { state: { ...state, phase: 'firing', firedAt: now }, transition: 'firing' };
  }
  return { state };
}
