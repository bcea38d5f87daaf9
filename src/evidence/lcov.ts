import { fail, succeed } from './errors.js';
import type { CoverageFacts, CoverageFileFacts, FactsResult } from './types.js';

const EXPECTED = 'an lcov tracefile (SF:/DA:/LF:/LH:/end_of_record lines)';

interface OpenRecord {
  path: string;
  startLine: number;
  lf: number | null;
  lh: number | null;
  daFound: number;
  daHit: number;
  brf: number;
  brh: number;
  fnf: number;
  fnh: number;
}

const KEY = /^[A-Z][A-Z_]*$/;

function count(text: string): number | null {
  const n = Number(text);
  return Number.isInteger(n) && n >= 0 ? n : null;
}

/**
 * Streams an lcov tracefile line by line (memory grows with the number of files, not the file
 * size). Per file, `LF`/`LH` are used when present, else the `DA` lines are counted. Overall
 * line % = Σ hit ÷ Σ found × 100; `null` when nothing was found. A record left open at the end
 * of input means the file was cut short: that is an error naming the record's line.
 */
export async function parseLcov(lines: AsyncIterable<readonly string[]>, file: string): Promise<FactsResult<CoverageFacts>> {
  const files: CoverageFileFacts[] = [];
  let current: OpenRecord | null = null;
  let lineNumber = 0;
  let lastLine = 0;
  let branchesFound = 0;
  let branchesHit = 0;
  let functionsFound = 0;
  let functionsHit = 0;

  for await (const batch of lines) for (const raw of batch) {
    lineNumber += 1;
    // DA lines are most of a tracefile: take them before the general path.
    if (current && raw.startsWith('DA:')) {
      lastLine = lineNumber;
      const comma = raw.indexOf(',', 3);
      const hits = comma === -1 ? NaN : parseInt(raw.slice(comma + 1), 10);
      if (Number.isNaN(hits)) return fail('malformed', file, `${file}:${lineNumber}: DA needs "<line>,<hits>"`, { line: lineNumber, column: 4 });
      current.daFound += 1;
      if (hits > 0) current.daHit += 1;
      continue;
    }
    const line = raw.trim();
    if (line === '') continue;
    lastLine = lineNumber;
    if (line === 'end_of_record') {
      if (!current) return fail('malformed', file, `${file}:${lineNumber}: end_of_record without SF:; expected ${EXPECTED}`, { line: lineNumber, column: 1 });
      files.push({ path: current.path, linesFound: current.lf ?? current.daFound, linesHit: current.lh ?? current.daHit });
      branchesFound += current.brf;
      branchesHit += current.brh;
      functionsFound += current.fnf;
      functionsHit += current.fnh;
      current = null;
      continue;
    }
    const colon = line.indexOf(':');
    const key = colon > 0 ? line.slice(0, colon) : '';
    if (!KEY.test(key)) {
      return fail('wrong_format', file, `${file}:${lineNumber}: "${line.slice(0, 40)}" is not an lcov line; expected ${EXPECTED}`, { line: lineNumber, column: 1 });
    }
    const rest = line.slice(colon + 1);
    if (key === 'SF') {
      if (current) {
        return fail('malformed', file, `${file}:${lineNumber}: SF: before end_of_record of the record opened at line ${current.startLine}`, { line: lineNumber, column: 1 });
      }
      current = { path: rest, startLine: lineNumber, lf: null, lh: null, daFound: 0, daHit: 0, brf: 0, brh: 0, fnf: 0, fnh: 0 };
      continue;
    }
    if (key === 'TN' || key === 'VER') continue;
    if (!current) {
      return fail('malformed', file, `${file}:${lineNumber}: ${key}: outside a record (no SF: before it); expected ${EXPECTED}`, { line: lineNumber, column: 1 });
    }
    switch (key) {
      case 'DA': {
        // DA:<line>,<hits>[,<checksum>]
        const hits = Number(rest.split(',')[1]);
        if (!Number.isFinite(hits)) return fail('malformed', file, `${file}:${lineNumber}: DA needs "<line>,<hits>"`, { line: lineNumber, column: 4 });
        current.daFound += 1;
        if (hits > 0) current.daHit += 1;
        break;
      }
      case 'LF':
      case 'LH':
      case 'BRF':
      case 'BRH':
      case 'FNF':
      case 'FNH': {
        const n = count(rest);
        if (n === null) return fail('malformed', file, `${file}:${lineNumber}: ${key} needs a non-negative integer`, { line: lineNumber, column: key.length + 2 });
        if (key === 'LF') current.lf = n;
        else if (key === 'LH') current.lh = n;
        else if (key === 'BRF') current.brf = n;
        else if (key === 'BRH') current.brh = n;
        else if (key === 'FNF') current.fnf = n;
        else current.fnh = n;
        break;
      }
      default:
        // FN, FNDA, BRDA, FNL, FNA and future keys carry detail we do not need.
        break;
    }
  }

  if (current) {
    return fail(
      'truncated',
      file,
      `${file} ends early at line ${lastLine}: the record for ${current.path} opened at line ${current.startLine} has no end_of_record`,
      { line: lastLine, column: 1 },
    );
  }
  if (files.length === 0) return fail('empty', file, `${file} has no SF: records; expected ${EXPECTED}`);
  let found = 0;
  let hit = 0;
  for (const entry of files) {
    found += entry.linesFound;
    hit += entry.linesHit;
  }
  return succeed({
    kind: 'coverage',
    tool: 'lcov',
    lines: found > 0 ? (hit / found) * 100 : null,
    statements: null,
    branches: branchesFound > 0 ? (branchesHit / branchesFound) * 100 : null,
    functions: functionsFound > 0 ? (functionsHit / functionsFound) * 100 : null,
    linesFound: found,
    linesHit: hit,
    files,
  });
}
