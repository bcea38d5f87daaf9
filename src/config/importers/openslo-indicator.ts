/**
 * OpenSLO indicators: an inline `indicator` or an `indicatorRef` to an SLI, whose `ratioMetric`
 * gives good/total or bad/total Prometheus queries (inline or through a DataSource).
 */

import type { SloIndicator } from '../../domain/slo/types.js';
import type { Lookup } from './openslo-refs.js';
import type { ObjectReader } from './yaml-reader.js';

export function readIndicator(spec: ObjectReader, lookup: Lookup): SloIndicator | undefined {
  if (spec.has('indicator')) {
    const ind = spec.object('indicator');
    ind?.object('metadata')?.take('name');
    const sliSpec = ind ? ind.object('spec', true) : undefined;
    return sliSpec ? readRatioMetric(sliSpec, lookup) : undefined;
  }
  const ref = spec.string('indicatorRef');
  if (ref === undefined) return void spec.error('indicator', 'give an inline indicator or an indicatorRef');
  const sli = lookup('SLI', ref);
  if (!sli) return void spec.error('indicatorRef', `no SLI named "${ref}" in this file`);
  const sliSpec = sli.reader.object('spec', true);
  return sliSpec ? readRatioMetric(sliSpec, lookup) : undefined;
}

function readRatioMetric(sliSpec: ObjectReader, lookup: Lookup): SloIndicator | undefined {
  if (sliSpec.has('thresholdMetric')) {
    sliSpec.take('thresholdMetric');
    return void sliSpec.error('thresholdMetric', 'threshold SLIs are not supported: budgets need good/total or bad/total request counts (ratioMetric)');
  }
  sliSpec.take('description');
  const ratio = sliSpec.object('ratioMetric', true);
  if (!ratio) return undefined;
  if (ratio.has('raw') || ratio.has('rawType')) {
    ratio.take('raw');
    ratio.take('rawType');
    return void ratio.error('raw', 'a precomputed ratio is not supported: budgets are computed from request counts');
  }
  const counter = ratio.boolean('counter');
  if (counter === false) ratio.warn('counter', 'counter: false (gauge values) is not supported; the queries are treated as counters');
  const total = readQuery(ratio, 'total', lookup, true);
  if (ratio.has('good') && ratio.has('bad')) return void ratio.error('bad', 'give good or bad, not both');
  if (ratio.has('good')) {
    const good = readQuery(ratio, 'good', lookup, true);
    return good && total ? { kind: 'queries', goodQuery: good, totalQuery: total } : undefined;
  }
  const bad = readQuery(ratio, 'bad', lookup, true);
  return bad && total ? { kind: 'queries', errorQuery: bad, totalQuery: total } : undefined;
}

/** A Prometheus query from `ratio[key].metricSource`, with its range turned into `{{.window}}`. */
function readQuery(ratio: ObjectReader, key: string, lookup: Lookup, required: boolean): string | undefined {
  const holder = ratio.object(key, required);
  const source = holder ? holder.object('metricSource', true) : undefined;
  if (!source) return undefined;
  const refName = source.string('metricSourceRef');
  let type = source.string('type');
  if (refName !== undefined) {
    const ds = lookup('DataSource', refName);
    if (!ds) return void source.error('metricSourceRef', `no DataSource named "${refName}" in this file`);
    const dsSpec = ds.reader.object('spec', true);
    type ??= dsSpec?.string('type', true);
    if (dsSpec?.has('connectionDetails')) {
      dsSpec.take('connectionDetails');
      dsSpec.warn('connectionDetails', 'not imported: the Prometheus address comes from the metrics provider in rampart.yaml');
    }
    dsSpec?.take('description');
  }
  if (type === undefined) return void source.error('type', 'required: the metric source type (Prometheus)');
  if (type.toLowerCase() !== 'prometheus') return void source.error('type', `${type} is not supported; only Prometheus sources are imported`);
  const querySpec = source.object('spec', true);
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
