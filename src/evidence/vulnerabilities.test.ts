import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseGrype } from './grype.js';
import { parseEvidence } from './index.js';
import { parseNpmAudit } from './npm-audit.js';
import { normalizeSeverity } from './severity.js';
import { parseTrivy } from './trivy.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const none = { critical: [], high: [], medium: [], low: [], info: [], unknown: [] };

describe('severity words', () => {
  it.each([
    ['CRITICAL', 'critical'],
    ['High', 'high'],
    ['moderate', 'medium'],
    ['MEDIUM', 'medium'],
    ['Low', 'low'],
    ['Negligible', 'info'],
    ['info', 'info'],
    ['UNKNOWN', 'unknown'],
    ['severe', 'unknown'],
    [undefined, 'unknown'],
  ])('%s → %s', (word, severity) => {
    expect(normalizeSeverity(word)).toBe(severity);
  });
});

describe('Trivy JSON (schema 2)', () => {
  it('counts findings by severity, fixable when FixedVersion is set', async () => {
    const result = await parseEvidence('trivy.json', fixture('trivy-debian-buster.json'));
    expect(result).toEqual({
      ok: true,
      format: 'trivy',
      facts: {
        kind: 'vulnerabilities',
        tool: 'trivy',
        total: 2,
        bySeverity: { critical: 1, high: 0, medium: 0, low: 1, info: 0, unknown: 0 },
        fixableBySeverity: { critical: 1, high: 0, medium: 0, low: 0, info: 0, unknown: 0 },
        idsBySeverity: { ...none, critical: ['CVE-2019-18224'], low: ['CVE-2019-18276'] },
      },
    });
  });

  it('counts a Result without a Vulnerabilities key as 0, and one CVE in two packages twice', async () => {
    const result = await parseEvidence('trivy.json', fixture('trivy-alpine-no-vulnerabilities-key.json'));
    expect(result.ok && result.facts).toMatchObject({
      total: 2,
      bySeverity: { medium: 2 },
      fixableBySeverity: { medium: 2 },
      idsBySeverity: { medium: ['CVE-2019-1549'] },
    });
  });

  it('treats a report with no Results as 0 findings', () => {
    const result = parseTrivy({ SchemaVersion: 2, ArtifactName: 'x' }, 't.json');
    expect(result.ok && result.facts.total).toBe(0);
  });

  it('counts a finding with no Severity as unknown, not as harmless', () => {
    const result = parseTrivy({ SchemaVersion: 2, Results: [{ Vulnerabilities: [{ VulnerabilityID: 'CVE-1' }] }] }, 't.json');
    expect(result.ok && result.facts.bySeverity.unknown).toBe(1);
  });

  it.each([
    [{ SchemaVersion: 1, Results: [] }, 'unsupported_version', /SchemaVersion 1.*expected SchemaVersion 2/],
    [{ SchemaVersion: 2, Results: {} }, 'invalid_field', /field Results must be an array/],
    [{ SchemaVersion: 2, Results: [{ Vulnerabilities: [{ Severity: 'HIGH' }] }] }, 'invalid_field', /Results\[0\]\.Vulnerabilities\[0\]\.VulnerabilityID/],
    [{ Results: [] }, 'wrong_format', /SchemaVersion/],
  ])('rejects %j', (value, code, message) => {
    const result = parseTrivy(value, 't.json');
    expect(!result.ok && result.error.code).toBe(code);
    expect(!result.ok && result.error.message).toMatch(message);
  });

  it('reports a truncated report with the file, line and column', async () => {
    const text = fixture('trivy-truncated.json');
    const result = await parseEvidence('trivy.json', text);
    expect(!result.ok && result.error).toMatchObject({ code: 'truncated', file: 'trivy.json', line: text.trimEnd().split('\n').length });
  });
});

describe('Grype JSON', () => {
  it('counts matches by severity, fixable when fix.state is fixed', async () => {
    const result = await parseEvidence('grype.json', fixture('grype-image.json'));
    expect(result).toEqual({
      ok: true,
      format: 'grype',
      facts: {
        kind: 'vulnerabilities',
        tool: 'grype',
        total: 3,
        bySeverity: { critical: 1, high: 0, medium: 0, low: 1, info: 1, unknown: 0 },
        fixableBySeverity: { critical: 0, high: 0, medium: 0, low: 1, info: 0, unknown: 0 },
        idsBySeverity: { ...none, critical: ['CVE-1999-0002'], low: ['CVE-1999-0001'], info: ['CVE-2016-2781'] },
      },
    });
  });

  it('rejects a match without a vulnerability id', () => {
    const result = parseGrype({ matches: [{ vulnerability: { severity: 'High' } }] }, 'g.json');
    expect(!result.ok && result.error.message).toMatch(/matches\[0\]\.vulnerability\.id/);
  });
});

describe('npm audit --json (v2)', () => {
  it('takes counts from metadata and package names as ids; fixAvailable false is not fixable', async () => {
    const result = await parseEvidence('audit.json', fixture('npm-audit-v2.json'));
    expect(result).toEqual({
      ok: true,
      format: 'npm-audit',
      facts: {
        kind: 'vulnerabilities',
        tool: 'npm-audit',
        total: 4,
        bySeverity: { critical: 1, high: 2, medium: 1, low: 0, info: 0, unknown: 0 },
        fixableBySeverity: { critical: 1, high: 1, medium: 1, low: 0, info: 0, unknown: 0 },
        idsBySeverity: { ...none, critical: ['handlebars'], high: ['lodash', 'test-dep-a'], medium: ['minimist'] },
      },
    });
  });

  it('rejects an npm 6 report, saying to use npm 7 or later', async () => {
    const result = await parseEvidence('audit.json', fixture('npm-audit-v6.json'));
    expect(!result.ok && result.error).toMatchObject({ code: 'unsupported_version', file: 'audit.json' });
    expect(!result.ok && result.error.message).toMatch(/npm 7 or later/);
  });

  it('reports npm\'s own error output (no lockfile) as not an audit', () => {
    const result = parseNpmAudit({ error: { code: 'ENOLOCK', summary: 'This command requires an existing lockfile.', detail: 'Try creating one first with: npm i --package-lock-only' } }, 'audit.json');
    expect(!result.ok && result.error).toMatchObject({ code: 'wrong_format', message: expect.stringMatching(/npm error, not an audit: ENOLOCK/) });
  });

  it('rejects a report without metadata counts', () => {
    const result = parseNpmAudit({ auditReportVersion: 2, vulnerabilities: {} }, 'a.json');
    expect(!result.ok && result.error.message).toMatch(/metadata\.vulnerabilities/);
  });
});
