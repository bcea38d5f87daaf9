import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { junitReport, lcovChunks, sarifLog, trivyReport } from './fixtures/generate-large.js';
import { parseEvidence } from './index.js';

/** Splits text into 64 KiB byte chunks, as a file stream would deliver it. */
function streamOf(text: string): Readable {
  const bytes = Buffer.from(text);
  const chunks: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += 65536) chunks.push(bytes.subarray(i, i + 65536));
  return Readable.from(chunks);
}

describe('large reports', () => {
  it('parses a Trivy report with 5,000 findings from a stream', async () => {
    const result = await parseEvidence('trivy.json', streamOf(trivyReport(5000)));
    expect(result.ok && result.facts).toMatchObject({
      kind: 'vulnerabilities',
      total: 5000,
      bySeverity: { critical: 1000, high: 1000, medium: 1000, low: 1000, unknown: 1000 },
      fixableBySeverity: { critical: 666, high: 667, medium: 667, low: 666, unknown: 667 },
    });
  });

  it('parses SARIF with 10,000 results', async () => {
    const result = await parseEvidence('codeql.sarif', streamOf(sarifLog(10000)));
    expect(result.ok && result.facts).toMatchObject({ total: 10000, withoutSecuritySeverity: 2000, byLevel: { error: 3400, warning: 3400, note: 3200 } });
    const bands = result.ok && result.facts.kind === 'static-analysis' ? result.facts.bySecuritySeverity : undefined;
    expect(bands && bands.critical + bands.high + bands.medium + bands.low).toBe(8000);
  });

  it('parses JUnit with 20,000 cases in nested suites, each counted once', async () => {
    const result = await parseEvidence('junit.xml', streamOf(junitReport(20000)));
    expect(result.ok && result.facts).toMatchObject({ tests: 20000, failures: 400, failingCasesTruncated: true });
    expect(result.ok && result.facts.kind === 'tests' && result.facts.failingCases).toHaveLength(20);
  });

  it('streams lcov with 2,000 files', async () => {
    const result = await parseEvidence('lcov.info', lcovChunks(2000));
    expect(result.ok && result.facts).toMatchObject({ kind: 'coverage', lines: 75, branches: 50, linesFound: 80000, linesHit: 60000 });
    expect(result.ok && result.facts.kind === 'coverage' && result.facts.files).toHaveLength(2000);
  });

  it('refuses a whole-document report above the byte limit instead of reading it all', async () => {
    const result = await parseEvidence('trivy.json', streamOf(trivyReport(500)), { maxBytes: 100_000 });
    expect(!result.ok && result.error).toMatchObject({ code: 'too_large', file: 'trivy.json' });
  });
});
