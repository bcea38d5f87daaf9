import type { EvidenceError, EvidenceErrorCode, EvidenceFacts, FactsResult } from './types.js';

/** Builds a failed result. */
export function fail(
  code: EvidenceErrorCode,
  file: string,
  message: string,
  position: { line?: number; column?: number; offset?: number } = {},
): { ok: false; error: EvidenceError } {
  return { ok: false, error: { code, file, ...position, message } };
}

export function succeed<F extends EvidenceFacts>(facts: F): FactsResult<F> {
  return { ok: true, facts };
}

/** 1-based line and column of a 0-based character offset. */
export function positionOf(text: string, offset: number): { line: number; column: number; offset: number } {
  const clamped = Math.max(0, Math.min(offset, text.length));
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < clamped; i = text.indexOf('\n', i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: clamped - lineStart + 1, offset: clamped };
}

/** The position just past the last non-blank character: where a truncated file stops. */
export function endPositionOf(text: string): { line: number; column: number; offset: number } {
  return positionOf(text, text.trimEnd().length);
}

/**
 * Parses JSON text; a syntax error becomes data with line and column. `expected` names the
 * report the caller wanted, so the message says what to fix.
 */
export function parseJsonText(
  text: string,
  file: string,
  expected: string,
): { ok: true; value: unknown } | { ok: false; error: EvidenceError } {
  const start = text.trimStart()[0];
  if (start !== undefined && start !== '{' && start !== '[') {
    return fail('wrong_format', file, `${file} is not JSON (it starts with ${JSON.stringify(start)}); expected ${expected}`, { line: 1, column: 1 });
  }
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    const trimmedLength = text.trimEnd().length;
    if (trimmedLength === 0) return fail('empty', file, `${file} is empty; expected ${expected}`);
    const match = /position (\d+)/.exec(detail);
    const at = match ? Number(match[1]) : /end of JSON input/.test(detail) ? trimmedLength : 0;
    // An error at (or past) the last character means the document stopped early.
    const truncated = at >= trimmedLength;
    const position = positionOf(text, truncated ? trimmedLength : at);
    if (truncated) {
      return fail(
        'truncated',
        file,
        `${file} ends early at line ${position.line}, column ${position.column}: the JSON is incomplete; expected ${expected}`,
        position,
      );
    }
    return fail(
      'malformed',
      file,
      `${file} is not valid JSON at line ${position.line}, column ${position.column} (${detail}); expected ${expected}`,
      position,
    );
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A field error naming the JSON path, e.g. `Results[2].Vulnerabilities[0].Severity`. */
export function fieldError(file: string, path: string, expected: string): { ok: false; error: EvidenceError } {
  return fail('invalid_field', file, `${file}: field ${path} must be ${expected}`);
}
