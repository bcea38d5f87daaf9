import type { Severity, SeverityCounts, VulnerabilityFacts } from './types.js';

/**
 * Maps a tool's severity word to ours, case-insensitively: npm's `moderate` is medium, grype's
 * `negligible` is info. Anything unrecognised (or absent) is `unknown`, which gates must not
 * treat as harmless.
 */
export function normalizeSeverity(word: unknown): Severity {
  if (typeof word !== 'string') return 'unknown';
  switch (word.trim().toLowerCase()) {
    case 'critical':
      return 'critical';
    case 'high':
      return 'high';
    case 'medium':
    case 'moderate':
      return 'medium';
    case 'low':
      return 'low';
    case 'info':
    case 'negligible':
      return 'info';
    default:
      return 'unknown';
  }
}

export function zeroCounts(): SeverityCounts {
  return { critical: 0, high: 0, medium: 0, low: 0, info: 0, unknown: 0 };
}

/** Accumulates findings into vulnerability facts. */
export function createVulnerabilityTally(tool: VulnerabilityFacts['tool']) {
  const bySeverity = zeroCounts();
  const fixableBySeverity = zeroCounts();
  const ids: Record<Severity, Set<string>> = {
    critical: new Set(),
    high: new Set(),
    medium: new Set(),
    low: new Set(),
    info: new Set(),
    unknown: new Set(),
  };
  let total = 0;
  return {
    add(severity: Severity, id: string, fixable: boolean) {
      total += 1;
      bySeverity[severity] += 1;
      if (fixable) fixableBySeverity[severity] += 1;
      ids[severity].add(id);
    },
    /** Overrides counts with the tool's own summary (npm audit's metadata). */
    setCounts(counts: SeverityCounts) {
      Object.assign(bySeverity, counts);
      total = Object.values(counts).reduce((sum, n) => sum + n, 0);
    },
    facts(): VulnerabilityFacts {
      const idsBySeverity = Object.fromEntries(
        Object.entries(ids).map(([severity, set]) => [severity, [...set].sort()]),
      ) as Record<Severity, string[]>;
      return { kind: 'vulnerabilities', tool, total, bySeverity, fixableBySeverity, idsBySeverity };
    },
  };
}
