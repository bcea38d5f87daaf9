import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCobertura } from './cobertura.js';
import { parseEvidence } from './index.js';
import { parseIstanbulSummary } from './istanbul-summary.js';
import { parseLcov } from './lcov.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
async function* linesOf(text: string) {
  yield text.split('\n');
}

describe('istanbul coverage-summary.json', () => {
  it('reads the total percentages', async () => {
    const result = await parseEvidence('coverage-summary.json', fixture('istanbul-coverage-summary.json'));
    expect(result).toEqual({
      ok: true,
      format: 'istanbul-summary',
      facts: { kind: 'coverage', tool: 'istanbul', lines: 84.7, statements: 83.75, branches: 74.05, functions: 80.2, linesFound: 412, linesHit: 349 },
    });
  });

  it('treats "Unknown" percentages as missing, never 100', async () => {
    const result = await parseEvidence('coverage-summary.json', fixture('istanbul-coverage-summary-unknown.json'));
    expect(result.ok && result.facts).toMatchObject({ lines: null, statements: null, branches: null, functions: null });
  });

  it('treats pct 100 over a total of 0 as missing too', () => {
    const result = parseIstanbulSummary({ total: { lines: { total: 0, covered: 0, skipped: 0, pct: 100 }, branches: { total: 4, covered: 4, pct: 100 } } }, 'c.json');
    expect(result.ok && result.facts).toMatchObject({ lines: null, branches: 100 });
  });

  it.each([
    [{ total: { lines: { pct: 'n/a' } } }, 'invalid_field', /total\.lines\.pct/],
    [{ total: { lines: { pct: 120 } } }, 'invalid_field', /total\.lines\.pct/],
    [{ total: { branches: { pct: 50 } } }, 'invalid_field', /total\.lines/],
    [{ files: {} }, 'wrong_format', /"total"/],
  ])('rejects %j', (value, code, message) => {
    const result = parseIstanbulSummary(value, 'c.json');
    expect(!result.ok && result.error.code).toBe(code);
    expect(!result.ok && result.error.message).toMatch(message);
  });
});

describe('lcov', () => {
  it('sums LF/LH per file into an overall line percentage', async () => {
    const result = await parseEvidence('lcov.info', fixture('lcov.info'));
    expect(result.ok && result.format).toBe('lcov');
    expect(result.ok && result.facts).toEqual({
      kind: 'coverage',
      tool: 'lcov',
      lines: (12 / 15) * 100,
      statements: null,
      branches: 50,
      functions: 75,
      linesFound: 15,
      linesHit: 12,
      files: [
        { path: '/home/runner/work/shop/src/cart.ts', linesFound: 10, linesHit: 7 },
        { path: '/home/runner/work/shop/src/price.ts', linesFound: 5, linesHit: 5 },
      ],
    });
  });

  it('counts DA lines when a record has no LF/LH', async () => {
    const result = await parseLcov(linesOf('SF:a.js\nDA:1,1\nDA:2,0\nDA:3,5\nend_of_record\n'), 'a.info');
    expect(result.ok && result.facts).toMatchObject({ lines: (2 / 3) * 100, linesFound: 3, linesHit: 2 });
  });

  it('gives null, not 100, when no lines were found', async () => {
    const result = await parseLcov(linesOf('SF:a.js\nLF:0\nLH:0\nend_of_record\n'), 'a.info');
    expect(result.ok && result.facts.lines).toBeNull();
  });

  it('handles CRLF line endings', async () => {
    const result = await parseEvidence('win.info', 'TN:\r\nSF:a.js\r\nLF:4\r\nLH:3\r\nend_of_record\r\n');
    expect(result.ok && result.facts).toMatchObject({ lines: 75 });
  });

  it.each([
    ['SF:a.js\nDA:1,1\nLF:1\n', 'truncated', 3, /ends early at line 3.*a\.js opened at line 1/],
    ['SF:a.js\nLF:x\nend_of_record\n', 'malformed', 2, /LF needs a non-negative integer/],
    ['SF:a.js\nSF:b.js\nend_of_record\n', 'malformed', 2, /before end_of_record/],
    ['TN:\nDA:1,1\n', 'malformed', 2, /outside a record/],
    ['SF:a.js\nhello world\nend_of_record\n', 'wrong_format', 2, /not an lcov line/],
  ])('reports %j as %s at line %i', async (text, code, line, message) => {
    const result = await parseLcov(linesOf(text), 'bad.info');
    expect(!result.ok && result.error).toMatchObject({ code, line, file: 'bad.info' });
    expect(!result.ok && result.error.message).toMatch(message);
  });

  it('reports a tracefile with no records as empty', async () => {
    const result = await parseLcov(linesOf('TN:\n'), 'none.info');
    expect(!result.ok && result.error.code).toBe('empty');
  });
});

describe('Cobertura', () => {
  it('reads istanbul cobertura output (with DOCTYPE)', async () => {
    const result = await parseEvidence('cobertura-coverage.xml', fixture('cobertura-coverage.xml'));
    expect(result).toEqual({
      ok: true,
      format: 'cobertura',
      facts: { kind: 'coverage', tool: 'cobertura', lines: 80, statements: null, branches: 50, functions: null, linesFound: 15, linesHit: 12 },
    });
  });

  it('reads coverage.py output; no branches measured is null', async () => {
    const result = await parseEvidence('coverage.xml', fixture('cobertura-coverage-py.xml'));
    expect(result.ok && result.facts).toMatchObject({ lines: (41 / 58) * 100, branches: null });
  });

  it.each([
    ['<coverage line-rate="0.915"/>', 91.5],
    ['<coverage line-rate="0" lines-valid="0" lines-covered="0"/>', null],
  ])('line %% of %s is %s', (xml, lines) => {
    const result = parseCobertura(xml, 'c.xml');
    expect(result.ok && result.facts.lines).toBe(lines);
  });

  it.each(['<coverage/>', '<coverage line-rate="high"/>', '<coverage line-rate="1.5"/>'])('rejects %s', (xml) => {
    const result = parseCobertura(xml, 'c.xml');
    expect(!result.ok && result.error.code).toBe('invalid_field');
  });
});
