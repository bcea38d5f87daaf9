import type { Freeze } from '../windows/freezes.js';
import type { WindowState } from '../windows/window-state.js';
import type { CheckResult, GateResult } from './check.js';
import { derivedCheck, gateOf, judgeFact } from './check.js';
import type { Evidence, EvidenceSource } from './evidence.js';

export interface ApprovalContext {
  /** The change-window decision at the release instant, or the configuration error that prevented it. */
  window: WindowState | { error: string };
  windowSource: EvidenceSource;
  /** Freezes covering this service that are in force at the release instant. */
  activeFreezes: readonly Freeze[];
  freezeSource: EvidenceSource;
}

/** Gate 6 (spec "Approval Gates"): release captain approval, change window open, no freeze. */
export function approvalGate(evidence: Evidence, ctx: ApprovalContext): GateResult {
  const checks: CheckResult[] = [
    judgeFact('approval', 'release_captain', 'approved', evidence.approval.releaseCaptain, (a) => ({
      result: 'pass', value: a.approver, detail: `approved by ${a.approver}${a.approvedAt ? ` at ${a.approvedAt}` : ''}`,
    })),
    windowCheck(ctx),
    derivedCheck('approval', 'freeze', 'no freeze in force', ctx.freezeSource, ctx.activeFreezes.length === 0
      ? { result: 'pass', value: 'none', detail: 'no freeze in force for this service' }
      : { result: 'fail', value: ctx.activeFreezes.map((f) => f.id).join(', '), detail: ctx.activeFreezes.map((f) => `${f.id}: ${f.reason} (until ${new Date(f.endMs).toISOString()})`).join('; ') }),
  ];
  return gateOf('approval', checks);
}

function windowCheck(ctx: ApprovalContext): CheckResult {
  const w = ctx.window;
  if ('error' in w) {
    const check = derivedCheck('approval', 'change_window', 'open', ctx.windowSource, { result: 'fail', value: null, detail: w.error });
    // Misconfigured windows are unreadable evidence, not a closed window.
    return { ...check, result: 'missing' };
  }
  const next = w.nextChangeMs === null ? '' : ` (${w.open ? 'closes' : 'opens'} ${new Date(w.nextChangeMs).toISOString()})`;
  return derivedCheck('approval', 'change_window', 'open', ctx.windowSource, {
    result: w.open ? 'pass' : 'fail', value: w.open ? 'open' : 'closed', detail: `${w.reason}${next}`,
  });
}
