/**
 * Semantic versions as flagd's `sem_ver` reads them (Go's golang.org/x/mod/semver rules):
 * an optional leading `v`/`V`; `MAJOR`, `MAJOR.MINOR` or `MAJOR.MINOR.PATCH` (shorthands only
 * without pre-release or build); numeric parts without leading zeros; build metadata ignored.
 */

export interface SemVer {
  readonly major: string;
  readonly minor: string;
  readonly patch: string;
  /** Dot-separated pre-release identifiers; empty for a release. */
  readonly prerelease: readonly string[];
}

const NUMERIC = /^(0|[1-9][0-9]*)$/;
const IDENTIFIER = /^[0-9A-Za-z-]+$/;
const FULL = /^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(?:-([0-9A-Za-z.-]+))?(?:\+([0-9A-Za-z.-]+))?$/;
const SHORT = /^(0|[1-9][0-9]*)(?:\.(0|[1-9][0-9]*))?$/;

/** Parses a version string or number (`1.2` → "1.2"); `null` when it is not a valid version. */
export function parseSemVer(input: unknown): SemVer | null {
  if (typeof input === 'number' && Number.isFinite(input)) input = String(input);
  if (typeof input !== 'string') return null;
  const text = input.startsWith('v') || input.startsWith('V') ? input.slice(1) : input;
  const full = FULL.exec(text);
  if (full) {
    const prerelease = full[4] === undefined ? [] : full[4].split('.');
    if (!prerelease.every((id) => IDENTIFIER.test(id) && (!/^[0-9]+$/.test(id) || NUMERIC.test(id)))) return null;
    if (full[5] !== undefined && !full[5].split('.').every((id) => IDENTIFIER.test(id))) return null;
    return { major: full[1] as string, minor: full[2] as string, patch: full[3] as string, prerelease };
  }
  const short = SHORT.exec(text);
  if (short) return { major: short[1] as string, minor: short[2] ?? '0', patch: '0', prerelease: [] };
  return null;
}

function compareNumeric(a: string, b: string): number {
  // No leading zeros, so a longer digit string is larger; avoids overflow on huge parts.
  if (a.length !== b.length) return a.length < b.length ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareIdentifiers(a: string, b: string): number {
  const aNum = NUMERIC.test(a);
  const bNum = NUMERIC.test(b);
  if (aNum && bNum) return compareNumeric(a, b);
  if (aNum !== bNum) return aNum ? -1 : 1;
  return a < b ? -1 : a > b ? 1 : 0;
}

function comparePrerelease(a: readonly string[], b: readonly string[]): number {
  if (a.length === 0 || b.length === 0) return a.length === b.length ? 0 : a.length === 0 ? 1 : -1;
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const order = compareIdentifiers(a[i] as string, b[i] as string);
    if (order !== 0) return order;
  }
  return a.length === b.length ? 0 : a.length < b.length ? -1 : 1;
}

/** −1, 0 or 1 by semantic-version precedence. */
export function compareSemVer(a: SemVer, b: SemVer): number {
  return (
    compareNumeric(a.major, b.major) ||
    compareNumeric(a.minor, b.minor) ||
    compareNumeric(a.patch, b.patch) ||
    comparePrerelease(a.prerelease, b.prerelease)
  );
}

export type SemVerOperator = '=' | '!=' | '<' | '<=' | '>' | '>=' | '^' | '~';

const OPERATORS: ReadonlySet<string> = new Set(['=', '!=', '<', '<=', '>', '>=', '^', '~']);

export function isSemVerOperator(value: unknown): value is SemVerOperator {
  return typeof value === 'string' && OPERATORS.has(value);
}

/** `^` matches on major only, `~` on major and minor (pre-release ignored), as flagd does. */
export function semVerMatches(actual: SemVer, operator: SemVerOperator, target: SemVer): boolean {
  switch (operator) {
    case '=': return compareSemVer(actual, target) === 0;
    case '!=': return compareSemVer(actual, target) !== 0;
    case '<': return compareSemVer(actual, target) < 0;
    case '<=': return compareSemVer(actual, target) <= 0;
    case '>': return compareSemVer(actual, target) > 0;
    case '>=': return compareSemVer(actual, target) >= 0;
    case '^': return actual.major === target.major;
    case '~': return actual.major === target.major && actual.minor === target.minor;
  }
}
