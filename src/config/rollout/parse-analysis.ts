import type { AnalysisArg, AnalysisSpec, AnalysisTemplateRef } from '../../domain/rollout/spec.js';
import type { Cursor } from '../analysis/yaml-cursor.js';

/** Argo fields of an analysis block Rampart reads past (recorded as warnings). */
const IGNORED = ['dryRun', 'measurementRetention', 'analysisRunMetadata'];

/**
 * `templates` + `args` of a step, background or blue-green analysis. Templates may be written
 * Argo's way (`- templateName: x`, optional `clusterScope`) or as plain names (`[smoke-check]`,
 * as in the spec). Returns undefined when the block has errors.
 */
export function parseAnalysisSpec(c: Cursor, extra: readonly string[] = []): AnalysisSpec | undefined {
  c.allowOnly(['templates', 'args', ...IGNORED, ...extra]);
  for (const key of IGNORED) if (c.get(key).exists) c.get(key).warn('FIELD_IGNORED', `${key} is not applied to rollout analysis runs; set it in the AnalysisTemplate`);
  let ok = true;
  const templates: AnalysisTemplateRef[] = [];
  const list = c.get('templates');
  if (list.exists && !list.isSeq()) { list.error('FIELD_TYPE', 'must be a list of template names or {templateName}'); ok = false; }
  for (const t of list.items()) {
    if (t.isMap()) {
      t.allowOnly(['templateName', 'clusterScope']);
      const name = t.get('templateName').string(true);
      const cluster = t.get('clusterScope').scalar();
      if (cluster !== undefined && typeof cluster !== 'boolean') t.get('clusterScope').error('FIELD_TYPE', 'must be true or false');
      if (name === undefined) ok = false;
      else templates.push(cluster === true ? { templateName: name, clusterScope: true } : { templateName: name });
    } else {
      const name = t.string(true);
      if (name === undefined) ok = false;
      else templates.push({ templateName: name });
    }
  }
  const args: AnalysisArg[] = [];
  for (const a of c.get('args').items()) {
    const arg = parseArg(a);
    if (arg) args.push(arg);
    else ok = false;
  }
  return ok ? { templates, args } : undefined;
}

function parseArg(a: Cursor): AnalysisArg | undefined {
  a.allowOnly(['name', 'value', 'valueFrom']);
  const name = a.get('name').string(true);
  const value = a.get('value').string();
  const from = a.get('valueFrom');
  if (name === undefined) return undefined;
  if (!from.exists) return value === undefined ? { name } : { name, value };
  if (from.get('fieldRef').exists) {
    from.get('fieldRef').error('ARG_SOURCE_UNSUPPORTED', 'valueFrom.fieldRef reads a Kubernetes object, which Rampart does not have; pass a value, or use valueFrom.podTemplateHashValue (Latest = canary version, Stable = stable version)');
    return undefined;
  }
  from.allowOnly(['podTemplateHashValue', 'fieldRef']);
  const hash = from.get('podTemplateHashValue').string(true);
  if (hash === 'Latest') return { name, valueFrom: 'canaryVersion' };
  if (hash === 'Stable') return { name, valueFrom: 'stableVersion' };
  if (hash !== undefined) from.get('podTemplateHashValue').error('FIELD_VALUE', `podTemplateHashValue "${hash}" is not Latest or Stable`);
  return undefined;
}

/** A whole number in [min, max], or undefined with an error placed on the field. */
export function intIn(c: Cursor, min: number, max: number, what = 'a whole number'): number | undefined {
  const v = c.scalar();
  if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) return v;
  c.error('FIELD_VALUE', `must be ${what} from ${min} to ${max}${c.exists ? ` (got ${JSON.stringify(v ?? null)})` : ''}`);
  return undefined;
}

/** An optional boolean; an error for anything else. */
export function bool(c: Cursor): boolean | undefined {
  if (!c.exists) return undefined;
  const v = c.scalar();
  if (typeof v === 'boolean') return v;
  c.error('FIELD_TYPE', 'must be true or false');
  return undefined;
}
