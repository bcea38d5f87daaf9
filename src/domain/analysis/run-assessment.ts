import { assessMetric, limitBreach } from './metric-result.js';
import type { MetricResult } from './metric-result.js';
import { isTerminal, isWorse } from './phase.js';
import type { AnalysisPhase } from './phase.js';
import type { ResolvedMetric } from './resolve.js';

export interface RunAssessment {
  readonly phase: AnalysisPhase;
  readonly message: string;
  /** Each metric's result with its phase (and message) brought up to date. */
  readonly results: readonly MetricResult[];
  /** The non-dry-run metric whose phase became the run's phase, if one did. */
  readonly decidingMetric?: string;
  readonly summary: { readonly run: PhaseTally; readonly dryRun: PhaseTally };
}

export interface PhaseTally {
  readonly count: number;
  readonly successful: number;
  readonly failed: number;
  readonly inconclusive: number;
  readonly error: number;
}

/**
 * True when the run must stop measuring (Argo's `IsTerminating`): termination was requested, or
 * a non-dry-run metric already ended Failed, Error or Inconclusive.
 */
export function isTerminating(results: readonly MetricResult[], terminateRequested = false): boolean {
  return terminateRequested || results.some((r) => !r.dryRun && (r.phase === 'Failed' || r.phase === 'Error' || r.phase === 'Inconclusive'));
}

/**
 * The run's phase (Argo's `assessRunStatus`): each metric is reassessed; while any metric has
 * not completed (or not started) the run is Running, then the worst completed phase wins with
 * Argo's order (Failed worse than Error worse than Inconclusive). Dry-run metrics are assessed
 * and reported but never decide the run: if only they completed, the run is Successful. When
 * terminating, the worst phase so far is final (Successful if nothing completed).
 * `results` holds one entry per metric that has started; order follows `metrics`.
 */
export function assessRun(metrics: readonly ResolvedMetric[], results: readonly MetricResult[], terminateRequested = false): RunAssessment {
  const first = assessOnce(metrics, results, terminateRequested);
  // Argo computes "terminating" from the phases stored before this pass, so a metric that just
  // failed stops the others one reconcile later (its status write triggers that reconcile at
  // once). Running the second pass here gives the same end state without the extra round trip.
  if (!isTerminating(results, terminateRequested) && isTerminating(first.results, terminateRequested)) {
    return assessOnce(metrics, first.results, terminateRequested);
  }
  return first;
}

function assessOnce(metrics: readonly ResolvedMetric[], results: readonly MetricResult[], terminateRequested: boolean): RunAssessment {
  const terminating = isTerminating(results, terminateRequested);
  let worst: AnalysisPhase | undefined;
  let message = terminateRequested ? 'Run Terminated' : '';
  let decidingMetric: string | undefined;
  let everythingCompleted = true;
  const run = tally();
  const dry = tally();
  const updated: MetricResult[] = [];
  for (const metric of metrics) {
    const bucket = metric.dryRun ? dry : run;
    bucket.count++;
    const stored = results.find((r) => r.name === metric.name);
    if (!stored) {
      everythingCompleted = false;
      continue;
    }
    const assessed = assessMetric(stored, metric, terminating);
    let result = stored;
    if (assessed.phase !== stored.phase) result = { ...stored, phase: assessed.phase, message: stored.measurements.at(-1)?.message ?? assessed.reason };
    if (!isTerminal(assessed.phase)) {
      everythingCompleted = false;
    } else {
      const breach = limitBreach(result.counters, metric);
      const why = breach?.reason ?? '';
      if (!metric.dryRun) {
        if (worst === undefined || isWorse(worst, assessed.phase)) {
          worst = assessed.phase;
          decidingMetric = metric.name;
          if (why !== '') message = `Metric "${metric.name}" assessed ${assessed.phase} due to ${why}${result.message ? `: "Error Message: ${result.message}"` : ''}`;
        }
      } else {
        worst ??= 'Successful';
        if (why !== '') result = { ...result, message: `Metric assessed ${assessed.phase} due to ${why}` };
      }
      count(bucket, breach?.phase ?? 'Successful');
    }
    updated.push(result);
  }
  message = message.trim();
  const base = { results: updated, summary: { run: freeze(run), dryRun: freeze(dry) } };
  const decided = decidingMetric ? { decidingMetric } : {};
  if (terminating) return { ...base, ...decided, phase: worst ?? 'Successful', message };
  if (!everythingCompleted || worst === undefined) return { ...base, phase: 'Running', message: '' };
  return { ...base, ...decided, phase: worst, message };
}

type MutableTally = { -readonly [K in keyof PhaseTally]: PhaseTally[K] };

function tally(): MutableTally {
  return { count: 0, successful: 0, failed: 0, inconclusive: 0, error: 0 };
}

function count(t: MutableTally, phase: AnalysisPhase): void {
  if (phase === 'Failed') t.failed++;
  else if (phase === 'Inconclusive') t.inconclusive++;
  else if (phase === 'Error') t.error++;
  else t.successful++;
}

function freeze(t: MutableTally): PhaseTally {
  return Object.freeze({ ...t });
}
