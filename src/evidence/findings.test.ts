import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseEslint } from './eslint.js';
import { parseGitleaks } from './gitleaks.js';
import { parseEvidence } from './index.js';
import { parseSarif, securitySeverityBand } from './sarif.js';
import { parseTsc } from './tsc.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
async function* linesOf(text: string) {
  yield text.split('\n');
}

describe('gitleaks', () => {
  it('keeps the count and rule ids', async () => {
    const result = await parseEvidence('gitleaks-report.json', fixture('gitleaks.json'));
    expect(result).toEqual({
      ok: true,
      format: 'gitleaks',
      facts: {
        kind: 'secrets',
        tool: 'gitleaks',
        count: 3,
        ruleIds: ['aws-access-token', 'github-pat'],
        byRule: { 'aws-access-token': 2, 'github-pat': 1 },
        locations: [
          { ruleId: 'aws-access-token', file: 'deploy/staging.env', line: 12 },
          { ruleId: 'github-pat', file: '.github/scripts/release.yml', line: 3 },
          { ruleId: 'aws-access-token', file: 'scripts/seed.sh', line: 4 },
        ],
      },
    });
  });

  it('never keeps a Secret or Match value anywhere in the result', async () => {
    const text = fixture('gitleaks.json');
    const findings = JSON.parse(text) as Array<{ Secret: string; Match: string }>;
    const serialized = JSON.stringify(await parseEvidence('gitleaks-report.json', text));
    expect(findings.length).toBeGreaterThan(0);
    for (const finding of findings) {
      expect(serialized).not.toContain(finding.Secret);
      expect(serialized).not.toContain(finding.Match);
    }
    expect(serialized).not.toContain('NOTREAL');
    expect(serialized).not.toContain('ghp_');
  });

  it('reads a clean report ([]) as 0 findings when the file name says gitleaks', async () => {
    const result = await parseEvidence('gitleaks-clean.json', fixture('gitleaks-clean.json'));
    expect(result.ok && result.facts).toMatchObject({ kind: 'secrets', count: 0, ruleIds: [] });
  });

  it('rejects a finding without RuleID', () => {
    const result = parseGitleaks([{ Secret: 'x' }], 'g.json');
    expect(!result.ok && result.error.message).toMatch(/\[0\]\.RuleID/);
  });
});

describe('SARIF 2.1.0', () => {
  it.each([
    [9.8, 'critical'],
    [9.0, 'critical'],
    [8.9, 'high'],
    [7.0, 'high'],
    [6.9, 'medium'],
    [4.0, 'medium'],
    [3.9, 'low'],
    [0, 'low'],
  ])('security-severity %s is %s', (score, band) => {
    expect(securitySeverityBand(score)).toBe(band);
  });

  it('counts CodeQL results by level (rule default when the result has none) and by security-severity band', async () => {
    const result = await parseEvidence('codeql.sarif', fixture('codeql-javascript.sarif'));
    expect(result).toEqual({
      ok: true,
      format: 'sarif',
      facts: {
        kind: 'static-analysis',
        tool: 'sarif',
        tools: ['CodeQL'],
        runs: 1,
        total: 6,
        byLevel: { error: 4, warning: 1, note: 1, none: 0 },
        bySecuritySeverity: { critical: 1, high: 3, medium: 1, low: 0 },
        withoutSecuritySeverity: 1,
      },
    });
  });

  it('finds rules in tool.extensions through rule.toolComponent', async () => {
    const result = await parseEvidence('python.sarif', fixture('codeql-extensions.sarif'));
    expect(result.ok && result.facts).toMatchObject({ byLevel: { error: 2 }, bySecuritySeverity: { critical: 1, high: 1 } });
  });

  it('accepts an empty run as 0 results', async () => {
    const result = await parseEvidence('trivy.sarif', fixture('sarif-empty-run.sarif'));
    expect(result.ok && result.facts).toMatchObject({ runs: 1, total: 0, tools: ['Trivy'] });
  });

  it.each([
    [{ kind: 'pass', ruleId: 'r' }, 'none'],
    [{ kind: 'fail' }, 'warning'],
    [{ level: 'note', ruleId: 'r' }, 'note'],
    [{ ruleId: 'r' }, 'error'],
  ])('the level of %j is %s', (result, level) => {
    const log = { version: '2.1.0', runs: [{ tool: { driver: { name: 't', rules: [{ id: 'r', defaultConfiguration: { level: 'error' } }] } }, results: [result] }] };
    const parsed = parseSarif(log, 'l.sarif');
    expect(parsed.ok && parsed.facts.byLevel[level as 'error']).toBe(1);
  });

  it('uses a result-level security-severity when the rule has none', () => {
    const log = { version: '2.1.0', runs: [{ tool: { driver: { name: 'grype' } }, results: [{ ruleId: 'CVE-1', properties: { 'security-severity': '7.5' } }] }] };
    const parsed = parseSarif(log, 'g.sarif');
    expect(parsed.ok && parsed.facts.bySecuritySeverity.high).toBe(1);
  });

  it.each([
    [{ version: '2.0.0', runs: [] }, 'unsupported_version'],
    [{ version: '2.1.0', runs: [{ tool: { driver: { name: 'x' } } }] }, 'invalid_field'],
    [{ version: '2.1.0' }, 'wrong_format'],
  ])('rejects %j as %s', (log, code) => {
    const parsed = parseSarif(log, 'x.sarif');
    expect(!parsed.ok && parsed.error.code).toBe(code);
  });
});

