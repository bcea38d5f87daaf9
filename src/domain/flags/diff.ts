/** One changed leaf between two JSON values; `from`/`to` absent when the path was added/removed. */
export interface JsonChange {
  path: string;
  from?: unknown;
  to?: unknown;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function child(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  return /^[A-Za-z_$][\w$-]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key)}]`;
}

/**
 * A structural diff: objects compared key by key (sorted), arrays index by index, anything else
 * as a whole. Used for flag history, so a reviewer sees "targeting.if[1] 10 → 25" rather than two
 * whole documents.
 */
export function diffJson(before: unknown, after: unknown, path = ''): JsonChange[] {
  if (isObject(before) && isObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((k) => {
      if (!(k in after)) return [{ path: child(path, k), from: before[k] }];
      if (!(k in before)) return [{ path: child(path, k), to: after[k] }];
      return diffJson(before[k], after[k], child(path, k));
    });
  }
  if (Array.isArray(before) && Array.isArray(after)) {
    const out: JsonChange[] = [];
    for (let i = 0; i < Math.max(before.length, after.length); i++) {
      if (i >= after.length) out.push({ path: child(path, i), from: before[i] });
      else if (i >= before.length) out.push({ path: child(path, i), to: after[i] });
      else out.push(...diffJson(before[i], after[i], child(path, i)));
    }
    return out;
  }
  if (JSON.stringify(before) === JSON.stringify(after)) return [];
  return [{ path: path || '$', ...(before === undefined ? {} : { from: before }), ...(after === undefined ? {} : { to: after }) }];
}
