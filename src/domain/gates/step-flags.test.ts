import { describe, it, expect } from 'vitest';
import { emptyEvidence } from './evidence.js';
import { applyStepFlags, parseStepFlag } from './step-flags.js';
import type { StepFlag } from './step-flags.js';

describe('--step flags', () => {
  it.each([
    ['lint=pass', { name: 'lint', outcome: 'pass' }],
    ['golden_path=fail', { name: 'golden_path', outcome: 'fail' }],
    ['build=pass', { name: 'build', outcome: 'pass' }],
    ['e2e=fail', { name: 'e2e', outcome: 'fail' }],
    ['lint=ok', null],
    ['deploy=pass', null],
    ['lint', null],
  ])('%s → %j', (text, expected) => {
    const result = parseStepFlag(text);
    if (expected === null) {
      expect(result).toMatchObject({ ok: false, code: 'STEP_FLAG_INVALID' });
      if (!result.ok) expect(result.message).toContain('typecheck, build, compile, lint, format, e2e, golden_path');
    } else {
      expect(result).toEqual({ ok: true, step: { ...expected, text } });
    }
  });

  it('records steps with their flag as source, without touching the input', () => {
    const before = emptyEvidence();
    const steps = ['build=pass', 'e2e=fail', 'e2e=pass'].map((t) => (parseStepFlag(t) as { ok: true; step: StepFlag }).step);
    const after = applyStepFlags(before, steps);
    expect(after.build.compile).toEqual({ state: 'present', value: { outcome: 'pass' }, source: { kind: 'flag', ref: '--step build=pass' } });
    expect(after.quality.e2e).toEqual({ state: 'present', value: { outcome: 'pass' }, source: { kind: 'flag', ref: '--step e2e=pass' } });
    expect(after.build.lint.state).toBe('missing');
    expect(before.build.compile.state).toBe('missing');
  });
});