describe('ESLint JSON', () => {
  it('sums the error and warning counts', async () => {
    const result = await parseEvidence('eslint.json', fixture('eslint.json'));
    expect(result).toEqual({
      ok: true,
      format: 'eslint',
      facts: { kind: 'lint', tool: 'eslint', files: 3, filesWithErrors: 2, errors: 3, warnings: 1, fatal: 1 },
    });
  });

  it('recounts from messages when counts are absent', () => {
    const result = parseEslint([{ filePath: 'a.js', messages: [{ severity: 2 }, { severity: 1 }, { severity: 2 }] }], 'e.json');
    expect(result.ok && result.facts).toMatchObject({ errors: 2, warnings: 1 });
  });

  it('reads [] as a lint run over no files when the name says eslint', async () => {
    const result = await parseEvidence('eslint-report.json', '[]');
    expect(result.ok && result.facts).toMatchObject({ kind: 'lint', errors: 0, files: 0 });
  });
});

describe('tsc output', () => {
  it('counts error TSnnnn lines by code', async () => {
    const result = await parseEvidence('tsc.log', fixture('tsc-plain.txt'));
    expect(result).toEqual({
      ok: true,
      format: 'tsc',
      facts: { kind: 'typecheck', tool: 'tsc', errors: 3, byCode: { TS2322: 2, TS2345: 1 }, summaryErrors: null },
    });
  });

  it('reads --pretty output with colours and its "Found N errors" summary', async () => {
    const result = await parseEvidence('tsc.log', fixture('tsc-pretty.txt'));
    expect(result.ok && result.facts).toMatchObject({ errors: 2, byCode: { TS2322: 2 }, summaryErrors: 2 });
  });

  it('takes the summary when it reports more errors than lines were kept', async () => {
    const result = await parseTsc(linesOf("a.ts(1,1): error TS2304: Cannot find name 'x'.\nFound 4 errors in 2 files.\n"), 'tsc.log');
    expect(result.ok && result.facts.errors).toBe(4);
  });

  it('reads empty output as a clean run when the format is given', async () => {
    const result = await parseEvidence('tsc.log', '', { format: 'tsc' });
    expect(result.ok && result.facts).toMatchObject({ errors: 0, summaryErrors: null });
  });

  it('refuses text that is not tsc output instead of reading it as 0 errors', async () => {
    const result = await parseEvidence('tsc.log', 'npm ERR! missing script: typecheck\n', { format: 'tsc' });
    expect(!result.ok && result.error).toMatchObject({ code: 'wrong_format', file: 'tsc.log', line: 1 });
  });
});
