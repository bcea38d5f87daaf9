import { DateTime, IANAZone } from 'luxon';
import { LineCounter, isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Node } from 'yaml';
import { globMatch } from './glob.js';

/**
 * A deployment freeze: no release of a matching service from `startMs` (inclusive) to `endMs`
 * (exclusive), as the spec's rego compares `start_ns <= now < end_ns`.
 */
export interface Freeze {
  id: string;
  startMs: number;
  endMs: number;
  reason: string;
  /** Service names or globs (`worker-*`). Empty with `tiers` empty: every service. */
  services: readonly string[];
  /** Tier names. A freeze applies when the service matches `services` OR its tier is in `tiers`. */
  tiers: readonly string[];
}

export interface FreezeIssue {
  code: 'FREEZE_INVALID';
  file: string;
  /** 1-based line in the file; 0 when the problem is the whole document. */
  line: number;
  /** Path of the offending field, e.g. `freezes[1].end`. */
  field: string;
  message: string;
}

export type ParseFreezesResult = { ok: true; freezes: Freeze[] } | { ok: false; issues: FreezeIssue[] };

const KNOWN_FIELDS = new Set(['id', 'start', 'end', 'reason', 'scope', 'timeZone']);
const OFFSET = /(Z|[+-]\d{2}:?\d{2})$/i;

/**
 * Parses `deployment_freezes.yaml`:
 *
 * ```yaml
 * freezes:
 *   - id: year-end
 *     start: 2026-12-20T00:00:00Z      # an offset is required unless timeZone is given
 *     end: 2027-01-04T00:00:00Z
 *     reason: Year-end freeze
 *     scope: { services: [api, "worker-*"], tiers: ["1"] }   # omit for every service
 * ```
 *
 * A top-level list is accepted too. Every problem is reported with its line and field; never throws.
 */
export function parseFreezes(content: string, file = 'deployment_freezes.yaml'): ParseFreezesResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(content, { lineCounter, prettyErrors: false });
  const issues: FreezeIssue[] = [];
  const lineOf = (node: Node | null | undefined) => (node?.range ? lineCounter.linePos(node.range[0]).line : 0);
  const issue = (node: Node | null | undefined, field: string, message: string) =>
    issues.push({ code: 'FREEZE_INVALID', file, line: lineOf(node), field, message: `${file}:${lineOf(node)}: ${field}: ${message}` });

  for (const error of doc.errors) {
    const line = lineCounter.linePos(error.pos[0]).line;
    issues.push({ code: 'FREEZE_INVALID', file, line, field: '(syntax)', message: `${file}:${line}: YAML syntax error: ${error.message.split('\n')[0]}` });
  }
  if (issues.length > 0) return { ok: false, issues };

  let list: Node | null | undefined = doc.contents;
  if (list === null || (isScalar(list) && list.value === null)) return { ok: true, freezes: [] };
  if (isMap(list)) list = list.get('freezes', true) as Node | undefined;
  if (list === undefined || list === null) return { ok: true, freezes: [] };
  if (!isSeq(list)) {
    issue(list, 'freezes', 'must be a list of freezes');
    return { ok: false, issues };
  }

  const freezes: Freeze[] = [];
  list.items.forEach((item, index) => {
    const at = `freezes[${index}]`;
    if (!isMap(item)) return void issue(item as Node, at, 'must be a mapping with start, end and reason');
    for (const pair of item.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (!KNOWN_FIELDS.has(key)) issue(pair.key as Node, `${at}.${key}`, `unknown field; expected one of ${[...KNOWN_FIELDS].join(', ')}`);
    }
    const scalar = (key: string): { node: Node | undefined; text: string | undefined } => {
      const node = item.get(key, true) as Node | undefined;
      if (node === undefined) return { node, text: undefined };
      if (!isScalar(node) || node.value === null || typeof node.value === 'object') {
        issue(node, `${at}.${key}`, 'must be a single value');
        return { node, text: undefined };
      }
      return { node, text: String(node.value) };
    };
    const zone = scalar('timeZone');
    if (zone.text !== undefined && !IANAZone.isValidZone(zone.text)) issue(zone.node, `${at}.timeZone`, `"${zone.text}" is not an IANA time zone`);
    const instant = (key: 'start' | 'end'): number | undefined => {
      const { node, text } = scalar(key);
      if (text === undefined) {
        if (node === undefined) issue(item, `${at}.${key}`, `${key} is required (ISO 8601, e.g. 2026-12-20T00:00:00Z)`);
        return undefined;
      }
      if (!OFFSET.test(text) && zone.text === undefined) {
        issue(node, `${at}.${key}`, `"${text}" has no UTC offset; add "Z" or "+01:00", or give the freeze a timeZone`);
        return undefined;
      }
      const parsed = DateTime.fromISO(text, { zone: zone.text ?? 'UTC', setZone: true });
      if (!parsed.isValid) {
        issue(node, `${at}.${key}`, `"${text}" is not an ISO 8601 date-time`);
        return undefined;
      }
      return parsed.toMillis();
    };
    const startMs = instant('start');
    const endMs = instant('end');
    if (startMs !== undefined && endMs !== undefined && endMs <= startMs) issue(item.get('end', true) as Node, `${at}.end`, 'end must be after start');
    const reason = scalar('reason');
    if (!reason.text || reason.text.trim() === '') issue(reason.node ?? item, `${at}.reason`, 'a non-empty reason is required');
    const id = scalar('id');
    const scope = readScope(item.get('scope', true) as Node | undefined, `${at}.scope`, issue);
    if (startMs !== undefined && endMs !== undefined && endMs > startMs && reason.text && scope) {
      freezes.push({ id: id.text ?? `freeze-${index + 1}`, startMs, endMs, reason: reason.text, ...scope });
    }
  });
  return issues.length > 0 ? { ok: false, issues } : { ok: true, freezes };
}

