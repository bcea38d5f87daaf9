/**
 * OpenSLO v1 import: `SLO` (with an inline `indicator` or an `indicatorRef` to an `SLI`) whose
 * indicator is a `ratioMetric` over Prometheus (inline or via a `DataSource`), with
 * `AlertPolicy`/`AlertCondition` burn-rate conditions. Objects may sit in one multi-document file.
 * Anything Rampart does not model is reported with file, line and field, never dropped silently.
 */

import { formatDuration, parseDuration } from '../../domain/slo/duration.js';
import type { BurnAlertCondition, SloDefinition, SloIndicator, SloWindow } from '../../domain/slo/types.js';
import { validateSlo } from '../../domain/slo/validate.js';
import type { SloImport } from './import-result.js';
import { createReader, elementReader, inFileOrder, readYamlDocuments } from './yaml-reader.js';
import type { Issues, ObjectReader, YamlDoc } from './yaml-reader.js';

interface Entry {
  doc: YamlDoc;
  reader: ObjectReader;
  meta: ObjectReader | undefined;
  kind: string;
  name: string;
}

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
    const meta = track(reader, reader.object('metadata', true));
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
    if (e.kind === 'SLO' || used.has(e)) finishAll(e.reader);
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

/** Readers report unread keys once, at the end, after references were resolved. */
const pending = new WeakMap<ObjectReader, ObjectReader[]>();
function track(parent: ObjectReader, child: ObjectReader | undefined): ObjectReader | undefined {
  if (child) pending.set(parent, [...(pending.get(parent) ?? []), child]);
  return child;
}
function finishAll(reader: ObjectReader): void {
  for (const child of pending.get(reader) ?? []) finishAll(child);
  reader.finish();
}

type Lookup = (kind: string, name: string) => Entry | undefined;

