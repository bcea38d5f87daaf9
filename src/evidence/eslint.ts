import { fail, fieldError, isRecord, succeed } from './errors.js';
import type { FactsResult, LintFacts } from './types.js';

/**
 * Reads ESLint's JSON formatter output (`eslint -f json`): an array with one entry per file.
 * Sums `errorCount`, `warningCount` and `fatalErrorCount`; when a count is absent it is
 * recomputed from `messages` (severity 2 = error, 1 = warning).
 */
export function parseEslint(value: unknown, file: string): FactsResult<LintFacts> {
  if (!Array.isArray(value)) {
    return fail('wrong_format', file, `${file} is not a JSON array; expected ESLint JSON output (eslint -f json)`);
  }
  const facts: LintFacts = { kind: 'lint', tool: 'eslint', files: 0, filesWithErrors: 0, errors: 0, warnings: 0, fatal: 0 };
  for (const [i, entry] of value.entries()) {
    if (!isRecord(entry) || typeof entry.filePath !== 'string') return fieldError(file, `[${i}].filePath`, 'a string');
    if (!Array.isArray(entry.messages)) return fieldError(file, `[${i}].messages`, 'an array');
    const messages = entry.messages.filter(isRecord);
    const counted = (key: string, predicate: (m: Record<string, unknown>) => boolean) => {
      const n = entry[key];
      return typeof n === 'number' && Number.isInteger(n) && n >= 0 ? n : messages.filter(predicate).length;
    };
    const errors = counted('errorCount', (m) => m.severity === 2);
    facts.files += 1;
    facts.errors += errors;
    facts.warnings += counted('warningCount', (m) => m.severity === 1);
    facts.fatal += counted('fatalErrorCount', (m) => m.fatal === true);
    if (errors > 0) facts.filesWithErrors += 1;
  }
  return succeed(facts);
}
