import type { EvidenceError, StepFacts } from './types.js';

const NAME = /^[a-z][a-z0-9_-]*$/;

/**
 * The result of a step that leaves no report (typecheck, build, lint, format, e2e,
 * golden_path): exit code 0 passes, any other code fails. Pure.
 */
export function stepResult(name: string, exitCode: number): StepFacts {
  return { kind: 'step', name, exitCode, result: exitCode === 0 ? 'pass' : 'fail' };
}

/**
 * Parses a `--step NAME=VALUE` argument, VALUE being `pass`, `fail` or an exit code (0–255).
 * `pass` records exit code 0 and `fail` exit code 1. Bad input is an error, never a pass.
 */
export function parseStepArg(arg: string, source = '--step'): { ok: true; facts: StepFacts } | { ok: false; error: EvidenceError } {
  const eq = arg.indexOf('=');
  const name = eq > 0 ? arg.slice(0, eq).trim() : '';
  const value = eq > 0 ? arg.slice(eq + 1).trim().toLowerCase() : '';
  const bad = (message: string) => ({ ok: false as const, error: { code: 'invalid_field' as const, file: source, message } });
  if (!NAME.test(name)) return bad(`${source} ${JSON.stringify(arg)}: expected NAME=pass|fail|<exit code>, NAME in lower case (e.g. lint=pass)`);
  if (value === 'pass') return { ok: true, facts: stepResult(name, 0) };
  if (value === 'fail') return { ok: true, facts: stepResult(name, 1) };
  if (/^\d{1,3}$/.test(value) && Number(value) <= 255) return { ok: true, facts: stepResult(name, Number(value)) };
  return bad(`${source} ${JSON.stringify(arg)}: value must be pass, fail or an exit code 0–255`);
}
