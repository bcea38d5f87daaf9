import { describe, expect, it } from 'vitest';
import { parseStepArg, stepResult } from './step-result.js';

describe('step results', () => {
  it.each([
    [0, 'pass'],
    [1, 'fail'],
    [2, 'fail'],
    [137, 'fail'],
  ])('exit code %i is %s', (exitCode, result) => {
    expect(stepResult('build', exitCode)).toEqual({ kind: 'step', name: 'build', exitCode, result });
  });

  it.each([
    ['lint=pass', 'lint', 0, 'pass'],
    ['format=fail', 'format', 1, 'fail'],
    ['golden_path=0', 'golden_path', 0, 'pass'],
    ['e2e=2', 'e2e', 2, 'fail'],
    ['typecheck= PASS ', 'typecheck', 0, 'pass'],
  ])('--step %s', (arg, name, exitCode, result) => {
    expect(parseStepArg(arg)).toEqual({ ok: true, facts: { kind: 'step', name, exitCode, result } });
  });

  it.each(['lint', '=pass', 'lint=maybe', 'lint=256', 'Lint=pass', 'lint=-1'])('rejects --step %s', (arg) => {
    const result = parseStepArg(arg);
    expect(!result.ok && result.error).toMatchObject({ code: 'invalid_field', file: '--step' });
  });
});
