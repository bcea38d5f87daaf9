import { describe, it, expect } from 'vitest';
import type { Freeze } from '../windows/freezes.js';
import type { WindowState } from '../windows/window-state.js';
import { approvalGate } from './approval-gate.js';
import type { ApprovalContext } from './approval-gate.js';
import { missing } from './evidence.js';
import { passingEvidence } from './test-fixtures.js';

const open: WindowState = { open: true, decidedBy: { name: 'weekdays', kind: 'allow' }, reason: 'allow window "weekdays" is open', nextChangeMs: Date.parse('2026-01-05T16:00:00Z') };
const closed: WindowState = { open: false, decidedBy: null, reason: 'outside every allow window', nextChangeMs: Date.parse('2026-01-12T09:00:00Z') };
const freeze: Freeze = { id: 'year-end', startMs: 0, endMs: Date.parse('2027-01-04T00:00:00Z'), reason: 'Year-end freeze', services: [], tiers: [] };

function ctx(window: ApprovalContext['window'], activeFreezes: Freeze[] = []): ApprovalContext {
  return { window, windowSource: { kind: 'config', ref: 'windows' }, activeFreezes, freezeSource: { kind: 'file', ref: 'deployment_freezes.yaml' } };
}

describe('approval gate (spec Gate 6)', () => {
  it.each([
    // captain approved, window, freezes, expected [release_captain, change_window, freeze], gate passes
    [true, open, [], ['pass', 'pass', 'pass'], true],
    [false, open, [], ['missing', 'pass', 'pass'], false],
    [true, closed, [], ['pass', 'fail', 'pass'], false],
    [true, { error: 'window 0: bad schedule' }, [], ['pass', 'missing', 'pass'], false],
    [true, open, [freeze], ['pass', 'pass', 'fail'], false],
  ] as const)('captain %s, window %j, freezes %j → %j', (approved, window, freezes, results, passes) => {
    const evidence = passingEvidence();
    if (!approved) evidence.approval.releaseCaptain = missing('no release-captain approval recorded');
    const gate = approvalGate(evidence, ctx(window, [...freezes]));
    expect(gate.checks.map((c) => c.result)).toEqual(results);
    expect(gate.passed).toBe(passes);
  });

  it('tells when the window changes and which freeze blocks', () => {
    const gate = approvalGate(passingEvidence(), ctx(closed, [freeze]));
    expect(gate.checks[0]).toMatchObject({ id: 'approval.release_captain', value: 'carol', source: 'api:/api/v1/releases/r1/approvals' });
    expect(gate.checks[1]).toMatchObject({ value: 'closed', detail: 'outside every allow window (opens 2026-01-12T09:00:00.000Z)', source: 'config:windows' });
    expect(gate.checks[2]).toMatchObject({ value: 'year-end', detail: 'year-end: Year-end freeze (until 2027-01-04T00:00:00.000Z)', source: 'file:deployment_freezes.yaml' });
  });
});
