/** Prometheus-style durations (`5m`, `1h`, `30d`, `1w`) to milliseconds and back. */

const unitMs: Record<string, number> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 7 * 86_400_000,
};

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/**
 * Parses a single-unit duration (`90s`, `5m`, `1h`, `30d`, `1w`). Returns undefined for anything
 * else, including compound forms (`1h30m`) that Rampart does not need.
 */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/.exec(text.trim());
  if (!match) return undefined;
  const ms = Number(match[1]) * (unitMs[match[2] as string] as number);
  return Number.isFinite(ms) && ms > 0 ? ms : undefined;
}

/** Formats milliseconds with the largest unit that divides it exactly (`86400000` → `1d`). */
export function formatDuration(ms: number): string {
  // Weeks are skipped on purpose: rule names read `ratio_rate28d`, not `ratio_rate4w`.
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const size = unitMs[unit] as number;
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
