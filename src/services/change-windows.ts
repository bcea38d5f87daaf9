import { readFileSync } from 'node:fs';
import type { RampartConfig } from '../config/load.js';
import { type Freeze, activeSpan, compileWindows, defaultWindowDefinitions, freezeInForce, isOpen, nextStart, parseFreezes } from '../domain/windows/index.js';
import type { Clock } from '../platform/clock.js';
import { RampartError } from '../platform/errors.js';

export interface WindowView {
  name: string;
  kind: 'allow' | 'deny';
  schedule: string;
  duration: string;
  timeZone: string;
  /** Whether one of this window's occurrences covers now. */
  activeNow: boolean;
  /** When the current occurrence ends (null: it chains without end); set only while active. */
  closesAt?: string | null;
  /** When the next occurrence starts (null: never within the schedule); set only while inactive. */
  opensAt?: string | null;
}

export interface FreezeView {
  id: string;
  reason: string;
  start: string;
  end: string;
  /** Empty with `tiers` empty: every service. */
  services: readonly string[];
  tiers: readonly string[];
  state: 'in-force' | 'upcoming' | 'ended';
}

export interface ChangeWindowsView {
  at: string;
  /** What the approval gate would read now: open or closed, why, and when that flips. */
  open: boolean;
  reason: string;
  nextChange: string | null;
  /** `windows` from gates.windows, or the spec's default Mon-Thu 09:00-16:00 in gates.timeZone. */
  source: string;
  windows: WindowView[];
  freezes: FreezeView[];
  freezesSource: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

/**
 * The change windows and freezes the release gates apply, as they stand at the clock's now.
 * Windows and freezes are read once, here, as the gates read them at start-up; a bad definition
 * throws CONFIG_INVALID naming the field (start-up has already refused such a config).
 */
export function createChangeWindowService(config: RampartConfig, clock: Clock) {
  const g = config.gates;
  const definitions = g.windows ?? defaultWindowDefinitions(g.timeZone);
  const compiled = compileWindows(definitions);
  if (!compiled.ok) throw new RampartError('CONFIG_INVALID', `gates.windows: ${compiled.issues.map((i) => i.message).join('; ')}`);
  let freezes: readonly Freeze[] = [];
  if (g.freezesFile) {
    const parsed = parseFreezes(readFileSync(g.freezesFile, 'utf8'), g.freezesFile);
    if (!parsed.ok) throw new RampartError('CONFIG_INVALID', `freezes file ${g.freezesFile}: ${parsed.issues.map((i) => i.message).join('; ')}`);
    freezes = parsed.freezes;
  }
  const source = g.windows ? 'gates.windows' : `default window (Mon-Thu 09:00-16:00 ${g.timeZone})`;

  return {
    /** Pure reading of the configuration at now; idempotent. */
    status(): ChangeWindowsView {
      const now = clock.now();
      const state = isOpen(compiled.windows, now);
      return {
        at: iso(now),
        open: state.open,
        reason: state.reason,
        nextChange: state.nextChangeMs === null ? null : iso(state.nextChangeMs),
        source,
        windows: compiled.windows.map((w) => {
          const span = activeSpan(w, now);
          const d = w.definition;
          const base = { name: d.name, kind: d.kind, schedule: d.schedule, duration: d.duration, timeZone: d.timeZone };
          if (span) return { ...base, activeNow: true, closesAt: Number.isFinite(span.end) ? iso(span.end) : null };
          const next = nextStart(w, now);
          return { ...base, activeNow: false, opensAt: next === null ? null : iso(next) };
        }),
        freezes: freezes.map((f) => ({
          id: f.id, reason: f.reason, start: iso(f.startMs), end: iso(f.endMs), services: f.services, tiers: f.tiers,
          state: freezeInForce(f, now) ? 'in-force' : now < f.startMs ? 'upcoming' : 'ended',
        })),
        freezesSource: g.freezesFile ?? 'no freezes file configured (gates.freezesFile)',
      };
    },
  };
}

export type ChangeWindowService = ReturnType<typeof createChangeWindowService>;
