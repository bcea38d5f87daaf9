import { z } from 'zod';

/** The schemas of configuration fields that hold secrets (webhook URLs, keys, tokens). */
const secretFields = z.registry<{ secret: true }>();

/**
 * Marks a config field as secret: it is redacted wherever config is shown, logged or audited.
 * Wrap the finished field schema (`.describe()` and `.refine()` return new schemas that lose the mark;
 * `.optional()` and `.default()` keep it reachable).
 */
export function secret<S extends z.ZodType>(schema: S): S {
  secretFields.add(schema, { secret: true });
  return schema;
}

/** The text that replaces a secret. */
export const REDACTED = '[redacted]';

function isSecret(schema: z.ZodType): boolean {
  let s: z.ZodType = schema;
  // A field may wrap its secret schema in optional() or default(); the mark sits on the inner one.
  for (;;) {
    if (secretFields.has(s)) return true;
    if (s instanceof z.ZodOptional || s instanceof z.ZodDefault || s instanceof z.ZodNullable) s = s.unwrap() as z.ZodType;
    else return false;
  }
}

function shapeOf(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  return schema instanceof z.ZodObject ? (schema.shape as Record<string, z.ZodType>) : undefined;
}

/**
 * A copy of `config` with every field its schema marks secret replaced by "[redacted]" (absent
 * fields stay absent). Fields the schema does not know are dropped: what is unknown is not shown.
 */
export function redact(schema: z.ZodType, config: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const shape = shapeOf(schema);
  if (!shape) return {};
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(shape)) {
    if (!(key in config) || config[key] === undefined) continue;
    out[key] = isSecret(field) ? REDACTED : config[key];
  }
  return out;
}

/**
 * The strings to scrub for `values`: each value, and for a URL also its path and query, which a
 * receiver may echo without the host (a Slack or webhook URL's secret is its path).
 */
export function secretForms(values: readonly string[]): string[] {
  const out = new Set<string>();
  for (const v of values) {
    if (v.length === 0) continue;
    out.add(v);
    if (URL.canParse(v)) {
      const u = new URL(v);
      for (const part of [`${u.pathname}${u.search}`, u.pathname, u.search]) if (part.length > 1) out.add(part);
    }
  }
  // Longest first, so a whole URL is replaced before its path would split it.
  return [...out].sort((a, b) => b.length - a.length);
}

/** The secret strings in `config` (to scrub from error messages before they are stored or logged). */
export function secretValues(schema: z.ZodType, config: Readonly<Record<string, unknown>>): string[] {
  const shape = shapeOf(schema);
  if (!shape) return [];
  return Object.entries(shape)
    .filter(([key, field]) => isSecret(field) && typeof config[key] === 'string' && (config[key] as string).length > 0)
    .flatMap(([key]) => secretForms([config[key] as string]));
}

/** `text` with every occurrence of each secret replaced by "[redacted]". */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) out = out.split(s).join(REDACTED);
  return out;
}
