import { type Evidence, type EvidenceSource, type Fact, emptyEvidence, present } from '../domain/gates/evidence.js';
import { deriveSlsaLevel, type TrustedBuilder } from './slsa-level.js';
import type { EvidenceFacts, Severity } from './types.js';

/** One parsed report and the file it came from. */
export interface ParsedReport {
  file: string;
  facts: EvidenceFacts;
}

const file = (ref: string): EvidenceSource => ({ kind: 'file', ref });
const files = (reports: ParsedReport[]): EvidenceSource => file(reports.map((r) => r.file).join(', '));

/** An e2e suite is told apart from unit tests by its file name (`e2e`, `end-to-end`, `playwright`, `cypress`). */
export function isE2eReport(name: string): boolean {
  return /e2e|end-to-end|playwright|cypress/i.test(name);
}

/**
 * Turns parsed tool reports into the gates' evidence. Facts a report does not cover stay missing
 * (and so fail their checks). Several reports of one kind are added up; vulnerabilities from
 * several scanners are counted once per finding id, so Trivy and Grype on one image do not double.
 */
export function toGateEvidence(reports: ParsedReport[], options: { trustedBuilders: TrustedBuilder[] }): Evidence {
  const e = emptyEvidence();
  const of = <K extends EvidenceFacts['kind']>(kind: K) => reports.filter((r): r is ParsedReport & { facts: Extract<EvidenceFacts, { kind: K }> } => r.facts.kind === kind);

  const tests = of('tests');
  const unit = tests.filter((r) => !isE2eReport(r.file));
  const e2e = tests.filter((r) => isE2eReport(r.file));
  const sumTests = (rs: typeof tests) => ({
    total: rs.reduce((s, r) => s + r.facts.tests, 0),
    failed: rs.reduce((s, r) => s + r.facts.failures, 0),
    errors: rs.reduce((s, r) => s + r.facts.errors, 0),
    skipped: rs.reduce((s, r) => s + r.facts.skipped, 0),
  });
  if (unit.length) e.quality.unitTests = present(sumTests(unit), files(unit));
  if (e2e.length) e.quality.e2e = present(sumTests(e2e), files(e2e));

  const coverage = of('coverage');
  if (coverage.length) {
    // Line counts when every report has them (exact); otherwise the lowest percentage (conservative).
    const counted = coverage.every((r) => r.facts.linesFound !== undefined && r.facts.linesHit !== undefined);
    const found = coverage.reduce((s, r) => s + (r.facts.linesFound ?? 0), 0);
    const pct = counted && found > 0
      ? (coverage.reduce((s, r) => s + (r.facts.linesHit ?? 0), 0) / found) * 100
      : coverage.some((r) => r.facts.lines === null) ? null : Math.min(...coverage.map((r) => r.facts.lines!));
    e.quality.coverage = pct === null
      ? { state: 'missing', reason: 'the coverage report measured no lines ("Unknown")', source: files(coverage) }
      : present({ linesPct: Math.round(pct * 100) / 100 }, files(coverage));
  }

  const vulns = of('vulnerabilities');
  if (vulns.length) {
    const severities: Severity[] = ['critical', 'high', 'medium', 'low'];
    const ids: Partial<Record<'critical' | 'high' | 'medium' | 'low', string[]>> = {};
    const counts = { critical: 0, high: 0, medium: 0, low: 0 };
    for (const sev of severities) {
      const unique = new Set(vulns.flatMap((r) => r.facts.idsBySeverity[sev] ?? []));
      // A scanner that reports counts without ids still counts: take the larger of the two views.
      const byCount = Math.max(0, ...vulns.map((r) => r.facts.bySeverity[sev]));
      counts[sev as keyof typeof counts] = Math.max(unique.size, byCount);
      ids[sev as keyof typeof counts] = [...unique].sort();
    }
    // Unknown severities are not harmless: they count as high (warn, and fail in production).
    counts.high += Math.max(0, ...vulns.map((r) => r.facts.bySeverity.unknown));
    e.security.cves = present({ ...counts, ids }, files(vulns));
  }

  const secrets = of('secrets');
  if (secrets.length) {
    e.security.secrets = present({
      count: secrets.reduce((s, r) => s + r.facts.count, 0),
      ruleIds: [...new Set(secrets.flatMap((r) => r.facts.ruleIds))].sort(),
    }, files(secrets));
  }

  const lint = of('lint');
  if (lint.length) {
    const errors = lint.reduce((s, r) => s + r.facts.errors + r.facts.fatal, 0);
    e.build.lint = present({ outcome: errors > 0 ? 'fail' : 'pass', errorCount: errors, warningCount: lint.reduce((s, r) => s + r.facts.warnings, 0) }, files(lint));
  }
  const tsc = of('typecheck');
  if (tsc.length) {
    const errors = tsc.reduce((s, r) => s + r.facts.errors, 0);
    e.build.typecheck = present({ outcome: errors > 0 ? 'fail' : 'pass', errorCount: errors }, files(tsc));
  }

  const provenance = of('provenance');
  if (provenance.length) {
    // The best-attested provenance decides (one artifact, possibly several statements).
    const best = provenance.map((r) => ({ r, a: deriveSlsaLevel(r.facts, options.trustedBuilders) })).sort((x, y) => y.a.level - x.a.level)[0]!;
    e.security.slsa = present({ level: best.a.level, builderId: best.r.facts.builderId }, file(best.r.file));
  }
  const signatures = of('image-signature');
  if (signatures.length) {
    const verified = signatures.find((r) => r.facts.signature.status === 'verified');
    const shown = verified ?? signatures[0]!;
    const fact: Fact<{ signed: boolean; identity?: string }> = present(
      verified ? { signed: true, ...(verified.facts.signature.status === 'verified' && verified.facts.signature.keyId ? { identity: verified.facts.signature.keyId } : {}) } : { signed: false },
      file(shown.file),
    );
    e.security.imageSigned = fact;
  }
  return e;
}
