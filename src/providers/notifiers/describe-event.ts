import type { NotificationEvent } from './types.js';

/** "rollout.rolled_back" → "Rollout rolled back": the headline people read. */
export function headline(e: NotificationEvent): string {
  const words = e.type.replace(/[._-]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** One line per deciding measurement: "error-rate = 0.2 (result[0] < 0.05: Failed)". */
export function measurementLines(e: NotificationEvent): string[] {
  return (e.measurements ?? []).map((m) => {
    const judged = [m.condition, m.phase].filter(Boolean).join(': ');
    return `${m.metric} = ${m.value}${judged ? ` (${judged})` : ''}`;
  });
}
