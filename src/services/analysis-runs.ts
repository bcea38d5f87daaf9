import { type AnalysisRunState, createRunState, requestTermination, stepRun } from '../analysis/index.js';
import type { Clock } from '../platform/clock.js';
import { RampartError } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import type { BuiltinMetricsSource, MetricProviderSet } from '../providers/metrics/types.js';
import type { Store } from '../store/types.js';
import type { AuditLog } from './audit-log.js';
import { type AnalysisSpec, resolveSpec } from './analysis-spec.js';
import type { Actor } from './flags.js';

/**
 * Ad-hoc and rollout analysis runs, persisted: each reconcile loads the run, measures what is due
 * (stepRun), saves the state and says when to come back. A restarted server resumes every
 * unfinished run from its stored state. `counts` (the built-in proxy's counters) is what a run's
 * `judge: statistical` compares when its spec names the canary and stable versions.
 */
export function createAnalysisRunService(store: Store, audit: AuditLog, clock: Clock, providers: MetricProviderSet, enqueue: (id: string, delayMs: number) => void, onFinished: (id: string) => void = () => {}, counts?: BuiltinMetricsSource) {
  const view = (row: NonNullable<Awaited<ReturnType<Store['analysisRuns']['get']>>>) => ({
    id: row.id, phase: row.phase, nextAt: row.nextAt, createdAt: row.createdAt, createdBy: row.createdBy,
    spec: { templates: (row.spec as AnalysisSpec).templates.map((t) => t.file), args: (row.spec as AnalysisSpec).args, dryRun: (row.spec as AnalysisSpec).dryRun },
    state: row.state as AnalysisRunState,
  });

  return {
    async start(spec: AnalysisSpec, by: Actor) {
      const analysis = resolveSpec(spec);
      const now = clock.now();
      const id = newId('ar_', now);
      const state = createRunState(analysis, now);
      await audit.record({ actor: by.actor, action: 'analysis.start', subject: { kind: 'analysis-run', id }, payload: { templates: analysis.templates, args: spec.args, dryRun: spec.dryRun } },
        (trx) => store.analysisRuns.insert({ id, spec, state, phase: state.phase, nextAt: now, createdAt: new Date(now).toISOString(), createdBy: by.actor }, trx));
      enqueue(id, 0);
      return this.get(id);
    },

    async get(id: string) {
      const row = await store.analysisRuns.get(id);
      if (!row) throw new RampartError('NOT_FOUND', `no analysis run ${id}`);
      return view(row);
    },

    list: async (limit: number) => (await store.analysisRuns.list(limit)).map(view),

    async terminate(id: string, by: Actor) {
      const row = await store.analysisRuns.get(id);
      if (!row) throw new RampartError('NOT_FOUND', `no analysis run ${id}`);
      if (row.nextAt === null) throw new RampartError('CONFLICT', `analysis run ${id} has already ended (${row.phase})`);
      const state = requestTermination(row.state as AnalysisRunState, clock.now(), `terminated by ${by.actor}`);
      await audit.record({ actor: by.actor, action: 'analysis.terminate', subject: { kind: 'analysis-run', id }, payload: {} },
        (trx) => store.analysisRuns.saveState(id, state, state.phase, clock.now(), trx));
      enqueue(id, 0);
      return this.get(id);
    },

    /** One reconcile; returns the delay until the next, or undefined when the run has ended. */
    async reconcile(id: string): Promise<number | undefined> {
      const row = await store.analysisRuns.get(id);
      if (!row || row.nextAt === null) return undefined;
      const now = clock.now();
      if (row.nextAt > now) return row.nextAt - now;
      const spec = row.spec as AnalysisSpec;
      const analysis = resolveSpec(spec);
      const compare = spec.compare && counts ? { source: counts, service: spec.compare.service, canaryVersion: spec.compare.canary, stableVersion: spec.compare.stable } : undefined;
      const step = await stepRun(row.state as AnalysisRunState, analysis, providers, now, { finishedAt: () => clock.now(), ...(compare ? { canaryComparison: compare } : {}) });
      if (step.nextAt === null) {
        await audit.record({ actor: 'auto-controller', action: 'analysis.finish', subject: { kind: 'analysis-run', id }, payload: { phase: step.state.phase, summary: step.state.summary ?? step.state.message } },
          (trx) => store.analysisRuns.saveState(id, step.state, step.state.phase, null, trx));
        // Whoever waits on this verdict (a rollout) hears it now rather than at its next poll.
        onFinished(id);
        return undefined;
      }
      await store.analysisRuns.saveState(id, step.state, step.state.phase, step.nextAt);
      return Math.max(0, step.nextAt - clock.now());
    },

    async resumeAll() {
      for (const row of await store.analysisRuns.unfinished()) enqueue(row.id, Math.max(0, (row.nextAt ?? 0) - clock.now()));
    },
  };
}

export type AnalysisRunService = ReturnType<typeof createAnalysisRunService>;
