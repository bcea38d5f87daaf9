import type { Slo } from './api.tsx';

/** One line per objective, in the catalog's words: "availability 99.95 %", "p(latency ≤ 200 ms) 99 %". */
export function objectives(slo: Slo): string[] {
  if (slo.bestEffort) return [];
  const out: string[] = [];
  if (slo.availability) out.push(`availability ${slo.availability.target} %`);
  if (slo.latency) out.push(`latency ≤ ${slo.latency.thresholdMs} ms for ${slo.latency.target} %`);
  if (slo.durability) out.push(`durability ${slo.durability.target} %`);
  if (slo.completion) out.push(`completion ${slo.completion.target} %`);
  return out;
}

/** The error budget an objective allows over its window, e.g. 99.9 % over 30 d → 43.2 min of full outage. */
export function budgetText(target: number, window: string): string {
  const share = (100 - target) / 100;
  const days = window === '7d' ? 7 : window === '28d' ? 28 : window === '30d' ? 30 : undefined;
  const pct = `${Math.round((100 - target) * 1000) / 1000} % of events`;
  if (days === undefined) return `${pct} per calendar month`;
  const minutes = share * days * 24 * 60;
  const time = minutes >= 120 ? `${Math.round((minutes / 60) * 10) / 10} h` : `${Math.round(minutes * 10) / 10} min`;
  return `${pct} (≈ ${time} of full outage) per ${days} d`;
}
