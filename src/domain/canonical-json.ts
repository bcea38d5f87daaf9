import { createHash } from 'node:crypto';

/**
 * Canonical JSON: object keys sorted by UTF-16 code units, no whitespace, numbers, strings and
 * literals exactly as `JSON.stringify` writes them. Like `JSON.stringify`, an `undefined` property
 * is omitted and an `undefined` array element becomes `null`. Two values that are deep-equal after
 * a JSON round-trip give the same text, so the text is a stable thing to hash.
 *
 * Non-finite numbers become `null`, as in `JSON.stringify`. Throws a `TypeError` for bigint,
 * functions, symbols and cycles, which JSON cannot store at all.
 */
export function canonicalJson(value: unknown): string {
  return write(value, new Set());
}

/** `sha256:<hex>` of the canonical JSON of `value`. */
export function canonicalDigest(value: unknown): string {
  return sha256Hex(canonicalJson(value));
}

/** `sha256:<hex>` of a UTF-8 string (used for policy source text, hashed as written). */
export function sha256Hex(text: string): string {
  return `sha256:${createHash('sha256').update(text, 'utf8').digest('hex')}`;
}

function write(value: unknown, stack: Set<object>): string {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return JSON.stringify(value);
    case 'number':
      // As JSON.stringify: NaN and ±Infinity become null (what a stored copy will hold).
      return JSON.stringify(value);
    case 'object':
      break;
    default:
      throw new TypeError(`canonical JSON cannot encode a ${typeof value}`);
  }
  const obj = value as object;
  if (stack.has(obj)) throw new TypeError('canonical JSON cannot encode a cyclic structure');
  stack.add(obj);
  try {
    if (Array.isArray(obj)) {
      return `[${obj.map((item) => (item === undefined ? 'null' : write(item, stack))).join(',')}]`;
    }
    const withToJson = obj as { toJSON?: () => unknown };
    if (typeof withToJson.toJSON === 'function') return write(withToJson.toJSON(), stack);
    const record = obj as Record<string, unknown>;
    const parts: string[] = [];
    for (const key of Object.keys(record).sort()) {
      const item = record[key];
      if (item === undefined) continue;
      parts.push(`${JSON.stringify(key)}:${write(item, stack)}`);
    }
    return `{${parts.join(',')}}`;
  } finally {
    stack.delete(obj);
  }
}
