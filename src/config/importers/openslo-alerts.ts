/** OpenSLO alerting: AlertPolicy (inline or by reference) with burnrate AlertConditions. */

import { formatDuration, parseDuration } from '../../domain/slo/duration.js';
import type { BurnAlertCondition } from '../../domain/slo/types.js';
import type { Lookup } from './openslo-refs.js';
import { elementReader } from './yaml-reader.js';
import type { Issues, ObjectReader, YamlDoc } from './yaml-reader.js';

export function readAlertPolicies(spec: ObjectReader, doc: YamlDoc, issues: Issues, lookup: Lookup): BurnAlertCondition[] | undefined {
  const list = spec.array('alertPolicies');
  if (!list) return undefined;
  const out: BurnAlertCondition[] = [];
  list.forEach((item, i) => {
    const ref = elementReader(doc, issues, spec, 'alertPolicies', i, item);
    if (!ref) return;
    let policy: { reader: ObjectReader; doc: YamlDoc } | undefined;
    if (ref.has('alertPolicyRef')) {
      const name = ref.string('alertPolicyRef') ?? '';
      const e = lookup('AlertPolicy', name);
      if (!e) return void ref.error('alertPolicyRef', `no AlertPolicy named "${name}" in this file`);
      policy = { reader: e.reader, doc: e.doc };
    } else {
      ref.take('kind');
      ref.object('metadata')?.take('name');
      policy = { reader: ref, doc };
    }
    const pSpec = policy.reader.object('spec', true);
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
    ref.object('metadata')?.take('name');
  }
  const spec = holder.object('spec', true);
  if (!spec) return undefined;
  spec.take('description');
  const severityText = spec.string('severity', true) ?? 'ticket';
  const cond = spec.object('condition', true);
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
  // Normalised (60m → 1h) so rule names and windows are shared with the defaults.
  return { severity, longWindow: formatDuration(longMs), shortWindow: formatDuration(shortMs), factor };
}
