import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { detectFormat } from './detect.js';
import { parseEvidence } from './index.js';
import type { EvidenceFormat } from './types.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('format detection', () => {
  it.each<[string, EvidenceFormat]>([
    ['surefire-TEST-com.example.OrderServiceTest.xml', 'junit'],
    ['jest-junit.xml', 'junit'],
    ['junit-nested-suites.xml', 'junit'],
    ['cobertura-coverage.xml', 'cobertura'],
    ['cobertura-coverage-py.xml', 'cobertura'],
    ['istanbul-coverage-summary.json', 'istanbul-summary'],
    ['lcov.info', 'lcov'],
    ['trivy-debian-buster.json', 'trivy'],
    ['trivy-alpine-no-vulnerabilities-key.json', 'trivy'],
    ['grype-image.json', 'grype'],
    ['npm-audit-v2.json', 'npm-audit'],
    ['npm-audit-v6.json', 'npm-audit'],
    ['gitleaks.json', 'gitleaks'],
    ['codeql-javascript.sarif', 'sarif'],
    ['sarif-empty-run.sarif', 'sarif'],
    ['eslint.json', 'eslint'],
    ['tsc-plain.txt', 'tsc'],
    ['tsc-pretty.txt', 'tsc'],
    ['slsa-provenance-v1.intoto.json', 'slsa-provenance'],
  ])('%s is %s', (name, format) => {
    expect(detectFormat(fixture(name), name)).toEqual({ ok: true, format });
  });

  it('ignores a byte-order mark', () => {
    expect(detectFormat('\uFEFF' + fixture('grype-image.json'))).toEqual({ ok: true, format: 'grype' });
  });

  it.each([
    ['not-a-report.json', /none of the keys of a known report/],
    ['gitleaks-clean.json', /gitleaks or an ESLint/],
  ])('%s is not detected: %s', (name, message) => {
    // The clean gitleaks report is detected only with a telling file name (see index tests).
    const result = detectFormat(fixture(name), 'report.json');
    expect(!result.ok && result.message).toMatch(message);
  });
});

describe('parseEvidence', () => {
  it('returns unknown_format for a JSON file that is no known report, naming the file', async () => {
    const result = await parseEvidence('package.json', fixture('not-a-report.json'));
    expect(!result.ok && result.error).toMatchObject({ code: 'unknown_format', file: 'package.json' });
    expect(!result.ok && result.error.message).toMatch(/--format/);
  });

  it('returns unknown_format for an unrecognised XML root and for plain text', async () => {
    const xml = await parseEvidence('pom.xml', '<project><modelVersion>4.0.0</modelVersion></project>');
    expect(!xml.ok && xml.error).toMatchObject({ code: 'unknown_format', file: 'pom.xml', line: 1 });
    const text = await parseEvidence('notes.txt', 'release notes\nnothing to see\n');
    expect(!text.ok && text.error).toMatchObject({ code: 'unknown_format', file: 'notes.txt' });
  });

  it('asks for --format when [] is ambiguous, and honours it', async () => {
    const ambiguous = await parseEvidence('report.json', '[]');
    expect(!ambiguous.ok && ambiguous.error.message).toMatch(/--format gitleaks or --format eslint/);
    const forced = await parseEvidence('report.json', '[]', { format: 'gitleaks' });
    expect(forced.ok && forced.facts).toMatchObject({ kind: 'secrets', count: 0 });
  });

  it.each<[EvidenceFormat, string, RegExp]>([
    ['trivy', 'jest-junit.xml', /is not JSON.*Trivy/],
    ['junit', 'trivy-debian-buster.json', /is not XML.*JUnit/],
    ['cobertura', 'lcov.info', /is not XML.*Cobertura/],
    ['lcov', 'trivy-debian-buster.json', /not an lcov line/],
    ['tsc', 'jest-junit.xml', /expected tsc output/],
    ['sarif', 'trivy-debian-buster.json', /no "runs" array.*SARIF/],
    ['trivy', 'grype-image.json', /SchemaVersion.*Trivy/],
    ['gitleaks', 'eslint.json', /RuleID/],
    ['eslint', 'gitleaks.json', /filePath/],
    ['istanbul-summary', 'npm-audit-v2.json', /"total"/],
    ['slsa-provenance', 'trivy-debian-buster.json', /in-toto/],
    ['sigstore-bundle', 'slsa-provenance-v1.intoto.json', /Sigstore bundle/],
  ])('--format %s on %s fails, naming the file and what was expected', async (format, name, message) => {
    const result = await parseEvidence(name, fixture(name), { format });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.file).toBe(name);
    expect(result.error.message).toMatch(message);
    expect(['wrong_format', 'invalid_field']).toContain(result.error.code);
  });

  it('reports an empty file as empty', async () => {
    const result = await parseEvidence('trivy.json', '  \n');
    expect(!result.ok && result.error).toMatchObject({ code: 'empty', file: 'trivy.json' });
  });

  it('reports malformed JSON in the middle with line and column', async () => {
    const result = await parseEvidence('audit.json', '{\n  "auditReportVersion": 2,\n  "metadata": {,}\n}');
    expect(!result.ok && result.error).toMatchObject({ code: 'malformed', file: 'audit.json', line: 3, column: 16 });
  });

  it('reads a stream whose chunks split multi-byte characters, after a byte-order mark', async () => {
    const text = '\uFEFF' + JSON.stringify([{ RuleID: 'généric-api-kéy', File: 'café/ü.env', StartLine: 1 }]);
    const bytes = Buffer.from(text, 'utf8');
    const chunks = Array.from({ length: bytes.length }, (_, i) => bytes.subarray(i, i + 1));
    const result = await parseEvidence('gitleaks.json', Readable.from(chunks));
    expect(result.ok && result.facts).toMatchObject({ kind: 'secrets', ruleIds: ['généric-api-kéy'], locations: [{ file: 'café/ü.env' }] });
  });

  it('streams lcov from byte chunks that cut lines anywhere', async () => {
    const bytes = Buffer.from(fixture('lcov.info'));
    const chunks = [bytes.subarray(0, 7), bytes.subarray(7, 100), bytes.subarray(100)];
    const result = await parseEvidence('lcov.info', Readable.from(chunks));
    expect(result.ok && result.facts).toMatchObject({ linesFound: 15, linesHit: 12 });
  });

  it('never rejects: a failing stream becomes read_failed', async () => {
    async function* broken() {
      yield Buffer.from('{"SchemaVersion": 2, "Results": [');
      throw new Error('EIO: i/o error, read');
    }
    const result = await parseEvidence('trivy.json', broken());
    expect(!result.ok && result.error).toMatchObject({ code: 'read_failed', file: 'trivy.json' });
    expect(!result.ok && result.error.message).toMatch(/EIO/);
  });
});
