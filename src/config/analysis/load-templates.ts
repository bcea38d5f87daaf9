import { LineCounter, parseAllDocuments } from 'yaml';
import type { AnalysisTemplate, DryRunRule, MeasurementRetentionRule, MetricSpec, ReleaseField, Semantics, TemplateArg } from '../../domain/analysis/template.js';
import { parseJudge } from './parse-judge.js';
import { parseMetric } from './parse-metric.js';
import { type TemplateProblem, yamlSyntaxProblems } from './problems.js';
import { Cursor } from './yaml-cursor.js';
import type { Reporter } from './yaml-cursor.js';

const ANALYSIS_KINDS = ['AnalysisTemplate', 'ClusterAnalysisTemplate'] as const;
type AnalysisKind = (typeof ANALYSIS_KINDS)[number];

/** A template that loaded, with where it came from. */
export interface LoadedTemplate {
  readonly template: AnalysisTemplate;
  readonly file: string;
  readonly line: number;
}

/** A document of another kind (Rollout, Service, …) that the loader passed over. */
export interface SkippedDocument {
  readonly kind: string;
  readonly name?: string;
  readonly line: number;
  readonly note: string;
}

export interface TemplateLoadResult {
  /** True when no document has an error (warnings allowed). */
  readonly ok: boolean;
  readonly templates: readonly LoadedTemplate[];
  /** Analysis documents that failed, each with its errors. */
  readonly rejected: readonly { readonly kind: string; readonly name?: string; readonly line: number; readonly problems: readonly TemplateProblem[] }[];
  readonly skipped: readonly SkippedDocument[];
  /** Every problem of every document, errors and warnings, in file order. */
  readonly problems: readonly TemplateProblem[];
}

/**
 * Loads Argo `AnalysisTemplate` / `ClusterAnalysisTemplate` documents verbatim, and Rampart's
 * own template YAML (same fields, `apiVersion: rampart.dev/v1`, plus `spec.semantics`,
 * `spec.judge` and `metrics[].noData`), from a possibly multi-document YAML text. Other kinds
 * are skipped with a note. Each analysis document either loads or is rejected with errors
 * carrying file, line, column, field path, and template/metric names. Pure (no I/O): the
 * caller reads the file.
 */
export function loadAnalysisTemplates(text: string, file: string): TemplateLoadResult {
  const lines = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: true });
  const templates: LoadedTemplate[] = [];
  const rejected: { kind: string; name?: string; line: number; problems: TemplateProblem[] }[] = [];
  const skipped: SkippedDocument[] = [];
  const all: TemplateProblem[] = [];
  const docs = Array.isArray(documents) ? documents : [documents];
  for (const doc of docs) {
    const report: Reporter = { file, lines, problems: [] };
    const start = doc.contents?.range?.[0] ?? doc.range[0];
    const line = lines.linePos(start).line;
    if (doc.errors.length > 0) {
      report.problems.push(...yamlSyntaxProblems(doc.errors, file, lines));
      rejected.push({ kind: 'unknown', line, problems: report.problems });
      all.push(...report.problems);
      continue;
    }
    if (doc.contents === null) continue;
    const root = new Cursor(doc.contents, '', report, start);
    const kind = root.get('kind').scalar();
    const name = root.get('metadata').get('name').scalar();
    const nameText = typeof name === 'string' ? name : undefined;
    if (typeof kind !== 'string' || !(ANALYSIS_KINDS as readonly string[]).includes(kind)) {
      skipped.push({
        kind: typeof kind === 'string' ? kind : '(none)', line, ...(nameText ? { name: nameText } : {}),
        note: typeof kind === 'string' ? `not an analysis template (kind ${kind}); skipped` : 'document has no kind; skipped',
      });
      continue;
    }
    if (nameText) report.template = nameText;
    const template = parseTemplate(root, kind as AnalysisKind, nameText, report);
    const errors = report.problems.filter((p) => p.severity === 'error');
    all.push(...report.problems);
    if (template && errors.length === 0) templates.push({ template: Object.freeze(template), file, line });
    else rejected.push({ kind, line, problems: errors, ...(nameText ? { name: nameText } : {}) });
  }
  return { ok: all.every((p) => p.severity !== 'error'), templates, rejected, skipped, problems: all };
}

