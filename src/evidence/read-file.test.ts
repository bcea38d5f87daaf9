import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseEvidenceFile } from './read-file.js';

const fixturePath = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));

describe('parseEvidenceFile', () => {
  it('streams a report from disk', async () => {
    const result = await parseEvidenceFile(fixturePath('lcov.info'), { displayName: 'coverage/lcov.info' });
    expect(result.ok && result.format).toBe('lcov');
    expect(result.ok && result.facts).toMatchObject({ linesFound: 15, linesHit: 12 });
  });

  it('reports a missing file as not_found, naming it', async () => {
    const result = await parseEvidenceFile('/nonexistent/reports/trivy.json');
    expect(!result.ok && result.error).toMatchObject({ code: 'not_found', file: '/nonexistent/reports/trivy.json' });
  });

  it('reports a directory as read_failed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rampart-evidence-'));
    const result = await parseEvidenceFile(dir);
    expect(!result.ok && result.error.code).toBe('read_failed');
  });

  it('reports a truncated file on disk with its position', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rampart-evidence-'));
    const file = join(dir, 'results.sarif');
    writeFileSync(file, '{\n  "version": "2.1.0",\n  "runs": [\n    {"tool": {"driver": {"name": "CodeQL"}}, "results": [');
    const result = await parseEvidenceFile(file, { displayName: 'results.sarif' });
    expect(!result.ok && result.error).toMatchObject({ code: 'truncated', file: 'results.sarif', line: 4 });
  });
});
