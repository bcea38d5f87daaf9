import type { MetricValue } from '../../domain/analysis/index.js';

export type JsonPathResult = { ok: true; value: MetricValue } | { ok: false; message: string };

type Step = { key: string } | { index: number };

/**
 * A small JSONPath subset, enough for Argo's web provider: `$`, `.name`, `['name']` / `["name"]`,
 * `[0]` (negative indexes count from the end), optionally wrapped in `{…}` as Argo writes it.
 * Parse errors and misses are values naming the position or the missing step.
 */
export function selectJsonPath(document: MetricValue, path: string): JsonPathResult {
  const parsed = parseJsonPath(path);
  if (!parsed.ok) return parsed;
  let node: MetricValue = document;
  let walked = '$';
  for (const step of parsed.steps) {
    if ('key' in step) {
      if (node === null || typeof node !== 'object' || Array.isArray(node) || !(step.key in node)) {
        return { ok: false, message: `jsonPath ${path}: ${walked} has no field "${step.key}"` };
      }
      node = (node as Record<string, MetricValue>)[step.key] as MetricValue;
      walked += `.${step.key}`;
    } else {
      if (!Array.isArray(node)) return { ok: false, message: `jsonPath ${path}: ${walked} is not a list` };
      const list = node as readonly MetricValue[];
      const i = step.index < 0 ? list.length + step.index : step.index;
      if (i < 0 || i >= list.length) return { ok: false, message: `jsonPath ${path}: ${walked}[${step.index}] is out of range (length ${list.length})` };
      node = list[i] as MetricValue;
      walked += `[${step.index}]`;
    }
  }
  return { ok: true, value: node };
}

export function parseJsonPath(raw: string): { ok: true; steps: Step[] } | { ok: false; message: string } {
  let text = raw.trim();
  if (text.startsWith('{') && text.endsWith('}')) text = text.slice(1, -1).trim();
  if (!text.startsWith('$')) return { ok: false, message: `jsonPath "${raw}" must start with $` };
  const steps: Step[] = [];
  let i = 1;
  const fail = (what: string) => ({ ok: false as const, message: `jsonPath "${raw}" at column ${i + 1}: ${what}` });
  while (i < text.length) {
    const c = text[i];
    if (c === '.') {
      const m = /^[A-Za-z_$][\w$-]*/.exec(text.slice(i + 1));
      if (!m) return fail('expected a field name after "."');
      steps.push({ key: m[0] });
      i += 1 + m[0].length;
    } else if (c === '[') {
      const rest = text.slice(i);
      const index = /^\[\s*(-?\d+)\s*\]/.exec(rest);
      const quoted = /^\[\s*(['"])((?:(?!\1).)*)\1\s*\]/.exec(rest);
      if (index) {
        steps.push({ index: Number(index[1]) });
        i += index[0].length;
      } else if (quoted) {
        steps.push({ key: quoted[2] ?? '' });
        i += quoted[0].length;
      } else {
        return fail('expected [number] or [\'name\'] (filters, wildcards and slices are not supported)');
      }
    } else {
      return fail(`unexpected "${c ?? ''}"`);
    }
  }
  return { ok: true, steps };
}
