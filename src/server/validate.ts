import type { Context } from 'hono';
import type { z } from 'zod';
import { pathText } from '../config/load.js';
import { RampartError } from '../platform/errors.js';

/** Parses a JSON body with a schema; a bad body is a 400 naming each field and what it needs. */
export async function jsonBody<T extends z.ZodType>(c: Context, schema: T): Promise<z.infer<T>> {
  let raw: unknown;
  try {
    raw = await c.req.json();
  } catch {
    throw new RampartError('BAD_REQUEST', 'request body must be JSON (Content-Type: application/json)');
  }
  return parseWith(schema, raw, 'body');
}

export function parseWith<T extends z.ZodType>(schema: T, raw: unknown, where: string): z.infer<T> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const fields = r.error.issues.map((i) => ({ field: pathText(i.path) || where, message: i.message }));
  throw new RampartError('VALIDATION_FAILED', fields.map((f) => `${f.field}: ${f.message}`).join('; '), { fields });
}
