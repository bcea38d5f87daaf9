import { fail, succeed } from './errors.js';
import type { FactsResult, TypecheckFacts } from './types.js';

// tsc prints `file(l,c): error TS2322: …` (plain) or `file:l:c - error TS2322: …` (pretty),
// and `error TS5083: …` for config problems; `--pretty` adds ANSI colours.
const DIAGNOSTIC = /\berror (TS\d+)\s*:/;
const SUMMARY = /^Found (\d+) errors?\b/;
const ANSI = /\u001b\[[0-9;]*m/g;

/** True when a line looks like tsc output (used by detection too). */
export function isTscLine(line: string): boolean {
  const plain = line.replace(ANSI, '').trim();
  return DIAGNOSTIC.test(plain) || SUMMARY.test(plain);
}

/**
 * Streams `tsc --noEmit` output and counts `error TSnnnn` diagnostics and the "Found N errors"
 * summary. Empty output is a clean run (tsc prints nothing on success). Non-empty output with
 * no line tsc would print is not a tsc log: that is an error, never "0 errors".
 */
export async function parseTsc(lines: AsyncIterable<readonly string[]>, file: string): Promise<FactsResult<TypecheckFacts>> {
  const byCode: Record<string, number> = {};
  let counted = 0;
  let summaryErrors: number | null = null;
  let recognized = false;
  let firstContentLine = 0;
  let lineNumber = 0;
  for await (const batch of lines) for (const raw of batch) {
    lineNumber += 1;
    const line = raw.replace(ANSI, '').trim();
    if (line === '') continue;
    if (firstContentLine === 0) firstContentLine = lineNumber;
    const summary = SUMMARY.exec(line);
    if (summary) {
      summaryErrors = Number(summary[1]);
      recognized = true;
      continue;
    }
    const diagnostic = DIAGNOSTIC.exec(line);
    if (diagnostic) {
      const code = diagnostic[1] as string;
      byCode[code] = (byCode[code] ?? 0) + 1;
      counted += 1;
      recognized = true;
    }
  }
  if (firstContentLine !== 0 && !recognized) {
    return fail(
      'wrong_format',
      file,
      `${file}:${firstContentLine}: no "error TSnnnn" or "Found N errors" line anywhere; expected tsc output (empty output means a clean run)`,
      { line: firstContentLine, column: 1 },
    );
  }
  return succeed({
    kind: 'typecheck',
    tool: 'tsc',
    errors: Math.max(counted, summaryErrors ?? 0),
    byCode,
    summaryErrors,
  });
}
