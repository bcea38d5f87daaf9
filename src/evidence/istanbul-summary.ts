import { fail, fieldError, isRecord, succeed } from './errors.js';
import type { CoverageFacts, FactsResult } from './types.js';

const METRICS = ['lines', 'statements', 'branches', 'functions'] as const;

/**
 * Reads istanbul's `coverage-summary.json` (the `json-summary` reporter): the `total` entry's
 * `pct` per metric. istanbul writes `"pct": "Unknown"` when a metric has nothing to measure
 * (total 0), and newer versions write 100 for the same case; both become `null` (missing),
 * never 100.
 */
export function parseIstanbulSummary(value: unknown, file: string): FactsResult<CoverageFacts> {
  if (!isRecord(value) || !isRecord(value.total)) {
    return fail(
      'wrong_format',
      file,
      `${file} has no "total" object; expected an istanbul coverage-summary.json (reporter "json-summary")`,
    );
  }
  const total = value.total;
  const pct: Record<(typeof METRICS)[number], number | null> = {
    lines: null,
    statements: null,
    branches: null,
    functions: null,
  };
  for (const metric of METRICS) {
    const entry = total[metric];
    if (entry === undefined) continue;
    if (!isRecord(entry)) return fieldError(file, `total.${metric}`, 'an object with "pct"');
    const raw = entry.pct;
    if (raw === 'Unknown' || raw === undefined || raw === null) continue;
    // Newer istanbul writes pct 100 for a metric with nothing to measure: that is missing too.
    if (entry.total === 0) continue;
    if (typeof raw !== 'number' || !Number.isFinite(raw) || raw < 0 || raw > 100) {
      return fieldError(file, `total.${metric}.pct`, 'a number from 0 to 100 or "Unknown"');
    }
    pct[metric] = raw;
  }
  if (total.lines === undefined) return fieldError(file, 'total.lines', 'present (line coverage summary)');
  // Counts let coverage from several summaries be combined exactly.
  const lines = total.lines as Record<string, unknown>;
  const counts =
    typeof lines.total === 'number' && typeof lines.covered === 'number' ? { linesFound: lines.total, linesHit: lines.covered } : {};
  return succeed({ kind: 'coverage', tool: 'istanbul', ...pct, ...counts });
}
