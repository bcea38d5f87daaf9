import { fail, fieldError, succeed } from './errors.js';
import type { CoverageFacts, FactsResult } from './types.js';
import { attr, parseXmlText, rootName } from './xml.js';

const EXPECTED = 'a Cobertura XML report (<coverage line-rate="…">)';
const ARRAY_TAGS = new Set(['package', 'class', 'line', 'method', 'source']);

/**
 * Reads a Cobertura report's root `<coverage>` attributes. Line % is `lines-covered /
 * lines-valid` when both are present (exact), else `line-rate × 100`. A report that measured
 * no lines (`lines-valid="0"`) has `lines: null` — nothing measured is not 100 %.
 */
export function parseCobertura(text: string, file: string): FactsResult<CoverageFacts> {
  const parsed = parseXmlText(text, file, EXPECTED, ARRAY_TAGS);
  if (!parsed.ok) return parsed;
  const root = rootName(parsed.doc);
  if (root !== 'coverage') {
    return fail('wrong_format', file, `${file} has root element <${root ?? 'none'}>; expected ${EXPECTED}`, {
      line: 1,
      column: 1,
    });
  }
  const coverage = parsed.doc.coverage;
  const lines = percent(attr(coverage, 'line-rate'), attr(coverage, 'lines-covered'), attr(coverage, 'lines-valid'));
  if (lines === 'invalid') return fieldError(file, 'coverage@line-rate', 'a number from 0 to 1');
  const branches = percent(
    attr(coverage, 'branch-rate'),
    attr(coverage, 'branches-covered'),
    attr(coverage, 'branches-valid'),
  );
  const linesValid = Number(attr(coverage, 'lines-valid'));
  const linesCovered = Number(attr(coverage, 'lines-covered'));
  return succeed({
    kind: 'coverage',
    tool: 'cobertura',
    lines,
    statements: null,
    branches: branches === 'invalid' ? null : branches,
    functions: null,
    ...(Number.isFinite(linesValid) && Number.isFinite(linesCovered)
      ? { linesFound: linesValid, linesHit: linesCovered }
      : {}),
  });
}

function percent(rate: string | undefined, covered: string | undefined, valid: string | undefined) {
  const c = Number(covered);
  const v = Number(valid);
  if (covered !== undefined && valid !== undefined && Number.isFinite(c) && Number.isFinite(v)) {
    return v > 0 ? (c / v) * 100 : null;
  }
  if (rate === undefined) return 'invalid' as const;
  const r = Number(rate);
  if (rate.trim() === '' || !Number.isFinite(r) || r < 0 || r > 1) return 'invalid' as const;
  return r * 100;
}
