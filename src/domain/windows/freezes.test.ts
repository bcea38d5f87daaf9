import { describe, it, expect } from 'vitest';
import { activeFreezes, freezeApplies, parseFreezes } from './freezes.js';
import type { Freeze } from './freezes.js';

const FILE = `# deployment_freezes.yaml
freezes:
  - id: year-end
    start: 2026-12-20T00:00:00Z
    end: 2027-01-04T00:00:00Z
    reason: Year-end freeze
  - id: api-migration
    start: 2026-06-01T09:00:00
    end: 2026-06-01T17:00:00
    timeZone: Europe/Berlin
    reason: Database migration
    scope:
      services: [api, "worker-*"]
      tiers: ["1"]
`;

describe('parseFreezes', () => {
  it('reads freezes with offsets or a time zone', () => {
    const result = parseFreezes(FILE);
    expect(result).toEqual({
      ok: true,
      freezes: [
        { id: 'year-end', startMs: Date.parse('2026-12-20T00:00:00Z'), endMs: Date.parse('2027-01-04T00:00:00Z'), reason: 'Year-end freeze', services: [], tiers: [] },
        { id: 'api-migration', startMs: Date.parse('2026-06-01T07:00:00Z'), endMs: Date.parse('2026-06-01T15:00:00Z'), reason: 'Database migration', services: ['api', 'worker-*'], tiers: ['1'] },
      ],
    });
  });

  it.each([
    ['', []],
    ['freezes: []', []],
    ['[]', []],
  ])('empty document %j has no freezes', (content, expected) => {
    expect(parseFreezes(content)).toEqual({ ok: true, freezes: expected });
  });

  it.each([
    // content, line, field, part of the message
    ['freezes:\n  - start: 2026-01-01T00:00:00Z\n    end: 2026-01-02T00:00:00Z\n', 2, 'freezes[0].reason', 'reason is required'],
    ['freezes:\n  - reason: x\n    start: 2026-01-01T00:00:00\n    end: 2026-01-02T00:00:00Z\n', 3, 'freezes[0].start', 'no UTC offset'],
    ['freezes:\n  - reason: x\n    start: 2026-01-02T00:00:00Z\n    end: 2026-01-01T00:00:00Z\n', 4, 'freezes[0].end', 'end must be after start'],
    ['freezes:\n  - reason: x\n    start: yesterday\n    end: 2026-01-01T00:00:00Z\n', 3, 'freezes[0].start', 'no UTC offset'],
    ['freezes:\n  - reason: x\n    start: 2026-13-01T00:00:00Z\n    end: 2027-01-01T00:00:00Z\n', 3, 'freezes[0].start', 'not an ISO 8601'],
    ['freezes:\n  - reason: x\n    start: 2026-01-01T00:00:00Z\n    end: 2027-01-01T00:00:00Z\n    sevrices: [api]\n', 5, 'freezes[0].sevrices', 'unknown field'],
    ['freezes:\n  - reason: x\n    start: 2026-01-01T00:00:00Z\n    end: 2027-01-01T00:00:00Z\n    scope: { services: api }\n', 5, 'freezes[0].scope.services', 'list of names'],
    ['freezes: {a: 1}\n', 1, 'freezes', 'must be a list'],
    ['freezes:\n  - [unclosed\n', 3, '(syntax)', 'YAML syntax error'],
  ])('reports line and field: case %#', (content, line, field, text) => {
    const result = parseFreezes(content, 'ops/deployment_freezes.yaml');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const issue = result.issues[0]!;
    expect(issue).toMatchObject({ code: 'FREEZE_INVALID', file: 'ops/deployment_freezes.yaml', line, field });
    expect(issue.message).toContain(text);
    expect(issue.message).toContain(`ops/deployment_freezes.yaml:${line}`);
  });
});

describe('freeze scope and time', () => {
  const base: Freeze = { id: 'f', startMs: 1_000, endMs: 2_000, reason: 'r', services: [], tiers: [] };
  it.each([
    [[], [], 'api', undefined, true],
    [['api'], [], 'api', undefined, true],
    [['api'], [], 'api-gateway', undefined, false],
    [['worker-*'], [], 'worker-email', undefined, true],
    [['worker-*'], [], 'worker', undefined, false],
    [['api'], ['1'], 'copilot', '1', true],
    [['api'], ['1'], 'copilot', '2', false],
    [[], ['2'], 'conductor', undefined, false],
  ])('services %j tiers %j covers %s (tier %s): %s', (services, tiers, service, tier, expected) => {
    expect(freezeApplies({ ...base, services, tiers }, { service, tier })).toBe(expected);
  });

  it.each([
    [999, false],
    [1_000, true], // start inclusive
    [1_999, true],
    [2_000, false], // end exclusive
  ])('at %d in force: %s', (now, expected) => {
    expect(activeFreezes([base], { service: 'api' }, now).length === 1).toBe(expected);
  });
});
