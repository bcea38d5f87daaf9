import type { MeasurementRecord } from './measurement.js';
import type { MetricResult } from './metric-result.js';
import type { AnalysisPhase } from './phase.js';
import type { ResolvedMetric } from './resolve.js';
import type { RunAssessment } from './run-assessment.js';
import { formatValue } from './value.js';

export interface RunSummary {
  readonly phase: AnalysisPhase;
  /** The metric whose result decided the run, when one did. */
  readonly decidingMetric?: string;
  /** One sentence a person can read in a notification: what happened and why. */
  readonly sentence: string;
  /** One line per metric, in template order. */
  readonly metrics: readonly string[];
}

/**
 * Explains a run: which metric decided it and why (the limit it crossed, its last value, the
 * condition, the query and window), plus a line per metric. Pure; call it after assessRun.
 */
export function summarizeRun(run: RunAssessment, metrics: readonly ResolvedMetric[]): RunSummary {
  const byName = new Map(run.results.map((r) => [r.name, r]));
  const lines = metrics.map((m) => metricLine(m, byName.get(m.name)));
  const decider = run.decidingMetric ? metrics.find((m) => m.name === run.decidingMetric) : undefined;
  const result = decider ? byName.get(decider.name) : undefined;
  const base = { phase: run.phase, metrics: lines, ...(run.decidingMetric ? { decidingMetric: run.decidingMetric } : {}) };
  if (decider && result && (run.phase === 'Failed' || run.phase === 'Error' || run.phase === 'Inconclusive')) {
    return { ...base, sentence: `${run.phase}: ${why(run.phase, decider, result)}${evidence(result.measurements.at(-1))}` };
  }
  const live = metrics.filter((m) => !m.dryRun);
  const dryNotes = metrics
    .filter((m) => m.dryRun && ['Failed', 'Error', 'Inconclusive'].includes(byName.get(m.name)?.phase ?? ''))
    .map((m) => `dry-run metric "${m.name}" would have been ${byName.get(m.name)?.phase}`);
  const tail = dryNotes.length > 0 ? `; ${dryNotes.join('; ')} (dry runs never decide)` : '';
  if (run.phase === 'Successful') {
    const terminated = run.message === 'Run Terminated' ? ' (run terminated)' : '';
    return { ...base, sentence: `Successful${terminated}: ${live.length === 0 ? 'no metric decides this run' : `all ${live.length} metric${live.length === 1 ? '' : 's'} passed: ${live.map((m) => progress(m, byName.get(m.name))).join('; ')}`}${tail}.` };
  }
  return { ...base, sentence: `${run.phase}: ${metrics.map((m) => progress(m, byName.get(m.name))).join('; ')}${tail}.` };
}

function why(phase: AnalysisPhase, m: ResolvedMetric, r: MetricResult): string {
  const c = r.counters;
  switch (phase) {
    case 'Failed': return `metric "${m.name}" failed ${c.failed} of ${c.count} measurement${c.count === 1 ? '' : 's'}, more than its failureLimit of ${m.failureLimit}`;
    case 'Error': return `metric "${m.name}" could not be measured ${c.consecutiveError} times in a row, more than its consecutiveErrorLimit of ${m.consecutiveErrorLimit}`;
    default: return `metric "${m.name}" was inconclusive ${c.inconclusive} time${c.inconclusive === 1 ? '' : 's'}, more than its inconclusiveLimit of ${m.inconclusiveLimit}`;
  }
}

/** "; last measurement: value 0.034 did not meet … (query …, window 2m, 1 sample)." */
function evidence(last: MeasurementRecord | undefined): string {
  if (!last) return '.';
  const details = [
    last.query !== undefined ? `query ${oneLine(last.query)}` : '',
    last.window !== undefined ? `window ${last.window}` : '',
    last.sampleCount !== undefined ? `${last.sampleCount} sample${last.sampleCount === 1 ? '' : 's'}` : '',
    last.requestCount !== undefined ? `${last.requestCount} requests` : '',
  ].filter((d) => d !== '');
  return `; last measurement: ${last.message}${details.length > 0 ? ` (${details.join(', ')})` : ''}.`;
}

function progress(m: ResolvedMetric, r: MetricResult | undefined): string {
  if (!r) return `"${m.name}" not started`;
  const of = m.count === null ? '' : ` of ${m.count}`;
  const last = r.measurements.at(-1);
  const value = last?.value !== undefined ? `, last value ${formatValue(last.value)}` : '';
  return `"${m.name}" ${r.phase}, ${r.counters.count}${of} measured (${r.counters.successful} successful, ${r.counters.failed} failed, ${r.counters.inconclusive} inconclusive, ${r.counters.error} errors)${value}`;
}

function metricLine(m: ResolvedMetric, r: MetricResult | undefined): string {
  const conditions = [m.successCondition ? `success: ${m.successCondition.source}` : '', m.failureCondition ? `failure: ${m.failureCondition.source}` : ''].filter((s) => s !== '').join(', ');
  return `${m.dryRun ? '[dry run] ' : ''}${progress(m, r)}${conditions ? `; ${conditions}` : ''}`;
}

function oneLine(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 160 ? `${flat.slice(0, 157)}...` : flat;
}
