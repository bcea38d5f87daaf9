import { Cron } from 'croner';
import { IANAZone } from 'luxon';
import { parseDurationMs } from './duration.js';

/** An allow window opens deployments; a deny window closes them and wins over any allow window. */
export type WindowKind = 'allow' | 'deny';

/** A recurring window: opens at each `schedule` fire time (cron, in `timeZone`) for `duration`. */
export interface WindowDefinition {
  name: string;
  kind: WindowKind;
  /** Five- or six-field cron expression, read in `timeZone` (so 09:00 stays 09:00 across DST). */
  schedule: string;
  /** ISO 8601 (`PT7H`) or shorthand (`7h`, `1h30m`). */
  duration: string;
  /** IANA time zone name, e.g. `Europe/Berlin`. */
  timeZone: string;
}

export interface CompiledWindow {
  readonly definition: WindowDefinition;
  readonly durationMs: number;
  readonly cron: Cron;
}

export interface WindowIssue {
  code: 'WINDOW_INVALID';
  /** Index of the window in the list given to `compileWindows`. */
  index: number;
  field: 'name' | 'kind' | 'schedule' | 'duration' | 'timeZone';
  message: string;
}

export type CompileWindowsResult =
  | { ok: true; windows: readonly CompiledWindow[] }
  | { ok: false; issues: readonly WindowIssue[] };

/** The spec's change window (Gate 6): Monday–Thursday, 09:00–16:00 local time in `timeZone`. */
export function defaultWindowDefinitions(timeZone = 'UTC'): WindowDefinition[] {
  return [{ name: 'weekdays-0900-1600', kind: 'allow', schedule: '0 9 * * 1-4', duration: 'PT7H', timeZone }];
}

/**
 * Validates and prepares window definitions. Every problem is reported (not only the first), each
 * naming the window's index and field. Never throws.
 */
export function compileWindows(definitions: readonly WindowDefinition[]): CompileWindowsResult {
  const issues: WindowIssue[] = [];
  const windows: CompiledWindow[] = [];
  definitions.forEach((definition, index) => {
    const issue = (field: WindowIssue['field'], message: string) =>
      issues.push({ code: 'WINDOW_INVALID', index, field, message: `window ${index} (${definition.name || 'unnamed'}): ${message}` });
    if (!definition.name) issue('name', 'name is required');
    if (definition.kind !== 'allow' && definition.kind !== 'deny') issue('kind', `kind must be "allow" or "deny", got ${JSON.stringify(definition.kind)}`);
    const durationMs = parseDurationMs(definition.duration ?? '');
    if (durationMs === null) issue('duration', `duration ${JSON.stringify(definition.duration)} is not a positive ISO 8601 duration (PT7H) or shorthand (7h, 90m)`);
    const zoneOk = typeof definition.timeZone === 'string' && IANAZone.isValidZone(definition.timeZone);
    if (!zoneOk) issue('timeZone', `time zone ${JSON.stringify(definition.timeZone)} is not an IANA zone name such as "Europe/Berlin"`);
    let cron: Cron | undefined;
    try {
      // No callback is given, so croner schedules nothing: the object is a pure pattern.
      cron = new Cron(definition.schedule, zoneOk ? { timezone: definition.timeZone } : {});
    } catch (error) {
      issue('schedule', `schedule ${JSON.stringify(definition.schedule)} is not a valid cron expression: ${(error as Error).message}`);
    }
    if (cron && durationMs !== null && zoneOk) windows.push({ definition, durationMs, cron });
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, windows };
}

const MAX_CHAIN = 500;

/** When a window is active at an instant: the occurrence that covers it and when coverage ends
 * (`Infinity` for a window whose occurrences chain without a gap). */
export function activeSpan(window: CompiledWindow, nowMs: number): { start: number; end: number } | null {
  // previousRuns excludes a run exactly at the reference, so look from 1 ms later: start is inclusive.
  const latest = window.cron.previousRuns(1, new Date(nowMs + 1))[0];
  if (!latest) return null;
  const start = latest.getTime();
  let end = start + window.durationMs;
  if (nowMs >= end) return null;
  // Occurrences that begin before this one ends extend it. A chain of more than MAX_CHAIN
  // overlapping occurrences (hourly, 90 minutes long) is taken as never closing: following it
  // further would cost time for no practical difference.
  let next = window.cron.nextRun(new Date(nowMs));
  for (let i = 0; next && next.getTime() <= end; i++) {
    if (i >= MAX_CHAIN) return { start, end: Number.POSITIVE_INFINITY };
    end = Math.max(end, next.getTime() + window.durationMs);
    next = window.cron.nextRun(next);
  }
  return { start, end };
}

/** Next instant strictly after `nowMs` at which the window begins an occurrence, or null if never. */
export function nextStart(window: CompiledWindow, nowMs: number): number | null {
  return window.cron.nextRun(new Date(nowMs))?.getTime() ?? null;
}
