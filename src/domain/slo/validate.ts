/** Checks an SLO definition before it is used for math or rules. */

import { parseDuration } from './duration.js';
import { rollingWindowDays } from './types.js';
import type { SloDefinition } from './types.js';

export interface SloProblem {
  /** Dotted path inside the definition (`indicator.thresholdSeconds`). */
  field: string;
  message: string;
}

const NAME = /^[a-z0-9]([a-z0-9-_.]*[a-z0-9])?$/i;
const WINDOW_PLACEHOLDER = /\{\{\s*\.window\s*\}\}/;

/** Every problem found (empty when valid); never throws. */
export function validateSlo(slo: SloDefinition): SloProblem[] {
  const problems: SloProblem[] = [];
  const fail = (field: string, message: string) => problems.push({ field, message });
  if (!NAME.test(slo.service)) fail('service', `"${slo.service}" is not a service name (letters, digits, - _ .)`);
  if (!NAME.test(slo.name)) fail('name', `"${slo.name}" is not an SLO name (letters, digits, - _ .)`);
  if (!(slo.objectivePercent > 0 && slo.objectivePercent < 100)) {
    fail('objectivePercent', `${slo.objectivePercent} must be a percent above 0 and below 100 (e.g. 99.9)`);
  }
  if (slo.window.kind === 'rolling' && !(rollingWindowDays as readonly number[]).includes(slo.window.days)) {
    fail('window.days', `${slo.window.days} d is not supported; use ${rollingWindowDays.join(', ')} or a calendar month`);
  }
  const ind = slo.indicator;
  if (ind.kind === 'latency' && !(/^\d+(\.\d+)?$/.test(String(ind.thresholdSeconds)) && ind.thresholdSeconds > 0)) {
    fail('indicator.thresholdSeconds', `${ind.thresholdSeconds} must be a positive decimal number of seconds (0.5)`);
  }
  if (ind.kind === 'queries') {
    if ((ind.errorQuery === undefined) === (ind.goodQuery === undefined)) {
      fail('indicator', 'give exactly one of errorQuery and goodQuery, plus totalQuery');
    }
    for (const key of ['errorQuery', 'goodQuery', 'totalQuery'] as const) {
      const q = ind[key];
      if (q !== undefined && !WINDOW_PLACEHOLDER.test(q)) {
        fail(`indicator.${key}`, 'must use {{.window}} for the range so every window counts the same requests');
      }
    }
  }
  (slo.alerts ?? []).forEach((a, i) => {
    for (const key of ['longWindow', 'shortWindow'] as const) {
      if (parseDuration(a[key]) === undefined) fail(`alerts[${i}].${key}`, `"${a[key]}" is not a duration (5m, 1h, 3d)`);
    }
    if (!(a.factor > 0)) fail(`alerts[${i}].factor`, `${a.factor} must be a positive burn rate`);
  });
  return problems;
}
