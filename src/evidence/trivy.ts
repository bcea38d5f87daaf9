import { fail, fieldError, isRecord, succeed } from './errors.js';
import { createVulnerabilityTally, normalizeSeverity } from './severity.js';
import type { FactsResult, VulnerabilityFacts } from './types.js';

/**
 * Reads a Trivy JSON report, schema 2 (`trivy image --format json`). Counts every entry of
 * every `Results[].Vulnerabilities[]` by `Severity`; a Result without a `Vulnerabilities` key
 * (Trivy omits it when a target is clean) counts 0, as does a report without `Results`. A
 * finding is fixable when it has a non-empty `FixedVersion`.
 */
export function parseTrivy(value: unknown, file: string): FactsResult<VulnerabilityFacts> {
  if (!isRecord(value) || !('SchemaVersion' in value)) {
    return fail('wrong_format', file, `${file} has no "SchemaVersion"; expected a Trivy JSON report (trivy --format json)`);
  }
  if (value.SchemaVersion !== 2) {
    return fail(
      'unsupported_version',
      file,
      `${file} is Trivy SchemaVersion ${JSON.stringify(value.SchemaVersion)}; expected SchemaVersion 2 (Trivy ≥ 0.20)`,
    );
  }
  const tally = createVulnerabilityTally('trivy');
  const results = value.Results ?? [];
  if (!Array.isArray(results)) return fieldError(file, 'Results', 'an array');
  for (const [i, result] of results.entries()) {
    if (!isRecord(result)) return fieldError(file, `Results[${i}]`, 'an object');
    const vulnerabilities = result.Vulnerabilities ?? [];
    if (!Array.isArray(vulnerabilities)) return fieldError(file, `Results[${i}].Vulnerabilities`, 'an array');
    for (const [j, vulnerability] of vulnerabilities.entries()) {
      const path = `Results[${i}].Vulnerabilities[${j}]`;
      if (!isRecord(vulnerability)) return fieldError(file, path, 'an object');
      if (typeof vulnerability.VulnerabilityID !== 'string') return fieldError(file, `${path}.VulnerabilityID`, 'a string');
      const fixed = vulnerability.FixedVersion;
      tally.add(
        normalizeSeverity(vulnerability.Severity),
        vulnerability.VulnerabilityID,
        typeof fixed === 'string' && fixed.trim() !== '',
      );
    }
  }
  return succeed(tally.facts());
}
