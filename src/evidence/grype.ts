import { fail, fieldError, isRecord, succeed } from './errors.js';
import { createVulnerabilityTally, normalizeSeverity } from './severity.js';
import type { FactsResult, VulnerabilityFacts } from './types.js';

/**
 * Reads a Grype JSON report (`grype -o json`): every `matches[]` entry counts once by
 * `vulnerability.severity`; it is fixable when `vulnerability.fix.state` is `fixed`.
 * Grype's `Negligible` counts as info, `Unknown` as unknown.
 */
export function parseGrype(value: unknown, file: string): FactsResult<VulnerabilityFacts> {
  if (!isRecord(value) || !Array.isArray(value.matches)) {
    return fail('wrong_format', file, `${file} has no "matches" array; expected a Grype JSON report (grype -o json)`);
  }
  const tally = createVulnerabilityTally('grype');
  for (const [i, match] of value.matches.entries()) {
    const vulnerability = isRecord(match) ? match.vulnerability : undefined;
    if (!isRecord(vulnerability)) return fieldError(file, `matches[${i}].vulnerability`, 'an object');
    if (typeof vulnerability.id !== 'string') return fieldError(file, `matches[${i}].vulnerability.id`, 'a string');
    const fix = vulnerability.fix;
    tally.add(normalizeSeverity(vulnerability.severity), vulnerability.id, isRecord(fix) && fix.state === 'fixed');
  }
  return succeed(tally.facts());
}
