import type { BackgroundAnalysis, BlueGreenStrategy, CanaryStep, RolloutStrategy } from '../../domain/rollout/spec.js';
import { DEFAULTS } from '../../domain/rollout/spec.js';
import type { Cursor } from '../analysis/yaml-cursor.js';
import { bool, intIn, parseAnalysisSpec } from './parse-analysis.js';
import { parseStep } from './parse-steps.js';

const CANARY_FIELDS = ['steps', 'analysis', 'trafficRouting', 'canaryService', 'stableService', 'maxSurge', 'maxUnavailable', 'scaleDownDelaySeconds', 'abortScaleDownDelaySeconds'];
/** Pod-placement and metadata fields: meaningless without Kubernetes, harmless to read past. */
const CANARY_IGNORED = ['canaryMetadata', 'stableMetadata', 'antiAffinity', 'dynamicStableScale', 'minPodsPerReplicaSet', 'scaleDownDelayRevisionLimit'];
const BLUE_GREEN_FIELDS = ['activeService', 'previewService', 'autoPromotionEnabled', 'autoPromotionSeconds', 'prePromotionAnalysis', 'postPromotionAnalysis', 'scaleDownDelaySeconds', 'abortScaleDownDelaySeconds'];
const BLUE_GREEN_IGNORED = ['previewReplicaCount', 'antiAffinity', 'previewMetadata', 'activeMetadata', 'scaleDownDelayRevisionLimit', 'maxUnavailable'];

/** An Argo `strategy:` block (`canary` or `blueGreen`), verbatim. Undefined when it has errors. */
export function parseStrategy(c: Cursor): RolloutStrategy | undefined {
  c.allowOnly(['canary', 'blueGreen']);
  const canary = c.get('canary');
  const blueGreen = c.get('blueGreen');
  if (c.keys().includes('canary') && blueGreen.exists) { c.error('FIELD_VALUE', 'strategy has both canary and blueGreen; keep one'); return undefined; }
  if (blueGreen.exists) return parseBlueGreen(blueGreen);
  if (c.keys().includes('canary')) return parseCanary(canary);
  c.error('FIELD_REQUIRED', 'strategy needs canary or blueGreen');
  return undefined;
}

function ignore(c: Cursor, fields: readonly string[]): void {
  for (const key of fields) if (c.get(key).exists) c.get(key).warn('FIELD_IGNORED', `${key} concerns Kubernetes pods and is read past`);
}

function parseCanary(c: Cursor): RolloutStrategy | undefined {
  c.allowOnly([...CANARY_FIELDS, ...CANARY_IGNORED, 'pingPong']);
  ignore(c, CANARY_IGNORED);
  if (c.get('pingPong').exists) c.get('pingPong').error('FIELD_UNSUPPORTED', 'pingPong swaps Kubernetes Services for an AWS ALB; Rampart\'s router shifts weights between versions directly: remove pingPong');
  const routing = parseTrafficRouting(c.get('trafficRouting'));
  const managedRoutes = routing.names;
  const stepCursors = c.get('steps').items();
  const steps: CanaryStep[] = [];
  let ok = routing.ok;
  for (const s of stepCursors) {
    const parsed = parseStep(s, managedRoutes);
    if (parsed) steps.push(...parsed);
    else ok = false;
  }
  const background = parseBackground(c.get('analysis'), steps.length);
  if (background === null) ok = false;
  const delays = {
    ...(c.get('scaleDownDelaySeconds').exists ? { scaleDownDelaySeconds: intIn(c.get('scaleDownDelaySeconds'), 0, 86_400) } : {}),
    ...(c.get('abortScaleDownDelaySeconds').exists ? { abortScaleDownDelaySeconds: intIn(c.get('abortScaleDownDelaySeconds'), 0, 86_400) } : {}),
  };
  if (Object.values(delays).some((v) => v === undefined)) ok = false;
  if (!ok) return undefined;
  if (stepCursors.length === 0) return rolling(c, delays.scaleDownDelaySeconds);
  const services = Object.fromEntries(['canaryService', 'stableService'].flatMap((k) => { const v = c.get(k).string(); return v === undefined ? [] : [[k, v]]; }));
  return {
    type: 'canary', steps, ...services, ...delays,
    ...(background ? { analysis: background } : {}),
    ...(managedRoutes.length > 0 ? { managedRoutes } : {}),
  } as RolloutStrategy;
}

/** Argo's "canary without steps" is a rolling update; maxSurge as a percentage sets the increment. */
function rolling(c: Cursor, scaleDownDelaySeconds: number | undefined): RolloutStrategy {
  const surge = c.get('maxSurge');
  let maxSurge: number = DEFAULTS.rollingMaxSurge;
  const v = surge.scalar();
  if (typeof v === 'string' && /^\d{1,3}%$/.test(v) && Number.parseInt(v, 10) > 0) maxSurge = Math.min(100, Number.parseInt(v, 10));
  else if (surge.exists) surge.warn('FIELD_IGNORED', `maxSurge ${JSON.stringify(v)} counts pods; Rampart moves traffic in ${DEFAULTS.rollingMaxSurge} % increments (write a percentage such as "25%" to choose)`);
  if (c.get('maxUnavailable').exists) c.get('maxUnavailable').warn('FIELD_IGNORED', 'maxUnavailable counts pods and is read past');
  return { type: 'rolling', maxSurge, intervalSeconds: DEFAULTS.rollingIntervalSeconds, ...(scaleDownDelaySeconds !== undefined ? { scaleDownDelaySeconds } : {}) };
}