function readScope(
  node: Node | undefined,
  at: string,
  issue: (node: Node | null | undefined, field: string, message: string) => void,
): { services: string[]; tiers: string[] } | undefined {
  if (node === undefined || (isScalar(node) && node.value === null)) return { services: [], tiers: [] };
  if (!isMap(node)) return void issue(node, at, 'must be a mapping with services and/or tiers');
  const out = { services: [] as string[], tiers: [] as string[] };
  let ok = true;
  for (const pair of node.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (key !== 'services' && key !== 'tiers') {
      issue(pair.key as Node, `${at}.${key}`, 'unknown field; expected services or tiers');
      ok = false;
      continue;
    }
    const value = pair.value as Node | null;
    if (!isSeq(value) || !value.items.every((v) => isScalar(v) && v.value !== null && typeof v.value !== 'object')) {
      issue(value ?? node, `${at}.${key}`, 'must be a list of names');
      ok = false;
      continue;
    }
    out[key] = value.items.map((v) => String((v as { value: unknown }).value));
  }
  return ok ? out : undefined;
}

/** What a freeze is matched against. */
export interface FreezeTarget {
  service: string;
  tier?: string;
}

/** Whether the freeze's scope covers the target (ignores time). */
export function freezeApplies(freeze: Freeze, target: FreezeTarget): boolean {
  if (freeze.services.length === 0 && freeze.tiers.length === 0) return true;
  if (freeze.services.some((pattern) => globMatch(pattern, target.service))) return true;
  return target.tier !== undefined && freeze.tiers.includes(target.tier);
}

/** Whether the freeze is in force at `nowMs`: start inclusive, end exclusive. */
export function freezeInForce(freeze: Freeze, nowMs: number): boolean {
  return freeze.startMs <= nowMs && nowMs < freeze.endMs;
}

/** The freezes that cover the target and are in force at `nowMs`, in file order. */
export function activeFreezes(freezes: readonly Freeze[], target: FreezeTarget, nowMs: number): Freeze[] {
  return freezes.filter((f) => freezeApplies(f, target) && freezeInForce(f, nowMs));
}
