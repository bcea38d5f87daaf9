import type { JudgeSpec } from '../../domain/analysis/template.js';
import type { Cursor } from './yaml-cursor.js';

/**
 * Parses Rampart's `spec.judge`: `threshold`, `statistical`, or
 * `{type: statistical, errorRate: {alpha, beta, k, tolerance}, latency: {alpha, looks, minEffect, minSamples}}`.
 * Ranges are checked when the run is resolved.
 */
export function parseJudge(c: Cursor): JudgeSpec | undefined {
  if (!c.exists) return undefined;
  const plain = c.scalar();
  const type = typeof plain === 'string' ? plain : c.get('type').string(true);
  if (type !== 'threshold' && type !== 'statistical') {
    (typeof plain === 'string' ? c : c.get('type')).error('FIELD_VALUE', `judge "${type ?? ''}" is not one of threshold, statistical`);
    return undefined;
  }
  if (typeof plain === 'string' || type === 'threshold') {
    if (c.isMap()) c.allowOnly(['type']);
    return { type };
  }
  c.allowOnly(['type', 'errorRate', 'latency']);
  const numbers = (section: Cursor, fields: readonly string[]): Record<string, number> => {
    section.allowOnly(fields);
    const out: Record<string, number> = {};
    for (const field of fields) {
      const v = section.get(field).scalar();
      if (v === undefined || v === null) continue;
      if (typeof v === 'number' && Number.isFinite(v)) out[field] = v;
      else section.get(field).error('FIELD_TYPE', `${field} must be a number`);
    }
    return out;
  };
  const errorRate = numbers(c.get('errorRate'), ['alpha', 'beta', 'k', 'tolerance']);
  const latency = numbers(c.get('latency'), ['alpha', 'looks', 'minEffect', 'minSamples']);
  return { type, errorRate, latency };
}
