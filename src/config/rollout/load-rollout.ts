import { LineCounter, parseAllDocuments } from 'yaml';
import type { RolloutSpec } from '../../domain/rollout/spec.js';
import { type TemplateProblem, yamlSyntaxProblems } from '../analysis/problems.js';
import { Cursor } from '../analysis/yaml-cursor.js';
import type { Reporter } from '../analysis/yaml-cursor.js';
import { bool, intIn } from './parse-analysis.js';
import { parseStrategy } from './parse-strategy.js';

/** A problem placed at file:line:column and a field path (same shape as analysis template problems). */
export type RolloutProblem = TemplateProblem;

export interface LoadedRollout {
  /** `metadata.name` of a Rollout; absent for a bare `strategy:` block. */
  readonly name?: string;
  readonly spec: RolloutSpec;
  readonly file: string;
  readonly line: number;
}

export interface RolloutLoadResult {
  /** True when no document has an error (warnings allowed). */
  readonly ok: boolean;
  readonly rollouts: readonly LoadedRollout[];
  readonly rejected: readonly { readonly name?: string; readonly line: number; readonly problems: readonly RolloutProblem[] }[];
  /** Documents of other kinds (Service, AnalysisTemplate, …), passed over. */
  readonly skipped: readonly { readonly kind: string; readonly line: number }[];
  readonly problems: readonly RolloutProblem[];
}

/** Rollout spec fields Rampart reads past without comment: they describe pods. */
const POD_FIELDS = ['replicas', 'selector', 'template', 'workloadRef', 'revisionHistoryLimit', 'minReadySeconds', 'restartAt', 'rollbackWindow', 'analysis'];

/**
 * Loads rollout strategies from YAML text: Argo `Rollout` manifests (`spec.strategy`,
 * `spec.progressDeadlineSeconds`, `spec.progressDeadlineAbort`) and bare `strategy:` blocks as the
 * spec writes them, verbatim; several documents per file. Each either loads into a frozen
 * `RolloutSpec` or is rejected with problems naming file, line, column and field, and saying
 * the fix. Unsupported Argo features (experiment steps, Kubernetes traffic routers, pingPong)
 * are rejected by field name. Pure: the caller reads the file.
 */
export function loadRolloutSpecs(text: string, file: string): RolloutLoadResult {
  const lines = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter: lines, uniqueKeys: true });
  const rollouts: LoadedRollout[] = [];
  const rejected: { name?: string; line: number; problems: RolloutProblem[] }[] = [];
  const skipped: { kind: string; line: number }[] = [];
  const all: RolloutProblem[] = [];
  for (const doc of Array.isArray(docs) ? docs : [docs]) {
    const report: Reporter = { file, lines, problems: [] };
    const start = doc.contents?.range?.[0] ?? doc.range[0];
    const line = lines.linePos(start).line;
    if (doc.errors.length > 0) {
      report.problems.push(...yamlSyntaxProblems(doc.errors, file, lines));
      rejected.push({ line, problems: report.problems });
      all.push(...report.problems);
      continue;
    }
    if (doc.contents === null) continue;
    const root = new Cursor(doc.contents, '', report, start);
    const kind = root.get('kind').scalar();
    const isBlock = kind === undefined && root.keys().includes('strategy');
    if (kind !== 'Rollout' && !isBlock) {
      skipped.push({ kind: typeof kind === 'string' ? kind : '(none)', line });
      continue;
    }
    const name = root.get('metadata').get('name').string();
    const spec = isBlock ? parseSpec(root, ['strategy', 'progressDeadlineSeconds', 'progressDeadlineAbort']) : parseRollout(root);
    const errors = report.problems.filter((p) => p.severity === 'error');
    all.push(...report.problems);
    if (spec && errors.length === 0) rollouts.push(deepFreeze({ spec, file, line, ...(name ? { name } : {}) }));
    else rejected.push({ line, problems: errors, ...(name ? { name } : {}) });
  }
  return { ok: all.every((p) => p.severity !== 'error'), rollouts, rejected, skipped, problems: all };
}

function parseRollout(root: Cursor): RolloutSpec | undefined {
  root.allowOnly(['apiVersion', 'kind', 'metadata', 'spec']);
  const apiVersion = root.get('apiVersion').string();
  if (apiVersion !== undefined && apiVersion !== 'argoproj.io/v1alpha1') root.get('apiVersion').error('API_VERSION', `apiVersion "${apiVersion}" is not argoproj.io/v1alpha1`);
  const spec = root.get('spec');
  const paused = spec.get('paused');
  if (paused.exists) paused.warn('FIELD_IGNORED', 'spec.paused is read past: use `rampart rollout pause` / `resume`');
  return parseSpec(spec, ['strategy', 'progressDeadlineSeconds', 'progressDeadlineAbort', 'paused', ...POD_FIELDS]);
}

function parseSpec(c: Cursor, allowed: readonly string[]): RolloutSpec | undefined {
  c.allowOnly(allowed);
  const strategyCursor = c.get('strategy');
  if (!strategyCursor.exists) { strategyCursor.error('FIELD_REQUIRED', 'strategy is required (canary or blueGreen)'); return undefined; }
  const strategy = parseStrategy(strategyCursor);
  const deadline = c.get('progressDeadlineSeconds').exists ? intIn(c.get('progressDeadlineSeconds'), 1, 86_400 * 7) : undefined;
  const abort = bool(c.get('progressDeadlineAbort'));
  if (!strategy || (c.get('progressDeadlineSeconds').exists && deadline === undefined)) return undefined;
  return {
    strategy,
    ...(deadline !== undefined ? { progressDeadlineSeconds: deadline } : {}),
    ...(abort !== undefined ? { onProgressDeadline: abort ? 'abort' : 'pause' } : {}),
  };
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object') {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}
