import { parseDuration } from '../../domain/analysis/duration.js';
import type { CanaryStep, HeaderRouteMatch } from '../../domain/rollout/spec.js';
import type { Cursor } from '../analysis/yaml-cursor.js';
import { intIn, parseAnalysisSpec } from './parse-analysis.js';

const STEP_KINDS = ['setWeight', 'pause', 'analysis', 'setHeaderRoute', 'setMirrorRoute', 'setCanaryScale', 'experiment', 'plugin'];

/**
 * One item of `canary.steps`. Argo writes one action per item; an item holding several (the
 * apisix example pairs setCanaryScale with setHeaderRoute) yields them in written order.
 * `experiment` and `plugin` are rejected, `setCanaryScale` is read past with a warning.
 */
export function parseStep(c: Cursor, managedRoutes: readonly string[] | undefined): CanaryStep[] | undefined {
  if (!c.isMap()) { c.error('FIELD_TYPE', `a step must be a map with one of: ${STEP_KINDS.slice(0, 5).join(', ')}`); return undefined; }
  c.allowOnly(STEP_KINDS);
  const out: CanaryStep[] = [];
  let ok = true;
  for (const key of c.keys()) {
    const f = c.get(key);
    const step = parseOne(key, f, managedRoutes);
    if (step === 'skip') continue;
    if (step) out.push(step);
    else ok = false;
  }
  if (ok && out.length === 0 && c.keys().every((k) => k !== 'setCanaryScale')) c.error('FIELD_REQUIRED', `empty step; write one of: ${STEP_KINDS.slice(0, 5).join(', ')}`);
  return ok ? out : undefined;
}

function parseOne(key: string, f: Cursor, managedRoutes: readonly string[] | undefined): CanaryStep | 'skip' | undefined {
  switch (key) {
    case 'setWeight': {
      const weight = intIn(f, 0, 100, 'a percentage');
      return weight === undefined ? undefined : { kind: 'setWeight', weight };
    }
    case 'pause': return parsePause(f);
    case 'analysis': {
      const analysis = parseAnalysisSpec(f);
      if (analysis && analysis.templates.length === 0) { f.get('templates').error('FIELD_REQUIRED', 'an analysis step needs at least one template'); return undefined; }
      return analysis ? { kind: 'analysis', analysis } : undefined;
    }
    case 'setHeaderRoute': {
      f.allowOnly(['name', 'match']);
      const name = routeName(f, managedRoutes);
      const match = f.get('match').exists ? f.get('match').items().map(headerMatch) : undefined;
      if (name === undefined || match?.includes(undefined)) return undefined;
      return match ? { kind: 'setHeaderRoute', name, match: match as HeaderRouteMatch[] } : { kind: 'setHeaderRoute', name };
    }
    case 'setMirrorRoute': {
      f.allowOnly(['name', 'percentage', 'match']);
      const name = routeName(f, managedRoutes);
      const percentage = f.get('percentage').exists ? intIn(f.get('percentage'), 0, 100, 'a percentage') : 100;
      const match = f.get('match').exists ? (f.get('match').node?.toJSON() as unknown[]) : undefined;
      if (name === undefined || percentage === undefined) return undefined;
      return match ? { kind: 'setMirrorRoute', name, percentage, match } : { kind: 'setMirrorRoute', name };
    }
    case 'setCanaryScale':
      f.warn('FIELD_IGNORED', 'setCanaryScale is read past: Rampart runs one canary process and shifts traffic with setWeight');
      return 'skip';
    case 'experiment':
      f.error('EXPERIMENT_UNSUPPORTED', 'experiment steps are not supported: Rampart runs no side-by-side ReplicaSets; use an analysis step (e.g. a statistical canary-vs-stable judge) instead');
      return undefined;
    default:
      f.error('STEP_UNSUPPORTED', `${key} steps are not supported`);
      return undefined;
  }
}

/** `pause: {}` (or no value) waits for promote; `duration` is seconds (number) or a duration string ("30s", "10m"). */
function parsePause(f: Cursor): CanaryStep | undefined {
  if (!f.exists) return { kind: 'pause' };
  if (!f.isMap()) { f.error('FIELD_TYPE', 'must be a map: {} or { duration: 60 }'); return undefined; }
  f.allowOnly(['duration']);
  const d = f.get('duration');
  if (!d.exists) return { kind: 'pause' };
  const v = d.scalar();
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return { kind: 'pause', durationMs: v * 1000 };
  if (typeof v === 'string') {
    const parsed = /^\d+$/.test(v) ? { ok: true as const, ms: Number(v) * 1000 } : parseDuration(v);
    if (parsed.ok) return { kind: 'pause', durationMs: parsed.ms };
    d.error('FIELD_VALUE', parsed.message);
    return undefined;
  }
  d.error('FIELD_VALUE', 'must be whole seconds (60) or a duration string ("30s", "10m")');
  return undefined;
}

function routeName(f: Cursor, managedRoutes: readonly string[] | undefined): string | undefined {
  const name = f.get('name').string(true);
  if (name !== undefined && !(managedRoutes ?? []).includes(name)) {
    f.get('name').error('ROUTE_NOT_MANAGED', `route "${name}" is not listed in trafficRouting.managedRoutes; add "- name: ${name}" there`);
    return undefined;
  }
  return name;
}

function headerMatch(m: Cursor): HeaderRouteMatch | undefined {
  m.allowOnly(['headerName', 'headerValue']);
  const headerName = m.get('headerName').string(true);
  const v = m.get('headerValue');
  v.allowOnly(['exact', 'prefix', 'regex']);
  const value = Object.fromEntries(['exact', 'prefix', 'regex'].flatMap((k) => { const s = v.get(k).string(); return s === undefined ? [] : [[k, s]]; }));
  if (Object.keys(value).length !== 1) { v.error('FIELD_VALUE', 'headerValue needs exactly one of exact, prefix, regex'); return undefined; }
  return headerName === undefined ? undefined : { headerName, headerValue: value };
}
