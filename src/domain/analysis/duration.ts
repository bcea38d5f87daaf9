/**
 * Argo's duration strings (Go `time.ParseDuration` with Argo's unit set): a sequence of
 * `<number><unit>` with units `ms`, `s`, `m`, `h`, e.g. "30s", "5m", "1h30m", "1.5s".
 */
export type DurationResult = { ok: true; ms: number } | { ok: false; message: string };

const UNIT_MS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000 };
const PART = /(\d+(?:\.\d*)?|\.\d+)(ns|us|µs|ms|s|m|h)/y;

/** Parses a duration string to milliseconds; never throws. "0" alone is allowed (zero). */
export function parseDuration(text: string): DurationResult {
  const input = text.trim();
  if (input === '0') return { ok: true, ms: 0 };
  if (input === '') return fail(text);
  let total = 0;
  PART.lastIndex = 0;
  let at = 0;
  while (at < input.length) {
    PART.lastIndex = at;
    const match = PART.exec(input);
    if (!match) return fail(text);
    total += Number(match[1]) * (UNIT_MS[match[2] ?? ''] ?? Number.NaN);
    at = PART.lastIndex;
  }
  if (!Number.isFinite(total)) return fail(text);
  return { ok: true, ms: Math.round(total) };
}

/** Formats milliseconds back to the shortest Argo-style string ("90s" → "1m30s"). */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of [['h', 3_600_000], ['m', 60_000], ['s', 1000]] as const) {
    const whole = Math.floor(rest / size);
    if (whole > 0) parts.push(`${whole}${unit}`);
    rest -= whole * size;
  }
  if (rest > 0) parts.push(`${rest}ms`);
  return parts.join('');
}

function fail(text: string): DurationResult {
  return { ok: false, message: `"${text}" is not a duration; write e.g. "30s", "5m", "1h" or "1m30s"` };
}
