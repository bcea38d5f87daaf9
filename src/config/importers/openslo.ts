/**
 * OpenSLO v1 import: `SLO` (with an inline `indicator` or an `indicatorRef` to an `SLI`) whose
 * indicator is a `ratioMetric` over Prometheus (inline or via a `DataSource`), with
 * `AlertPolicy`/`AlertCondition` burn-rate conditions. Objects may sit in one multi-document file.
 * Anything Rampart does not model is reported with file, line and field, never dropped silently.
 */

import { parseDuration } from '../../domain/slo/duration.js';
import type { SloDefinition, SloWindow } from '../../domain/slo/types.js';
import { validateSlo } from '../../domain/slo/validate.js';
import type { SloImport } from './import-result.js';
import { readAlertPolicies } from './openslo-alerts.js';
import { readIndicator } from './openslo-indicator.js';
import type { Entry, Lookup } from './openslo-refs.js';
import { createReader, elementReader, inFileOrder, readYamlDocuments } from './yaml-reader.js';
import type { Issues, ObjectReader, YamlDoc } from './yaml-reader.js';

const KNOWN = ['SLO', 'SLI', 'DataSource', 'AlertPolicy', 'AlertCondition', 'Service', 'AlertNotificationTarget'];

/** Imports every `kind: SLO` in `text` (all documents), resolving references within the same text. */
export function importOpenSlo(text: string, file: string): SloImport {
  const issues: Issues = { file, list: [] };
  const entries: Entry[] = [];
  for (const doc of readYamlDocuments(text, issues)) {
    const reader = createReader(doc, issues, [], doc.value);
    if (!reader) {
      issues.list.push({ severity: 'error', file, line: doc.lineOf([]), field: `document ${doc.index + 1}`, message: 'must be a mapping' });
      continue;
    }
    const apiVersion = reader.string('apiVersion', true);
    const kind = reader.string('kind', true);
    if (apiVersion === undefined || kind === undefined) continue;
    if (apiVersion !== 'openslo/v1') {
      reader.error('apiVersion', `"${apiVersion}" is not supported; convert to openslo/v1`);
      continue;
    }
    if (!KNOWN.includes(kind)) {
      reader.warn('kind', `kind ${kind} is not an OpenSLO v1 kind Rampart imports; document skipped`);
      continue;
    }
    const meta = reader.object('metadata', true);
    const name = meta?.string('name', true) ?? '';
    entries.push({ doc, reader, meta, kind, name });
  }
  const find = (kind: string, name: string) => entries.find((e) => e.kind === kind && e.name === name);
  const used = new Set<Entry>();
  const slos: SloDefinition[] = [];

  for (const entry of entries.filter((e) => e.kind === 'SLO')) {
    const slo = readSlo(entry, issues, (kind, name) => {
      const e = find(kind, name);
      if (e) used.add(e);
      return e;
    });
    if (slo) slos.push(slo);
  }
  for (const e of entries) {
    if (e.kind === 'SLO' || used.has(e)) e.reader.finish();
    // Services come from Rampart's catalog; an SLO's spec.service names one.
    else if (e.kind !== 'Service') e.reader.warn('kind', `${e.kind} ${e.name} is not referenced by any SLO; not imported`);
  }
  // An SLI or policy shared by several SLOs is read once per SLO: report each issue once.
  const seen = new Set<string>();
  const unique = issues.list.filter((i) => {
    const key = `${i.severity}|${i.line}|${i.field}|${i.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
  return { slos, issues: inFileOrder(unique) };
}

function readSlo(entry: Entry, issues: Issues, lookup: Lookup): SloDefinition | undefined {
  const r = entry.reader;
  const meta = entry.meta;
  const displayName = meta?.string('displayName');
  const labels = meta ? readLabels(meta.object('labels')) : undefined;
  const spec = r.object('spec', true);
  if (!spec) return undefined;
  const before = issues.list.filter((i) => i.severity === 'error').length;

  const service = spec.string('service', true);
  const description = spec.string('description') ?? displayName;
  const indicator = readIndicator(spec, lookup);
  const window = readTimeWindow(spec, entry.doc, issues);
  const method = spec.string('budgetingMethod', true);
  if (method !== undefined && method !== 'Occurrences') {
    spec.error('budgetingMethod', `${method} is not supported: Rampart budgets count requests (Occurrences)`);
  }
  const objectivePercent = readObjectives(spec, entry.doc, issues);
  const alerts = readAlertPolicies(spec, entry.doc, issues, lookup);

  if (issues.list.filter((i) => i.severity === 'error').length > before) return undefined;
  if (service === undefined || indicator === undefined || window === undefined || objectivePercent === undefined) return undefined;
  const slo: SloDefinition = {
    service,
    name: entry.name,
    objectivePercent,
    window,
    indicator,
    source: { format: 'openslo', file: issues.file, line: entry.doc.lineOf([]) },
    ...(description ? { description } : {}),
    ...(labels && Object.keys(labels).length > 0 ? { labels } : {}),
    ...(alerts && alerts.length > 0 ? { alerts } : {}),
  };
  const problems = validateSlo(slo);
  for (const p of problems) spec.error(undefined, `${p.field}: ${p.message}`);
  return problems.length === 0 ? slo : undefined;
}

function readLabels(labels: ObjectReader | undefined): Record<string, string> | undefined {
  if (!labels) return undefined;
  const out: Record<string, string> = {};
  for (const key of Object.keys(labels.raw)) {
    const v = labels.raw[key];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
      labels.take(key);
      out[key] = String(v);
    }
  }
  return out;
}
function readTimeWindow(spec: ObjectReader, doc: YamlDoc, issues: Issues): SloWindow | undefined {
  const list = spec.array('timeWindow', true);
  if (!list) return undefined;
  if (list.length === 0) return void spec.error('timeWindow', 'needs one time window');
  if (list.length > 1) spec.warn('timeWindow', `only the first of ${list.length} time windows is imported`);
  const w = elementReader(doc, issues, spec, 'timeWindow', 0, list[0]);
  if (!w) return undefined;
  const duration = w.string('duration', true);
  const rolling = w.boolean('isRolling') ?? false;
  const calendar = w.object('calendar');
  if (duration === undefined) return undefined;
  if (!rolling) {
    if (duration !== '1M') return void w.error('duration', `calendar window ${duration} is not supported; use 1M (a calendar month) or isRolling: true`);
    const timeZone = calendar?.string('timeZone');
    if (calendar?.has('startTime')) {
      calendar.take('startTime');
      calendar.warn('startTime', 'not imported: calendar months start on the 1st at 00:00 in timeZone');
    }
    return timeZone ? { kind: 'calendar-month', timeZone } : { kind: 'calendar-month' };
  }
  const ms = parseDuration(duration);
  const days = ms === undefined ? undefined : ms / 86_400_000;
  if (days !== 7 && days !== 28 && days !== 30) {
    return void w.error('duration', `rolling window ${duration} is not supported; use 7d, 28d or 30d`);
  }
  return { kind: 'rolling', days };
}

function readObjectives(spec: ObjectReader, doc: YamlDoc, issues: Issues): number | undefined {
  const list = spec.array('objectives', true);
  if (!list) return undefined;
  if (list.length === 0) return void spec.error('objectives', 'needs one objective');
  list.forEach((_, i) => {
    if (i > 0) spec.warn('objectives', `objective ${i} not imported: one objective per SLO (split it into another SLO)`);
  });
  const o = elementReader(doc, issues, spec, 'objectives', 0, list[0]);
  if (!o) return undefined;
  o.take('displayName');
  for (const key of ['op', 'value', 'timeSliceTarget', 'timeSliceWindow']) {
    if (o.has(key)) {
      o.take(key);
      o.error(key, `${key} belongs to threshold or time-slice objectives, which are not supported`);
    }
  }
  const target = o.number('target');
  const targetPercent = o.number('targetPercent');
  if (target !== undefined && targetPercent !== undefined) return void o.error('targetPercent', 'give target or targetPercent, not both');
  if (target !== undefined) {
    if (!(target > 0 && target < 1)) return void o.error('target', `${target} must be a ratio between 0 and 1 (0.999)`);
    return Number((target * 100).toFixed(10));
  }
  if (targetPercent !== undefined) return targetPercent;
  return void o.error('target', 'required: target (0.999) or targetPercent (99.9)');
}
