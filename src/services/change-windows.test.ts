import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { createManualClock } from '../platform/clock.js';
import { createChangeWindowService } from './change-windows.js';

const dir = mkdtempSync(join(tmpdir(), 'rampart-windows-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function service(yaml: string, at: string) {
  const r = parseConfig(yaml);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return createChangeWindowService(r.config, createManualClock(Date.parse(at)));
}

describe('change windows and freezes at now', () => {
  // The default window is Mon-Thu 09:00-16:00 in gates.timeZone; 2026-01-05 is a Monday.
  it.each([
    ['Monday 10:00 UTC, default window', '', '2026-01-05T10:00:00Z', true, '2026-01-05T16:00:00.000Z'],
    ['Monday 16:00 UTC (end is exclusive)', '', '2026-01-05T16:00:00Z', false, '2026-01-06T09:00:00.000Z'],
    ['Thursday 17:00 UTC opens on Monday', '', '2026-01-08T17:00:00Z', false, '2026-01-12T09:00:00.000Z'],
    ['Monday 08:30 UTC in Berlin is 09:30 there', 'gates: { timeZone: Europe/Berlin }\n', '2026-01-05T08:30:00Z', true, '2026-01-05T15:00:00.000Z'],
  ])('%s', (_name, yaml, at, open, next) => {
    const s = service(yaml, at).status();
    expect(s).toMatchObject({ at: new Date(at).toISOString(), open, nextChange: next });
    expect(s.windows).toHaveLength(1);
    expect(s.windows[0]).toMatchObject(open ? { activeNow: true, closesAt: next } : { activeNow: false, opensAt: next });
    expect(s.source).toMatch(/^default window/);
  });

  it('a deny window inside an allow window closes it and says which one', () => {
    const yaml = [
      'gates:',
      '  windows:',
      '    - { name: business, kind: allow, schedule: "0 8 * * *", duration: 10h }',
      '    - { name: lunch, kind: deny, schedule: "0 12 * * *", duration: 1h }',
    ].join('\n');
    const s = service(yaml, '2026-01-05T12:30:00Z').status();
    expect(s).toMatchObject({ open: false, reason: 'deny window "lunch" is active', nextChange: '2026-01-05T13:00:00.000Z', source: 'gates.windows' });
    expect(s.windows.map((w) => [w.name, w.activeNow, w.closesAt])).toEqual([['business', true, '2026-01-05T18:00:00.000Z'], ['lunch', true, '2026-01-05T13:00:00.000Z']]);
  });

  it('reads the freezes file and tells in force, upcoming and ended apart', () => {
    const file = join(dir, 'freezes.yaml');
    writeFileSync(file, [
      'freezes:',
      '  - { id: past, start: 2025-12-20T00:00:00Z, end: 2026-01-02T00:00:00Z, reason: Year end }',
      '  - { id: now, start: 2026-01-05T00:00:00Z, end: 2026-01-06T00:00:00Z, reason: Migration, scope: { services: [api] } }',
      '  - { id: later, start: 2026-02-01T00:00:00Z, end: 2026-02-02T00:00:00Z, reason: Audit, scope: { tiers: ["1"] } }',
    ].join('\n'));
    const s = service(`gates: { freezesFile: ${file} }\n`, '2026-01-05T10:00:00Z').status();
    expect(s.freezes.map((f) => [f.id, f.state])).toEqual([['past', 'ended'], ['now', 'in-force'], ['later', 'upcoming']]);
    expect(s.freezes[1]).toMatchObject({ reason: 'Migration', services: ['api'], tiers: [], start: '2026-01-05T00:00:00.000Z', end: '2026-01-06T00:00:00.000Z' });
    expect(s.freezesSource).toBe(file);
  });

  it('with no freezes file there are no freezes, and the source says where they would come from', () => {
    expect(service('', '2026-01-05T10:00:00Z').status()).toMatchObject({ freezes: [], freezesSource: expect.stringMatching(/gates\.freezesFile/) });
  });
});
