import type { CompiledWindow, WindowKind } from './change-window.js';
import { activeSpan, nextStart } from './change-window.js';

/** Whether deployments are allowed by the change windows at one instant, and why. */
export interface WindowState {
  open: boolean;
  /** The window that decided, or null when the answer follows from there being no open window. */
  decidedBy: { name: string; kind: WindowKind } | null;
  reason: string;
  /** Epoch ms of the next instant at which `open` flips, or null if it never does within a year. */
  nextChangeMs: number | null;
}

const HORIZON_MS = 400 * 24 * 3600 * 1000;
const MAX_STEPS = 5_000;

/**
 * Decides the windows at `nowMs`: an active deny window closes (deny wins); otherwise, when any
 * allow window exists, one must be active; with no windows at all deployments are open.
 * Start instants are inclusive and end instants exclusive. Pure: the same arguments give the
 * same answer, including `nextChangeMs`, which lets a UI say "opens Monday 09:00".
 */
export function isOpen(windows: readonly CompiledWindow[], nowMs: number): WindowState {
  const here = decideAt(windows, nowMs);
  return { ...here, nextChangeMs: nextChange(windows, nowMs, here.open) };
}

function decideAt(windows: readonly CompiledWindow[], nowMs: number): Omit<WindowState, 'nextChangeMs'> {
  const deny = windows.find((w) => w.definition.kind === 'deny' && activeSpan(w, nowMs));
  if (deny) return { open: false, decidedBy: ref(deny), reason: `deny window "${deny.definition.name}" is active` };
  const allows = windows.filter((w) => w.definition.kind === 'allow');
  if (allows.length === 0) return { open: true, decidedBy: null, reason: 'no change windows configured' };
  const allow = allows.find((w) => activeSpan(w, nowMs));
  if (allow) return { open: true, decidedBy: ref(allow), reason: `allow window "${allow.definition.name}" is open` };
  return { open: false, decidedBy: null, reason: 'outside every allow window' };
}

function nextChange(windows: readonly CompiledWindow[], nowMs: number, openNow: boolean): number | null {
  let t = nowMs;
  for (let step = 0; step < MAX_STEPS && t - nowMs <= HORIZON_MS; step++) {
    // The state can only change where some window starts or ends: visit those instants in order.
    let event = Number.POSITIVE_INFINITY;
    // An active window can only change where its (merged) span ends, an inactive one where it
    // next starts.
    for (const w of windows) {
      const span = activeSpan(w, t);
      const candidate = span ? span.end : nextStart(w, t);
      if (candidate !== null) event = Math.min(event, candidate);
    }
    if (!Number.isFinite(event) || event - nowMs > HORIZON_MS) return null;
    if (decideAt(windows, event).open !== openNow) return event;
    t = event;
  }
  return null;
}

function ref(w: CompiledWindow): { name: string; kind: WindowKind } {
  return { name: w.definition.name, kind: w.definition.kind };
}
