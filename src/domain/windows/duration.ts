import { Duration } from 'luxon';

/**
 * Parses a window length: an ISO 8601 duration (`PT7H`, `P1DT2H`) or a shorthand of
 * whole units `d`, `h`, `m`, `s` (`7h`, `1h30m`, `2d`). Days count as 24 h of elapsed time, so a
 * window keeps its length across a DST switch. Returns milliseconds, or `null` when the text is
 * neither form or the length is not positive.
 */
export function parseDurationMs(text: string): number | null {
  const trimmed = text.trim();
  if (/^P/i.test(trimmed)) {
    const parsed = Duration.fromISO(trimmed.toUpperCase());
    if (!parsed.isValid) return null;
    // Months and years have no fixed length: refuse them rather than guess.
    if (parsed.years !== 0 || parsed.months !== 0) return null;
    const ms = parsed.as('milliseconds');
    return ms > 0 ? ms : null;
  }
  const match = /^(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/.exec(trimmed);
  if (!match || trimmed === '') return null;
  const [, d, h, m, s] = match;
  const ms = ((Number(d ?? 0) * 24 + Number(h ?? 0)) * 60 + Number(m ?? 0)) * 60_000 + Number(s ?? 0) * 1000;
  return ms > 0 ? ms : null;
}
