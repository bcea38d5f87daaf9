import type { Evidence, StepOutcome } from './evidence.js';
import { present } from './evidence.js';

/** Steps that leave no report, so their result is given as `--step NAME=pass|fail`. */
export const STEP_NAMES = ['typecheck', 'build', 'compile', 'lint', 'format', 'e2e', 'golden_path'] as const;
export type StepName = (typeof STEP_NAMES)[number];

export type StepFlag = { name: StepName; outcome: StepOutcome; text: string };

/**
 * Parses one `--step` value (`lint=pass`). `build` and `compile` name the same step (the spec's
 * Gate 1 calls it build). Returns an error naming the accepted values instead of throwing.
 */
export function parseStepFlag(text: string): { ok: true; step: StepFlag } | { ok: false; code: 'STEP_FLAG_INVALID'; message: string } {
  const match = /^([a-z0-9_]+)=(pass|fail)$/.exec(text.trim());
  const name = match?.[1];
  if (!match || !name || !(STEP_NAMES as readonly string[]).includes(name)) {
    return { ok: false, code: 'STEP_FLAG_INVALID', message: `--step ${JSON.stringify(text)}: expected NAME=pass|fail with NAME one of ${STEP_NAMES.join(', ')}` };
  }
  return { ok: true, step: { name: name as StepName, outcome: match[2] as StepOutcome, text } };
}

/**
 * Returns a copy of the evidence with the steps recorded (source `flag:--step …`). A flag replaces
 * what a report said for the same step: it is the more explicit statement. Later flags win.
 */
export function applyStepFlags(evidence: Evidence, steps: readonly StepFlag[]): Evidence {
  const next: Evidence = structuredClone(evidence);
  for (const step of steps) {
    const fact = present({ outcome: step.outcome }, { kind: 'flag', ref: `--step ${step.text}` });
    switch (step.name) {
      case 'typecheck': next.build.typecheck = fact; break;
      case 'build':
      case 'compile': next.build.compile = fact; break;
      case 'lint': next.build.lint = fact; break;
      case 'format': next.build.format = fact; break;
      case 'e2e': next.quality.e2e = fact; break;
      case 'golden_path': next.quality.goldenPath = fact; break;
    }
  }
  return next;
}