function parseTemplate(root: Cursor, kind: AnalysisKind, name: string | undefined, reporter: Reporter): AnalysisTemplate | undefined {
  root.allowOnly(['apiVersion', 'kind', 'metadata', 'spec']);
  const apiVersion = root.get('apiVersion').string();
  if (apiVersion === undefined) root.warn('API_VERSION_MISSING', 'apiVersion is missing; reading it as argoproj.io/v1alpha1');
  else if (apiVersion !== 'argoproj.io/v1alpha1' && !apiVersion.startsWith('rampart.dev/')) {
    root.get('apiVersion').error('API_VERSION', `apiVersion "${apiVersion}" is neither argoproj.io/v1alpha1 nor rampart.dev/v1`);
  }
  if (name === undefined) root.get('metadata').get('name').error('FIELD_REQUIRED', 'metadata.name is required');
  const spec = root.get('spec');
  spec.allowOnly(['args', 'metrics', 'dryRun', 'measurementRetention', 'semantics', 'judge']);
  const semanticsText = spec.get('semantics').string() ?? 'argo';
  if (semanticsText !== 'argo' && semanticsText !== 'rampart/v1') spec.get('semantics').error('FIELD_VALUE', `semantics "${semanticsText}" is not one of argo, rampart/v1`);
  const semantics: Semantics = semanticsText === 'rampart/v1' ? 'rampart/v1' : 'argo';
  const judge = parseJudge(spec.get('judge'));
  const args = spec.get('args').items().flatMap((c) => parseArg(c) ?? []);
  const metricCursors = spec.get('metrics').items();
  if (metricCursors.length === 0) spec.get('metrics').error('FIELD_REQUIRED', 'no metrics specified');
  const metrics: MetricSpec[] = [];
  const seen = new Set<string>();
  for (const c of metricCursors) {
    const metricName = c.get('name').scalar();
    if (typeof metricName === 'string') reporter.metric = metricName;
    else delete reporter.metric;
    if (typeof metricName === 'string' && seen.has(metricName)) c.get('name').error('DUPLICATE_METRIC', `duplicate metric name "${metricName}"`);
    if (typeof metricName === 'string') seen.add(metricName);
    const metric = parseMetric(c, semantics);
    if (metric) metrics.push(metric);
  }
  delete reporter.metric;
  const dryRun = rules(spec.get('dryRun'), metrics, false) as DryRunRule[];
  const measurementRetention = rules(spec.get('measurementRetention'), metrics, true) as MeasurementRetentionRule[];
  if (name === undefined) return undefined;
  return { kind, name, semantics, ...(judge ? { judge } : {}), args, metrics, dryRun, measurementRetention };
}

function parseArg(c: Cursor): TemplateArg | undefined {
  c.allowOnly(['name', 'value', 'valueFrom']);
  const name = c.get('name').string(true);
  const value = c.get('value').string();
  const from = c.get('valueFrom');
  if (!from.exists) return name === undefined ? undefined : { name, ...(value !== undefined ? { value } : {}) };
  if (value !== undefined) c.error('FIELD_VALUE', `arg ${name ?? ''} has both value and valueFrom`);
  if (from.get('secretKeyRef').exists) {
    from.get('secretKeyRef').error('ARG_SOURCE_UNSUPPORTED', `valueFrom.secretKeyRef is not supported: Rampart reads no Kubernetes secrets; pass the value with --arg ${name ?? 'NAME'}=… or use valueFrom.release (service, namespace, version)`);
    return undefined;
  }
  if (from.get('fieldRef').exists) {
    from.get('fieldRef').error('ARG_SOURCE_UNSUPPORTED', 'valueFrom.fieldRef is not supported: there is no Kubernetes object to read; use valueFrom.release (service, namespace, version)');
    return undefined;
  }
  from.allowOnly(['release', 'secretKeyRef', 'fieldRef']);
  const release = from.get('release').string(true);
  if (release !== undefined && !['service', 'namespace', 'version'].includes(release)) {
    from.get('release').error('FIELD_VALUE', `valueFrom.release "${release}" is not one of service, namespace, version`);
    return undefined;
  }
  return name === undefined || release === undefined ? undefined : { name, valueFrom: { release: release as ReleaseField } };
}

/** dryRun / measurementRetention rules: regular expressions, as in Argo. */
function rules(c: Cursor, metrics: readonly MetricSpec[], withLimit: boolean): (DryRunRule | MeasurementRetentionRule)[] {
  return c.items().flatMap((item) => {
    item.allowOnly(withLimit ? ['metricName', 'limit'] : ['metricName']);
    const metricName = item.get('metricName').string(true);
    if (metricName === undefined) return [];
    let pattern: RegExp;
    try {
      pattern = new RegExp(metricName);
    } catch {
      item.get('metricName').error('FIELD_VALUE', `metricName "${metricName}" is not a valid regular expression`);
      return [];
    }
    if (!metrics.some((m) => pattern.test(m.name))) {
      item.get('metricName').warn('RULE_UNMATCHED', `rule "${metricName}" matches no metric of this template; it must match one when the run starts`);
    }
    if (!withLimit) return [{ metricName }];
    const limit = item.get('limit').scalar();
    if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1) {
      item.get('limit').error('FIELD_VALUE', 'limit must be a whole number >= 1');
      return [];
    }
    return [{ metricName, limit }];
  });
}