function readSlo(entry: Entry, issues: Issues, lookup: Lookup): SloDefinition | undefined {
  const r = entry.reader;
  const meta = entry.meta;
  const displayName = meta?.string('displayName');
  const labels = meta ? readLabels(track(meta, meta.object('labels'))) : undefined;
  const spec = track(r, r.object('spec', true));
  if (!spec) return undefined;
  const before = issues.list.filter((i) => i.severity === 'error').length;

  const service = spec.string('service', true);
  const description = spec.string('description') ?? displayName;
  const indicator = readIndicatorHolder(spec, issues, lookup);
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

function readIndicatorHolder(spec: ObjectReader, issues: Issues, lookup: Lookup): SloIndicator | undefined {
  if (spec.has('indicator')) {
    const ind = track(spec, spec.object('indicator'));
    track(ind as ObjectReader, ind?.object('metadata'))?.take('name');
    const sliSpec = ind ? track(ind, ind.object('spec', true)) : undefined;
    return sliSpec ? readRatioMetric(sliSpec, issues, lookup) : undefined;
  }
  const ref = spec.string('indicatorRef');
  if (ref === undefined) return void spec.error('indicator', 'give an inline indicator or an indicatorRef');
  const sli = lookup('SLI', ref);
  if (!sli) return void spec.error('indicatorRef', `no SLI named "${ref}" in this file`);
  const sliSpec = track(sli.reader, sli.reader.object('spec', true));
  return sliSpec ? readRatioMetric(sliSpec, issues, lookup) : undefined;
}

function readRatioMetric(sliSpec: ObjectReader, issues: Issues, lookup: Lookup): SloIndicator | undefined {
  if (sliSpec.has('thresholdMetric')) {
    sliSpec.take('thresholdMetric');
    return void sliSpec.error('thresholdMetric', 'threshold SLIs are not supported: budgets need good/total or bad/total request counts (ratioMetric)');
  }
  sliSpec.take('description');
  const ratio = track(sliSpec, sliSpec.object('ratioMetric', true));
  if (!ratio) return undefined;
  if (ratio.has('raw') || ratio.has('rawType')) {
    ratio.take('raw');
    ratio.take('rawType');
    return void ratio.error('raw', 'a precomputed ratio is not supported: budgets are computed from request counts');
  }
  const counter = ratio.boolean('counter');
  if (counter === false) ratio.warn('counter', 'counter: false (gauge values) is not supported; the queries are treated as counters');
  const total = readQuery(ratio, 'total', issues, lookup, true);
  if (ratio.has('good') && ratio.has('bad')) return void ratio.error('bad', 'give good or bad, not both');
  if (ratio.has('good')) {
    const good = readQuery(ratio, 'good', issues, lookup, true);
    return good && total ? { kind: 'queries', goodQuery: good, totalQuery: total } : undefined;
  }
  const bad = readQuery(ratio, 'bad', issues, lookup, true);
  return bad && total ? { kind: 'queries', errorQuery: bad, totalQuery: total } : undefined;
}

/** A Prometheus query from `ratio[key].metricSource`, with its range turned into `{{.window}}`. */
function readQuery(ratio: ObjectReader, key: string, _issues: Issues, lookup: Lookup, required: boolean): string | undefined {
  const holder = track(ratio, ratio.object(key, required));
  const source = holder ? track(holder, holder.object('metricSource', true)) : undefined;
  if (!source) return undefined;
  const refName = source.string('metricSourceRef');
  let type = source.string('type');
  if (refName !== undefined) {
    const ds = lookup('DataSource', refName);
    if (!ds) return void source.error('metricSourceRef', `no DataSource named "${refName}" in this file`);
    const dsSpec = track(ds.reader, ds.reader.object('spec', true));
    type ??= dsSpec?.string('type', true);
    if (dsSpec?.has('connectionDetails')) {
      dsSpec.take('connectionDetails');
      dsSpec.warn('connectionDetails', 'not imported: the Prometheus address comes from the metrics provider in rampart.yaml');
    }
    dsSpec?.take('description');
  }
  if (type === undefined) return void source.error('type', 'required: the metric source type (Prometheus)');
  if (type.toLowerCase() !== 'prometheus') return void source.error('type', `${type} is not supported; only Prometheus sources are imported`);
  const querySpec = track(source, source.object('spec', true));
  const query = querySpec?.string('query', true);
  if (query === undefined || !querySpec) return undefined;
  if (/\{\{\s*\.window\s*\}\}/.test(query)) return query;
  const ranges = query.match(/\[\d+[smhdwy]\]/g) ?? [];
  if (ranges.length === 0) {
    return void querySpec.error('query', 'has no range to vary: write the range as [{{.window}}], e.g. sum(rate(x[{{.window}}]))');
  }
  querySpec.warn('query', `range ${[...new Set(ranges)].join(', ')} replaced by {{.window}} so each burn window counts its own requests`);
  return query.replace(/\[\d+[smhdwy]\]/g, '[{{.window}}]');
}

function readTimeWindow(spec: ObjectReader, doc: YamlDoc, issues: Issues): SloWindow | undefined {
  const list = spec.array('timeWindow', true);
  if (!list) return undefined;
  if (list.length === 0) return void spec.error('timeWindow', 'needs one time window');
  if (list.length > 1) spec.warn('timeWindow', `only the first of ${list.length} time windows is imported`);
  const w = elementReader(doc, issues, spec, 'timeWindow', 0, list[0]);
  if (!w) return undefined;
  track(spec, w);
  const duration = w.string('duration', true);
  const rolling = w.boolean('isRolling') ?? false;
  const calendar = track(w, w.object('calendar'));
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
  track(spec, o);
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

function readAlertPolicies(spec: ObjectReader, doc: YamlDoc, issues: Issues, lookup: Lookup): BurnAlertCondition[] | undefined {
  const list = spec.array('alertPolicies');
  if (!list) return undefined;
  const out: BurnAlertCondition[] = [];
  list.forEach((item, i) => {
    const ref = elementReader(doc, issues, spec, 'alertPolicies', i, item);
    if (!ref) return;
    track(spec, ref);
    let policy: { reader: ObjectReader; doc: YamlDoc } | undefined;
    if (ref.has('alertPolicyRef')) {
      const name = ref.string('alertPolicyRef') ?? '';
      const e = lookup('AlertPolicy', name);
      if (!e) return void ref.error('alertPolicyRef', `no AlertPolicy named "${name}" in this file`);
      policy = { reader: e.reader, doc: e.doc };
    } else {
      ref.take('kind');
      track(ref, ref.object('metadata'))?.take('name');
      policy = { reader: ref, doc };
    }
    const pSpec = track(policy.reader, policy.reader.object('spec', true));
    if (!pSpec) return;
    pSpec.take('description');
    for (const key of ['alertWhenNoData', 'alertWhenResolved', 'alertWhenBreaching', 'notificationTargets']) {
      if (pSpec.has(key)) {
        pSpec.take(key);
        pSpec.warn(key, 'not imported: Rampart always alerts on breach and on missing data, and routes through its notifiers');
      }
    }
    const conditions = pSpec.array('conditions', true) ?? [];
    conditions.forEach((c, j) => {
      const cr = elementReader(policy.doc, issues, pSpec, 'conditions', j, c);
      if (!cr) return;
      track(pSpec, cr);
      const condition = readCondition(cr, lookup);
      if (condition) out.push(condition);
    });
  });
  return out;
}

function readCondition(ref: ObjectReader, lookup: Lookup): BurnAlertCondition | undefined {
  let holder = ref;
  if (ref.has('conditionRef')) {
    const name = ref.string('conditionRef') ?? '';
    const e = lookup('AlertCondition', name);
    if (!e) return void ref.error('conditionRef', `no AlertCondition named "${name}" in this file`);
    holder = e.reader;
  } else {
    ref.take('kind');
    track(ref, ref.object('metadata'))?.take('name');
  }
  const spec = track(holder, holder.object('spec', true));
  if (!spec) return undefined;
  spec.take('description');
  const severityText = spec.string('severity', true) ?? 'ticket';
  const cond = track(spec, spec.object('condition', true));
  if (!cond) return undefined;
  const kind = cond.string('kind', true);
  if (kind !== undefined && kind.toLowerCase() !== 'burnrate') return void cond.error('kind', `${kind} conditions are not supported; only burnrate`);
  const op = cond.string('op') ?? 'gt';
  if (op === 'gte') cond.warn('op', 'gte is imported as gt (the difference is one exact float value)');
  else if (op !== 'gt') return void cond.error('op', `${op} cannot express "burning too fast"; use gt`);
  const factor = cond.number('threshold', true);
  const long = cond.string('lookbackWindow', true);
  if (cond.has('alertAfter')) {
    cond.take('alertAfter');
    cond.warn('alertAfter', 'not imported: Rampart confirms a burn with a short window (lookbackWindow / 12) instead of waiting');
  }
  if (factor === undefined || long === undefined) return undefined;
  const longMs = parseDuration(long);
  if (longMs === undefined) return void cond.error('lookbackWindow', `"${long}" is not a duration (1h, 6h, 1d)`);
  const severity = /^(page|critical|sev1|p1|high)$/i.test(severityText) ? 'page' : 'ticket';
  if (!/^(page|ticket|critical|warning|sev[1-3]|p[1-3]|high|medium|low)$/i.test(severityText)) {
    spec.warn('severity', `"${severityText}" is imported as ticket`);
  }
  // The workbook pairs each long window with one twelfth of it (1h/5m, 6h/30m, 1d/2h, 3d/6h).
  const shortMs = Math.max(60_000, Math.round(longMs / 12 / 60_000) * 60_000);
  return { severity, longWindow: long, shortWindow: formatDuration(shortMs), factor };
}
