import { fail, fieldError, isRecord, succeed } from './errors.js';
import { createVulnerabilityTally, normalizeSeverity, zeroCounts } from './severity.js';
import type { FactsResult, VulnerabilityFacts } from './types.js';

const NPM_KEYS = { info: 'info', low: 'low', moderate: 'medium', high: 'high', critical: 'critical' } as const;

/**
 * Reads `npm audit --json` from npm 7 and later (`auditReportVersion: 2`). Counts come from
 * `metadata.vulnerabilities` (npm counts vulnerable packages, not advisories); ids are the
 * package names of the `vulnerabilities` map, and a package is fixable unless `fixAvailable`
 * is `false`. npm 6 reports (no `auditReportVersion`) are rejected with the fix.
 */
export function parseNpmAudit(value: unknown, file: string): FactsResult<VulnerabilityFacts> {
  if (!isRecord(value)) {
    return fail('wrong_format', file, `${file} is not a JSON object; expected npm audit --json output`);
  }
  if (isRecord(value.error)) {
    // npm writes its failure (no lockfile, registry down) as JSON on stdout: no audit happened.
    const { code, summary } = value.error;
    return fail('wrong_format', file, `${file} is an npm error, not an audit: ${String(code ?? '')} ${String(summary ?? '')}`.trim());
  }
  if (value.auditReportVersion !== 2) {
    const found = 'auditReportVersion' in value ? `auditReportVersion ${JSON.stringify(value.auditReportVersion)}` : 'an npm 6 report (no auditReportVersion)';
    return fail('unsupported_version', file, `${file} is ${found}; expected auditReportVersion 2 (run npm audit --json with npm 7 or later)`);
  }
  const metadata = isRecord(value.metadata) ? value.metadata.vulnerabilities : undefined;
  if (!isRecord(metadata)) return fieldError(file, 'metadata.vulnerabilities', 'an object of counts by severity');
  const counts = zeroCounts();
  for (const [npmKey, severity] of Object.entries(NPM_KEYS)) {
    const n = metadata[npmKey] ?? 0;
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) {
      return fieldError(file, `metadata.vulnerabilities.${npmKey}`, 'a non-negative integer');
    }
    counts[severity] = n;
  }
  const packages = value.vulnerabilities ?? {};
  if (!isRecord(packages)) return fieldError(file, 'vulnerabilities', 'an object keyed by package name');
  const tally = createVulnerabilityTally('npm-audit');
  for (const [name, entry] of Object.entries(packages)) {
    if (!isRecord(entry)) return fieldError(file, `vulnerabilities.${name}`, 'an object');
    tally.add(normalizeSeverity(entry.severity), name, entry.fixAvailable !== false && entry.fixAvailable !== undefined);
  }
  tally.setCounts(counts);
  return succeed(tally.facts());
}
