import { describe, it, expect } from 'vitest';
import { compileWindows, defaultWindowDefinitions } from './change-window.js';
import type { WindowDefinition } from './change-window.js';
import { isOpen } from './window-state.js';

function compiled(defs: WindowDefinition[]) {
  const result = compileWindows(defs);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.windows;
}
const at = (iso: string) => Date.parse(iso);
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

describe('default window Mon–Thu 09:00–16:00 across DST switches', () => {
  // Each row: zone, instant (UTC), open?, next change (UTC). The local 09:00 opening moves in UTC
  // by one hour across the switch; the window must follow local time on both sides.
  it.each([
    // America/New_York: EST (UTC−5) until Sun 2026-03-08 02:00, then EDT (UTC−4).
    ['America/New_York', '2026-03-05T13:59:59.999Z', false, '2026-03-05T14:00:00.000Z'], // Thu 08:59:59 EST
    ['America/New_York', '2026-03-05T14:00:00.000Z', true, '2026-03-05T21:00:00.000Z'], // Thu 09:00 EST
    ['America/New_York', '2026-03-05T21:00:00.000Z', false, '2026-03-09T13:00:00.000Z'], // Thu 16:00 EST → Mon 09:00 EDT
    ['America/New_York', '2026-03-08T15:00:00.000Z', false, '2026-03-09T13:00:00.000Z'], // Sunday of the switch
    ['America/New_York', '2026-03-09T12:59:59.999Z', false, '2026-03-09T13:00:00.000Z'], // Mon 08:59:59 EDT
    ['America/New_York', '2026-03-09T13:00:00.000Z', true, '2026-03-09T20:00:00.000Z'], // Mon 09:00 EDT
    ['America/New_York', '2026-03-09T19:59:59.999Z', true, '2026-03-09T20:00:00.000Z'],
    // America/New_York: EDT until Sun 2026-11-01 02:00, then EST.
    ['America/New_York', '2026-10-29T13:00:00.000Z', true, '2026-10-29T20:00:00.000Z'], // Thu 09:00 EDT
    ['America/New_York', '2026-11-01T12:00:00.000Z', false, '2026-11-02T14:00:00.000Z'], // Sunday of the switch
    ['America/New_York', '2026-11-02T13:30:00.000Z', false, '2026-11-02T14:00:00.000Z'], // Mon 08:30 EST
    ['America/New_York', '2026-11-02T14:00:00.000Z', true, '2026-11-02T21:00:00.000Z'], // Mon 09:00 EST
    // Europe/Berlin: CET (UTC+1) until Sun 2026-03-29 02:00, then CEST (UTC+2).
    ['Europe/Berlin', '2026-03-26T08:00:00.000Z', true, '2026-03-26T15:00:00.000Z'], // Thu 09:00 CET
    ['Europe/Berlin', '2026-03-29T10:00:00.000Z', false, '2026-03-30T07:00:00.000Z'], // Sunday of the switch
    ['Europe/Berlin', '2026-03-30T06:59:59.999Z', false, '2026-03-30T07:00:00.000Z'],
    ['Europe/Berlin', '2026-03-30T07:00:00.000Z', true, '2026-03-30T14:00:00.000Z'], // Mon 09:00 CEST
    // Europe/Berlin: CEST until Sun 2026-10-25 03:00, then CET.
    ['Europe/Berlin', '2026-10-22T07:00:00.000Z', true, '2026-10-22T14:00:00.000Z'], // Thu 09:00 CEST
    ['Europe/Berlin', '2026-10-25T12:00:00.000Z', false, '2026-10-26T08:00:00.000Z'], // Sunday of the switch
    ['Europe/Berlin', '2026-10-26T07:30:00.000Z', false, '2026-10-26T08:00:00.000Z'], // Mon 08:30 CET
    ['Europe/Berlin', '2026-10-26T08:00:00.000Z', true, '2026-10-26T15:00:00.000Z'], // Mon 09:00 CET
    // Friday is outside: next opening is Monday.
    ['UTC', '2026-01-09T10:00:00.000Z', false, '2026-01-12T09:00:00.000Z'],
  ])('%s at %s → open=%s, next change %s', (zone, instant, open, next) => {
    const state = isOpen(compiled(defaultWindowDefinitions(zone)), at(instant));
    expect(state.open).toBe(open);
    expect(iso(state.nextChangeMs)).toBe(next);
    expect(state.decidedBy).toEqual(open ? { name: 'weekdays-0900-1600', kind: 'allow' } : null);
  });
});

