import { fail, fieldError, isRecord, succeed } from './errors.js';
import type { FactsResult, SecretFacts } from './types.js';

const MAX_LOCATIONS = 100;

/**
 * Reads a gitleaks JSON report (an array of findings; `[]` when clean). Keeps the count, the
 * rule ids and where each finding is. By contract it copies no other field: `Secret`, `Match`,
 * `Line`, `Fingerprint`, commit messages and author data never reach the facts, so they cannot
 * leak into decision records or logs.
 */
export function parseGitleaks(value: unknown, file: string): FactsResult<SecretFacts> {
  if (!Array.isArray(value)) {
    return fail('wrong_format', file, `${file} is not a JSON array; expected a gitleaks report (gitleaks --report-format json)`);
  }
  const byRule: Record<string, number> = {};
  const locations: SecretFacts['locations'] = [];
  for (const [i, finding] of value.entries()) {
    if (!isRecord(finding)) return fieldError(file, `[${i}]`, 'a finding object');
    const ruleId = finding.RuleID;
    if (typeof ruleId !== 'string' || ruleId === '') return fieldError(file, `[${i}].RuleID`, 'a non-empty string');
    byRule[ruleId] = (byRule[ruleId] ?? 0) + 1;
    if (locations.length < MAX_LOCATIONS) {
      const line = finding.StartLine;
      locations.push({
        ruleId,
        file: typeof finding.File === 'string' ? finding.File : '',
        line: typeof line === 'number' && Number.isInteger(line) ? line : null,
      });
    }
  }
  return succeed({
    kind: 'secrets',
    tool: 'gitleaks',
    count: value.length,
    ruleIds: Object.keys(byRule).sort(),
    byRule,
    locations,
  });
}
