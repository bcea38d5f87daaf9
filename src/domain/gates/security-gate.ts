import type { CheckResult, GateResult } from './check.js';
import { gateOf, judgeFact } from './check.js';
import type { GateThresholds } from './config.js';
import type { CveCounts, Evidence } from './evidence.js';

function idList(counts: CveCounts, severity: 'critical' | 'high'): string {
  const ids = counts.ids[severity] ?? [];
  if (ids.length === 0) return '';
  const shown = ids.slice(0, 10).join(', ');
  return ids.length > 10 ? `: ${shown} and ${ids.length - 10} more` : `: ${shown}`;
}

/**
 * Gate 3 (spec "Security Gates"): no critical CVE; high CVEs warn, and fail in the environments
 * listed in `highCvesFailIn` (production); no secret; SLSA level at least the minimum; image signed.
 */
export function securityGate(evidence: Evidence, thresholds: GateThresholds, environment: string): GateResult {
  const s = evidence.security;
  const highFails = thresholds.highCvesFailIn.includes(environment);
  const checks: CheckResult[] = [
    judgeFact('security', 'critical_cves', `<= ${thresholds.maxCriticalCves}`, s.cves, (c) =>
      c.critical <= thresholds.maxCriticalCves
        ? { result: 'pass', value: c.critical, detail: 'no critical CVE' }
        : { result: 'fail', value: c.critical, detail: `${c.critical} critical CVEs${idList(c, 'critical')}` }),
    judgeFact('security', 'high_cves', highFails ? '0 (fails in this environment)' : '0 (warns outside production)', s.cves, (c) => {
      if (c.high === 0) return { result: 'pass', value: 0, detail: 'no high CVE' };
      const detail = `${c.high} high CVEs${idList(c, 'high')}`;
      return highFails
        ? { result: 'fail', value: c.high, detail: `${detail} (environment ${environment})` }
        : { result: 'warn', value: c.high, detail };
    }),
    judgeFact('security', 'secrets', `<= ${thresholds.maxSecrets}`, s.secrets, (f) =>
      f.count <= thresholds.maxSecrets
        ? { result: 'pass', value: f.count, detail: 'no secret found' }
        : { result: 'fail', value: f.count, detail: `${f.count} secrets found (rules: ${[...new Set(f.ruleIds)].join(', ') || 'unnamed'})` }),
    judgeFact('security', 'slsa_level', `>= ${thresholds.minSlsaLevel}`, s.slsa, (f) =>
      f.level >= thresholds.minSlsaLevel
        ? { result: 'pass', value: f.level, detail: `SLSA level ${f.level}${f.builderId ? ` (builder ${f.builderId})` : ''}` }
        : { result: 'fail', value: f.level, detail: `SLSA level ${f.level} is below ${thresholds.minSlsaLevel}` }),
    imageSignedCheck(evidence, thresholds),
  ];
  return gateOf('security', checks);
}

function imageSignedCheck(evidence: Evidence, thresholds: GateThresholds): CheckResult {
  const fact = evidence.security.imageSigned;
  if (!thresholds.requireSignedImage && fact.state === 'missing') {
    return { id: 'security.image_signed', gate: 'security', check: 'image_signed', result: 'pass', value: 'not required', threshold: 'not required', source: null, detail: 'signature not required by configuration' };
  }
  return judgeFact('security', 'image_signed', thresholds.requireSignedImage ? 'true' : 'not required', fact, (f) =>
    f.signed
      ? { result: 'pass', value: true, detail: `signature verified${f.identity ? ` (${f.identity})` : ''}` }
      : thresholds.requireSignedImage
        ? { result: 'fail', value: false, detail: 'image signature missing or not verified' }
        : { result: 'warn', value: false, detail: 'image not signed (not required by configuration)' });
}
