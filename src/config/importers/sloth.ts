/**
 * Sloth `prometheus/v1` import: one service, its SLOs with `sli.events` error/total queries and
 * page/ticket alert switches. Sloth's period is not in the spec (a CLI flag, 30 d by default),
 * so imported SLOs use a rolling 30 d window unless the caller says otherwise.
 * Anything Rampart does not model is reported with file, line and field, never dropped silently.
 */

import { defaultBurnAlerts } from '../../domain/slo/burn-alerts.js';
import { DAY_MS } from '../../domain/slo/duration.js';
import type { BurnAlertCondition, SloDefinition, SloWindow } from '../../domain/slo/types.js';
import { validateSlo } from '../../domain/slo/validate.js';
import type { SloImport } from './import-result.js';
import { createReader, elementReader, inFileOrder, readYamlDocuments } from './yaml-reader.js';
import type { Issues, ObjectReader, YamlDoc } from './yaml-reader.js';

export interface SlothImportOptions {
  /** Sloth's `--default-slo-period`; 30 d unless given. */
  window?: SloWindow;
}

/** Imports every `version: prometheus/v1` document in `text`. */
export function importSloth(text: string, file: string, options: SlothImportOptions = {}): SloImport {
  const issues: Issues = { file, list: [] };
  const slos: SloDefinition[] = [];
  const window = options.window ?? { kind: 'rolling', days: 30 };
  for (const doc of readYamlDocuments(text, issues)) {
    const r = createReader(doc, issues, [], doc.value);
    if (!r) {
      issues.list.push({ severity: 'error', file, line: doc.lineOf([]), field: `document ${doc.index + 1}`, message: 'must be a mapping' });
      continue;
    }
    if (r.has('apiVersion') && String(r.raw.apiVersion).startsWith('sloth.slok.dev/')) {
      r.take('apiVersion');
      r.error('apiVersion', 'the Kubernetes PrometheusServiceLevel resource is not imported; use its spec as a prometheus/v1 file');
      continue;
    }
    const version = r.string('version', true);
    if (version === undefined) continue;
    if (version !== 'prometheus/v1') {
      r.error('version', `"${version}" is not supported; only prometheus/v1`);
      continue;
    }
    const service = r.string('service', true);
    const labels = readLabels(r.object('labels'));
    const list = r.array('slos', true) ?? [];
    list.forEach((item, i) => {
      const s = elementReader(doc, issues, r, 'slos', i, item);
      if (!s || service === undefined) return;
      const slo = readSlo(s, doc, issues, service, labels, window);
      s.finish();
      if (slo) slos.push(slo);
    });
    r.finish();
  }
  return { slos, issues: inFileOrder(issues.list) };
}

function readLabels(labels: ObjectReader | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  if (!labels) return out;
  for (const key of Object.keys(labels.raw)) {
    const v = labels.raw[key];
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
      labels.take(key);
      out[key] = String(v);
    }
  }
  labels.finish('label values must be strings');
  return out;
}

function readSlo(
  s: ObjectReader,
  doc: YamlDoc,
  issues: Issues,
  service: string,
  serviceLabels: Record<string, string>,
  window: SloWindow,
): SloDefinition | undefined {
  const before = issues.list.filter((i) => i.severity === 'error').length;
  const name = s.string('name', true);
  const objective = s.number('objective', true);
  const description = s.string('description');
  const labels = { ...serviceLabels, ...readLabels(s.object('labels')) };
  const sli = s.object('sli', true);
  let errorQuery: string | undefined;
  let totalQuery: string | undefined;
  let events: ObjectReader | undefined;
  if (sli) {
    for (const key of ['raw', 'plugin'] as const) {
      if (sli.has(key)) {
        sli.take(key);
        sli.error(key, key === 'raw'
          ? 'raw error-ratio SLIs are not supported: budgets are computed from request counts (use events)'
          : 'SLI plugins are not supported; write the error and total queries as events');
      }
    }
    events = sli.has('raw') || sli.has('plugin') ? undefined : sli.object('events', true);
    errorQuery = events?.string('error_query', true);
    totalQuery = events?.string('total_query', true);
    events?.finish();
    sli.finish();
  }
  const alerts = readAlerting(s, window);
  if (issues.list.filter((i) => i.severity === 'error').length > before) return undefined;
  if (name === undefined || objective === undefined || errorQuery === undefined || totalQuery === undefined) return undefined;
  const slo: SloDefinition = {
    service,
    name,
    objectivePercent: objective,
    window,
    indicator: { kind: 'queries', errorQuery, totalQuery },
    alerts,
    source: { format: 'sloth', file: issues.file, line: doc.lineOf(s.path) },
    ...(description ? { description } : {}),
    ...(Object.keys(labels).length > 0 ? { labels } : {}),
  };
  const problems = validateSlo(slo);
  for (const p of problems) {
    // Name the Sloth field, not Rampart's: objectivePercent is `objective`, queries live in sli.events.
    if (p.field === 'indicator.errorQuery') events?.error('error_query', p.message);
    else if (p.field === 'indicator.totalQuery') events?.error('total_query', p.message);
    else s.error(p.field === 'objectivePercent' ? 'objective' : p.field === 'name' ? 'name' : undefined, p.message);
  }
  return problems.length === 0 ? slo : undefined;
}

/** Sloth's two alerts map onto the default page and ticket conditions; `disable` removes one. */
function readAlerting(s: ObjectReader, window: SloWindow): BurnAlertCondition[] {
  const periodMs = window.kind === 'rolling' ? window.days * DAY_MS : 30 * DAY_MS;
  const enabled = new Set(['page', 'ticket']);
  const alerting = s.object('alerting');
  if (alerting) {
    for (const key of ['name', 'labels', 'annotations']) {
      if (alerting.has(key)) {
        alerting.take(key);
        alerting.warn(key, 'not imported: Rampart names its burn alerts ErrorBudgetBurn with service, slo and severity labels');
      }
    }
    for (const [key, severity] of [['page_alert', 'page'], ['ticket_alert', 'ticket']] as const) {
      const a = alerting.object(key);
      if (!a) continue;
      if (a.boolean('disable') === true) enabled.delete(severity);
      for (const extra of ['labels', 'annotations']) {
        if (a.has(extra)) {
          a.take(extra);
          a.warn(extra, 'not imported: Rampart routes by the severity label (page or ticket)');
        }
      }
      a.finish();
    }
    alerting.finish();
  }
  return defaultBurnAlerts(periodMs).filter((c) => enabled.has(c.severity));
}
