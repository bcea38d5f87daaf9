import { compileCondition } from '../../domain/analysis/condition.js';
import { parseDuration } from '../../domain/analysis/duration.js';
import type { IntOrArg, MetricSpec, NoDataPolicy, NoDataSpec, Semantics } from '../../domain/analysis/template.js';
import { parseProvider } from './parse-provider.js';
import type { Cursor } from './yaml-cursor.js';

const METRIC_FIELDS = ['name', 'interval', 'initialDelay', 'count', 'successCondition', 'failureCondition', 'failureLimit', 'inconclusiveLimit', 'consecutiveErrorLimit', 'provider', 'noData'];
const PLACEHOLDER = /\{\{[^{}]*\}\}/g;

/** Parses one `spec.metrics[]` entry; problems go to the cursor's reporter. */
export function parseMetric(c: Cursor, semantics: Semantics): MetricSpec | undefined {
  if (c.get('consecutiveSuccessLimit').exists) {
    c.get('consecutiveSuccessLimit').error('FIELD_UNSUPPORTED', 'consecutiveSuccessLimit is not supported; use count with failureLimit');
  }
  c.allowOnly([...METRIC_FIELDS, 'consecutiveSuccessLimit']);
  const name = c.get('name').string(true);
  const provider = parseProvider(c.get('provider'));
  const interval = duration(c.get('interval'));
  const initialDelay = duration(c.get('initialDelay'));
  const count = intOrArg(c.get('count'));
  const failureLimit = intOrArg(c.get('failureLimit'));
  const inconclusiveLimit = intOrArg(c.get('inconclusiveLimit'));
  const consecutiveErrorLimit = intOrArg(c.get('consecutiveErrorLimit'));
  const successCondition = condition(c.get('successCondition'));
  const failureCondition = condition(c.get('failureCondition'));
  const noData = parseNoData(c.get('noData'), semantics);

  if (provider?.type === 'job' && (successCondition !== undefined || failureCondition !== undefined) && semantics === 'argo') {
    c.get(successCondition !== undefined ? 'successCondition' : 'failureCondition').warn('JOB_CONDITION_IGNORED', 'Argo ignores conditions on job metrics (the exit code decides); so does Rampart unless the template sets semantics: rampart/v1, which judges the job\'s JSON stdout');
  }
  if (typeof count === 'number') {
    if (count > 0 && typeof failureLimit === 'number' && count < failureLimit) c.get('count').error('FIELD_VALUE', `count (${count}) must be >= failureLimit (${failureLimit})`);
    if (count > 0 && typeof inconclusiveLimit === 'number' && count < inconclusiveLimit) c.get('count').error('FIELD_VALUE', `count (${count}) must be >= inconclusiveLimit (${inconclusiveLimit})`);
    if (count > 1 && interval === undefined) c.get('count').error('FIELD_VALUE', `interval must be set when count (${count}) > 1`);
  }
  if (name === undefined || provider === undefined) return undefined;
  return {
    name, provider,
    ...(interval !== undefined ? { interval } : {}),
    ...(initialDelay !== undefined ? { initialDelay } : {}),
    ...(count !== undefined ? { count } : {}),
    ...(successCondition !== undefined ? { successCondition } : {}),
    ...(failureCondition !== undefined ? { failureCondition } : {}),
    ...(failureLimit !== undefined ? { failureLimit } : {}),
    ...(inconclusiveLimit !== undefined ? { inconclusiveLimit } : {}),
    ...(consecutiveErrorLimit !== undefined ? { consecutiveErrorLimit } : {}),
    ...(noData !== undefined ? { noData } : {}),
  };
}

function duration(c: Cursor): string | undefined {
  const text = c.string();
  if (text === undefined) return undefined;
  if (!PLACEHOLDER.test(text)) {
    const parsed = parseDuration(text);
    if (!parsed.ok) c.error('FIELD_VALUE', parsed.message);
  }
  PLACEHOLDER.lastIndex = 0;
  return text;
}

/** Argo's IntOrString: a whole number >= 0, or a string with `{{args.x}}` resolved at run start. */
function intOrArg(c: Cursor): IntOrArg | undefined {
  if (!c.exists) return undefined;
  const v = c.scalar();
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
  if (typeof v === 'string' && /^\d+$/.test(v.trim())) return Number(v.trim());
  if (typeof v === 'string' && v.includes('{{')) return v;
  c.error('FIELD_VALUE', 'must be a whole number >= 0 (or "{{args.NAME}}")');
  return undefined;
}

/**
 * Checks a condition translates to CEL now, so a bad one fails at load with its position.
 * Placeholders are replaced by a number for the check; the real text is compiled at run start.
 */
function condition(c: Cursor): string | undefined {
  const text = c.string();
  if (text === undefined || text.trim() === '') return undefined;
  // Same length as the placeholder, so reported positions still match the original text.
  const probe = text.replace(PLACEHOLDER, (whole) => '0'.padEnd(whole.length, ' '));
  const compiled = compileCondition(probe);
  if (!compiled.ok) {
    const { problem } = compiled;
    c.error(problem.code, `condition "${text.trim()}" at column ${problem.position + 1}: ${problem.message}`, c.offsetInside(problem.position));
  }
  return text.trim();
}

function parseNoData(c: Cursor, semantics: Semantics): NoDataSpec | undefined {
  if (!c.exists) return undefined;
  if (semantics !== 'rampart/v1') {
    c.error('FIELD_SEMANTICS', 'noData needs "semantics: rampart/v1" on the template (Argo semantics evaluate the conditions against an empty result)');
    return undefined;
  }
  c.allowOnly(['policy', 'minSamples', 'minRequests']);
  const policy = c.get('policy').string(true);
  const policies: readonly string[] = ['fail', 'inconclusive', 'pass', 'wait'];
  if (policy !== undefined && !policies.includes(policy)) c.get('policy').error('FIELD_VALUE', `policy "${policy}" is not one of ${policies.join(', ')}`);
  const count = (field: string): number | undefined => {
    const v = c.get(field).scalar();
    if (v === undefined || v === null) return undefined;
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0) return v;
    c.get(field).error('FIELD_VALUE', `${field} must be a whole number >= 0`);
    return undefined;
  };
  const minSamples = count('minSamples');
  const minRequests = count('minRequests');
  if (policy === undefined || !policies.includes(policy)) return undefined;
  return { policy: policy as NoDataPolicy, ...(minSamples !== undefined ? { minSamples } : {}), ...(minRequests !== undefined ? { minRequests } : {}) };
}