/**
 * `trafficRouting`: only `managedRoutes` is meaningful here (route names for setHeaderRoute and
 * setMirrorRoute). Every mesh or ingress key is Kubernetes-only and rejected by name. The route
 * names are returned even then, so steps are checked against them without follow-on errors.
 */
function parseTrafficRouting(c: Cursor): { names: string[]; ok: boolean } {
  if (!c.exists) return { names: [], ok: true };
  let ok = true;
  for (const key of c.keys()) {
    if (key === 'managedRoutes') continue;
    c.get(key).error('TRAFFIC_ROUTER_UNSUPPORTED', `trafficRouting.${key} configures ${key} objects in a Kubernetes cluster, which Rampart does not manage; Rampart shifts traffic with its own router provider (builtin proxy, nginx): remove trafficRouting.${key} (managedRoutes may stay)`);
    ok = false;
  }
  const names = c.get('managedRoutes').items().map((r) => { r.allowOnly(['name']); return r.get('name').string(true); });
  return { names: names.filter((n): n is string => n !== undefined), ok: ok && !names.includes(undefined) };
}

/**
 * Background analysis. The spec's tier-1 block writes `failureLimit` and `successCondition` here,
 * which Argo keeps on a template's metrics: they load with a warning saying where they belong.
 * A block without templates starts no run. Returns null on error.
 */
function parseBackground(c: Cursor, stepCount: number): BackgroundAnalysis | undefined | null {
  if (!c.exists) return undefined;
  for (const key of ['failureLimit', 'successCondition']) {
    if (c.get(key).exists) c.get(key).warn('FIELD_IGNORED', `${key} belongs on an AnalysisTemplate metric; here it changes nothing (any Failed or Error run aborts the rollout)`);
  }
  const spec = parseAnalysisSpec(c, ['startingStep', 'failureLimit', 'successCondition']);
  if (!spec) return null;
  let startingStep: number | undefined;
  if (c.get('startingStep').exists) {
    startingStep = intIn(c.get('startingStep'), 0, Math.max(0, stepCount - 1), 'a step index');
    if (startingStep === undefined) return null;
  }
  if (spec.templates.length === 0) {
    c.warn('ANALYSIS_EMPTY', 'background analysis names no templates, so no background run starts');
    return undefined;
  }
  return { ...spec, ...(startingStep !== undefined ? { startingStep } : {}) };
}

function parseBlueGreen(c: Cursor): RolloutStrategy | undefined {
  c.allowOnly([...BLUE_GREEN_FIELDS, ...BLUE_GREEN_IGNORED]);
  ignore(c, BLUE_GREEN_IGNORED);
  const activeService = c.get('activeService').string(true);
  const previewService = c.get('previewService').string();
  const auto = bool(c.get('autoPromotionEnabled'));
  const autoSeconds = c.get('autoPromotionSeconds').exists ? intIn(c.get('autoPromotionSeconds'), 0, 86_400) : undefined;
  const pre = c.get('prePromotionAnalysis').exists ? parseAnalysisSpec(c.get('prePromotionAnalysis')) : undefined;
  const post = c.get('postPromotionAnalysis').exists ? parseAnalysisSpec(c.get('postPromotionAnalysis')) : undefined;
  const delay = c.get('scaleDownDelaySeconds').exists ? intIn(c.get('scaleDownDelaySeconds'), 0, 86_400) : undefined;
  const abortDelay = c.get('abortScaleDownDelaySeconds').exists ? intIn(c.get('abortScaleDownDelaySeconds'), 0, 86_400) : undefined;
  const bad = activeService === undefined
    || (c.get('autoPromotionSeconds').exists && autoSeconds === undefined)
    || (c.get('prePromotionAnalysis').exists && !pre) || (c.get('postPromotionAnalysis').exists && !post)
    || (c.get('scaleDownDelaySeconds').exists && delay === undefined) || (c.get('abortScaleDownDelaySeconds').exists && abortDelay === undefined)
    || (c.get('autoPromotionEnabled').exists && auto === undefined);
  if (bad || activeService === undefined) return undefined;
  const strategy: BlueGreenStrategy = {
    type: 'blueGreen', activeService, autoPromotionEnabled: auto ?? true,
    ...(previewService !== undefined ? { previewService } : {}),
    ...(autoSeconds !== undefined ? { autoPromotionSeconds: autoSeconds } : {}),
    ...(pre ? { prePromotionAnalysis: pre } : {}), ...(post ? { postPromotionAnalysis: post } : {}),
    ...(delay !== undefined ? { scaleDownDelaySeconds: delay } : {}), ...(abortDelay !== undefined ? { abortScaleDownDelaySeconds: abortDelay } : {}),
  };
  return strategy;
}