describe('allow and deny windows', () => {
  const lunchDeny: WindowDefinition = { name: 'lunch', kind: 'deny', schedule: '0 12 * * *', duration: '1h', timeZone: 'Europe/Berlin' };
  const sundayNight: WindowDefinition = { name: 'maintenance', kind: 'deny', schedule: '0 1 * * 0', duration: '2h', timeZone: 'America/New_York' };
  const nightly: WindowDefinition = { name: 'nightly', kind: 'allow', schedule: '0 22 * * *', duration: 'PT4H', timeZone: 'UTC' };

  it.each([
    // instant, windows, open, decidedBy, next change
    ['2026-01-05T10:30:00Z', [lunchDeny], true, null, '2026-01-05T11:00:00.000Z'], // deny starts 12:00 Berlin
    ['2026-01-05T11:00:00Z', [lunchDeny], false, 'lunch', '2026-01-05T12:00:00.000Z'],
    ['2026-01-05T11:30:00Z', [...defaultWindowDefinitions('Europe/Berlin'), lunchDeny], false, 'lunch', '2026-01-05T12:00:00.000Z'],
    ['2026-01-05T12:00:00Z', [...defaultWindowDefinitions('Europe/Berlin'), lunchDeny], true, 'weekdays-0900-1600', '2026-01-05T15:00:00.000Z'],
    ['2026-01-06T01:00:00Z', [nightly], true, 'nightly', '2026-01-06T02:00:00.000Z'], // spans midnight
    ['2026-01-06T02:00:00Z', [nightly], false, null, '2026-01-06T22:00:00.000Z'],
    // A duration is elapsed time: 01:00 EST + 2 h across the spring-forward gap ends at 04:00 EDT.
    ['2026-03-08T07:30:00Z', [sundayNight], false, 'maintenance', '2026-03-08T08:00:00.000Z'],
  ] as const)('at %s', (instant, defs, open, decidedBy, next) => {
    const state = isOpen(compiled([...defs]), at(instant));
    expect(state.open).toBe(open);
    expect(state.decidedBy?.name ?? null).toBe(decidedBy);
    expect(iso(state.nextChangeMs)).toBe(next);
  });

  it('no windows: open, with no next change', () => {
    expect(isOpen([], at('2026-01-05T10:00:00Z'))).toEqual({ open: true, decidedBy: null, reason: 'no change windows configured', nextChangeMs: null });
  });

  it('overlapping occurrences keep a window open without a change', () => {
    const hourly = compiled([{ name: 'always', kind: 'allow', schedule: '0 * * * *', duration: '90m', timeZone: 'UTC' }]);
    const state = isOpen(hourly, at('2026-01-05T10:59:59Z'));
    expect(state.open).toBe(true);
    expect(state.nextChangeMs).toBeNull();
  });
});

describe('compileWindows', () => {
  it.each([
    [{ schedule: 'every day' }, 'schedule'],
    [{ duration: '0h' }, 'duration'],
    [{ duration: 'P1M' }, 'duration'],
    [{ timeZone: 'Mars/Olympus' }, 'timeZone'],
    [{ kind: 'maybe' }, 'kind'],
    [{ name: '' }, 'name'],
  ])('rejects %j naming field %s', (patch, field) => {
    const result = compileWindows([{ ...defaultWindowDefinitions()[0]!, ...(patch as Partial<WindowDefinition>) }]);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => i.field)).toEqual([field]);
  });
});
