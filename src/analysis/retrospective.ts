import type { ResolvedAnalysis, ResolvedMetric } from '../domain/analysis/index.js';
import type { MetricProvider, MetricProviderSet, ProviderMeasurement, RangePoint } from '../providers/metrics/types.js';
import { createRunState, requestTermination } from './run-state.js';
import type { AnalysisRunState } from './run-state.js';
import { stepRun } from './step-run.js';

export interface RetrospectiveOptions {
  /** Start and end of the past interval, epoch ms. */
  readonly from: number;
  readonly to: number;
  readonly signal?: AbortSignal;
}

/**
 * Runs an analysis over past data (`rampart analysis run --from --to`): each metric's history is
 * fetched once with the provider's range query (one point per interval), then the run is stepped
 * exactly as a live one would be, on the past timeline, so the phase rules are the same. A
 * metric whose provider has no history (web, job, builtin) measures as a `misconfigured` error,
 * which ends the run in Error rather than pretending it passed. A run still going at `to` is
 * terminated there. Returns the final state.
 */
export async function runRetrospective(analysis: ResolvedAnalysis, providers: MetricProviderSet, options: RetrospectiveOptions): Promise<AnalysisRunState> {
  const { from, to } = options;
  const history = new Map<string, readonly RangePoint[] | ProviderMeasurement>();
  await Promise.all(analysis.metrics.map(async (metric) => {
    history.set(metric.name, await fetchHistory(metric, providers[metric.provider.type], from, to, options.signal));
  }));
  const replay: MetricProvider = {
    type: 'static',
    measure: (metric, ctx) => Promise.resolve(pointAt(history.get(metric.name), ctx.now)),
  };
  const replaying: MetricProviderSet = Object.fromEntries(analysis.metrics.map((m) => [m.provider.type, replay]));
  let state = createRunState(analysis, from);
  let now = from;
  for (let guard = 0; guard < 100_000; guard++) {
    if (now > to && state.finishedAt === undefined) state = requestTermination(state, to, `reached the end of the interval (${new Date(to).toISOString()})`);
    const step = await stepRun(state, analysis, replaying, Math.min(now, to));
    state = step.state;
    if (step.nextAt === null) return state;
    now = step.nextAt > now ? step.nextAt : now + 1;
  }
  return state;
}

async function fetchHistory(metric: ResolvedMetric, provider: MetricProvider | undefined, from: number, to: number, signal: AbortSignal | undefined): Promise<readonly RangePoint[] | ProviderMeasurement> {
  if (!provider) return { kind: 'error', errorCode: 'misconfigured', message: `no ${metric.provider.type} metric provider is configured` };
  if (!provider.queryRange) return { kind: 'error', errorCode: 'misconfigured', message: `the ${metric.provider.type} provider has no history; retrospective runs need a range query (prometheus)` };
  const stepMs = metric.intervalMs ?? Math.max(1000, to - from);
  try {
    return await provider.queryRange(metric, { from, to, stepMs }, signal);
  } catch (error) {
    return { kind: 'error', errorCode: 'unavailable', message: `range query failed: ${(error as Error).message}` };
  }
}

/** The latest point at or before `now`; an error answer applies to every time. */
function pointAt(history: readonly RangePoint[] | ProviderMeasurement | undefined, now: number): ProviderMeasurement {
  if (history === undefined) return { kind: 'error', errorCode: 'misconfigured', message: 'no history was fetched for this metric' };
  if (!Array.isArray(history)) return history as ProviderMeasurement;
  let best: RangePoint | undefined;
  for (const point of history as readonly RangePoint[]) if (point.at <= now && (!best || point.at > best.at)) best = point;
  return best ? best.observation : { kind: 'noData', reason: `no sample at or before ${new Date(now).toISOString()}` };
}
