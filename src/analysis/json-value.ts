import type { MetricValue } from '../domain/analysis/index.js';

/**
 * Measurement values as plain JSON. JSON.stringify turns NaN and ±Infinity into null, and NaN
 * (0/0: no traffic) must survive a restart as NaN, so non-finite numbers are stored as
 * `{"$float": "NaN" | "+Inf" | "-Inf"}`. A user object that happens to have only a `$float`
 * or `$escaped` key is wrapped as `{"$escaped": …}` so decoding never mistakes it.
 */
export type StoredValue = number | string | boolean | null | StoredValue[] | { [key: string]: StoredValue };

const isMarker = (o: object): boolean => {
  const keys = Object.keys(o);
  return keys.length === 1 && (keys[0] === '$float' || keys[0] === '$escaped');
};

export function encodeValue(value: MetricValue): StoredValue {
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return value;
    return { $float: Number.isNaN(value) ? 'NaN' : value > 0 ? '+Inf' : '-Inf' };
  }
  if (Array.isArray(value)) return value.map((v: MetricValue) => encodeValue(v));
  if (value !== null && typeof value === 'object') {
    const inner = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, encodeValue(v as MetricValue)]));
    return isMarker(value) ? { $escaped: inner } : inner;
  }
  return value;
}

export function decodeValue(stored: StoredValue): MetricValue {
  if (Array.isArray(stored)) return stored.map((v) => decodeValue(v));
  if (stored !== null && typeof stored === 'object') {
    const keys = Object.keys(stored);
    if (keys.length === 1 && keys[0] === '$float') {
      const f = stored.$float;
      return f === 'NaN' ? Number.NaN : f === '+Inf' ? Infinity : -Infinity;
    }
    if (keys.length === 1 && keys[0] === '$escaped') {
      const inner = stored.$escaped as { [key: string]: StoredValue };
      return Object.fromEntries(Object.entries(inner).map(([k, v]) => [k, decodeValue(v)]));
    }
    return Object.fromEntries(Object.entries(stored).map(([k, v]) => [k, decodeValue(v)]));
  }
  return stored;
}
