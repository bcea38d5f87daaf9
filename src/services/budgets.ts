import type { RampartConfig } from '../config/load.js';
import { resolveAll, resolveService } from '../domain/catalog/resolve.js';
import type { ResolvedService } from '../domain/catalog/types.js';
import { type SloStatus, type TimeRange, type WindowCounts, budgetPeriod, budgetRemaining, computeStatus, createAggregateCounts, errorRatio } from '../domain/slo/index.js';
import { slosFromService } from '../domain/slo/from-catalog.js';
import type { Clock } from '../platform/clock.js';
import { RampartError } from '../platform/errors.js';
import type { CountsFetcher } from '../providers/metrics/types.js';
import type { BudgetCountsSource } from './budgets-rollups.js';

export interface SloBudgetView {
  slo: string;
  objectivePercent: number;
  state: SloStatus['state'] | 'error';
  /** Percent of the period's budget left (negative once overspent). */
  remainingPct?: number;
  consumedPct?: number;
  band?: string;
  budgetMinutes: number;
  remainingMinutes?: number;
  burn: Array<{ window: string; state: string; rate?: number }>;
  alert: string;
  exhaustion?: { window: string; burnRate: number; hours: number | null };
  errors?: string[];
  period: { from: string; to: string };
}

/** The budget of one SLO through its current period: what each stretch from the period's start left. */
export interface SloBurndownView {
  slo: string;
  objectivePercent: number;
  period: { from: string; to: string };
  /** Oldest first; the last point is now. No remainingPct where the stretch saw no requests. */
  points: Array<{ at: string; requests: number; remainingPct?: number }>;
  errors?: string[];
}

export interface ServiceBudgetView {
  service: string;
  tier: number;
  slos: SloBudgetView[];
  unmeasured: Array<{ slo: string; reason: string }>;
  /** The lowest remaining budget among measured SLOs (what the SLO gate reads). */
  remainingPct?: number;
  band?: string;
  /** The highest 5-minute burn rate among measured SLOs (the spec's "fast burn"). */
  fastBurn?: number;
}

/** Prometheus answers one SLO at a time; as a batch source, every SLO's queries run together. */
function fromFetcher(fetcher: CountsFetcher): BudgetCountsSource {
  return {
    description: 'Prometheus',
    asOf: (now) => now,
    batch: (requests) => Promise.all(requests.map((r) => fetcher.counts(r.slo, r.ranges))),
  };
}

/**
 * Error budgets from the catalog's SLOs, counted by Prometheus or by the built-in proxy's store
 * rollups. Each SLO is computed in two steps: the domain says which ranges it needs, the source
 * answers them (all SLOs of a call in one batch), the domain judges.
 */
export function createBudgetService(config: RampartConfig, clock: Clock, counts: CountsFetcher | BudgetCountsSource | undefined, minRequests = 10) {
  const source = counts === undefined ? undefined : 'batch' in counts ? counts : fromFetcher(counts);

  async function views(resolved: readonly ResolvedService[]): Promise<ServiceBudgetView[]> {
    const services = resolved.map((service) => ({ name: service.name, service, ...slosFromService(service) }));
    const now = source ? source.asOf(clock.now()) : clock.now();
    const requests = services.flatMap((s) => s.slos.map((slo) => {
      const ranges: TimeRange[] = [];
      computeStatus(slo, { countsOver: (r) => (ranges.push(r), { good: 0, total: 0, samples: 0 }) }, now, { minRequests });
      return { slo, ranges };
    }));
    const answers = source ? await source.batch(requests) : requests.map(() => undefined);
    let k = 0;
    return services.map(({ name, service, slos, unmeasured }) => {
      const views = slos.map((slo): SloBudgetView => {
        const answer = answers[k++];
        const errors: string[] = [];
        const byLength = new Map<number, WindowCounts>();
        if (!answer) errors.push('no Prometheus configured (slo.prometheusUrl) and no built-in proxy rollups: budgets cannot be measured');
        else {
          for (const [length, c] of answer) {
            if ('error' in c) errors.push(c.error);
            else byLength.set(length, c);
          }
        }
        const s = computeStatus(slo, createAggregateCounts(now, byLength), now, { minRequests });
        return {
          slo: slo.name, objectivePercent: slo.objectivePercent,
          state: errors.length && s.state === 'no-data' ? 'error' : s.state,
          ...(s.remaining !== undefined ? { remainingPct: round(s.remaining * 100), consumedPct: round((s.consumed ?? 0) * 100) } : {}),
          ...(s.band ? { band: s.band } : {}),
          budgetMinutes: round(s.budget.minutes),
          ...(s.remainingMinutes !== undefined ? { remainingMinutes: round(s.remainingMinutes) } : {}),
          burn: s.windows.map((w) => ({ window: w.window, state: w.burn.state, ...(w.burn.state === 'measured' ? { rate: round(w.burn.burnRate) } : {}) })),
          alert: s.alerts.state,
          ...(s.exhaustion ? { exhaustion: { window: s.exhaustion.window, burnRate: round(s.exhaustion.burnRate), hours: Number.isFinite(s.exhaustion.ms) ? round(s.exhaustion.ms / 3_600_000) : null } } : {}),
          ...(errors.length ? { errors: [...new Set(errors)] } : {}),
          period: { from: new Date(s.period.fromMs).toISOString(), to: new Date(s.period.toMs).toISOString() },
        };
      });
      const measured = views.filter((v) => v.remainingPct !== undefined);
      const lowest = [...measured].sort((a, b) => a.remainingPct! - b.remainingPct!)[0];
      const fast = views.flatMap((v) => v.burn.filter((b) => b.window === '5m' && b.rate !== undefined).map((b) => b.rate!));
      return {
        service: name, tier: service.tier, slos: views, unmeasured,
        ...(lowest ? { remainingPct: lowest.remainingPct, band: lowest.band } : {}),
        ...(fast.length ? { fastBurn: Math.max(...fast) } : {}),
      };
    });
  }
  return {
    /** Where the counts come from (undefined: nowhere; budgets cannot be measured). */
    source: source?.description,
    async forService(name: string): Promise<ServiceBudgetView> {
      const service = resolveService(config.catalog, name);
      if (!service) throw new RampartError('NOT_FOUND', `no service "${name}" in the catalog`);
      return (await views([{ ...service, name }]))[0]!;
    },
    /**
     * Budget remaining through the current period, for a chart: at `points` instants from the
     * period's start to now, the budget the error ratio of [start, instant] leaves (the last point
     * is the status's remaining). One batch of ranges per service, from the same counts source.
     */
    async burndown(name: string, points = 30): Promise<{ service: string; slos: SloBurndownView[] }> {
      const service = resolveService(config.catalog, name);
      if (!service) throw new RampartError('NOT_FOUND', `no service "${name}" in the catalog`);
      const { slos } = slosFromService({ ...service, name });
      const now = source ? source.asOf(clock.now()) : clock.now();
      const plans = slos.map((slo) => {
        const period = budgetPeriod(slo.window, now);
        // Evenly spaced instants after the start (distinct lengths: the sources key answers by length).
        const ranges = Array.from({ length: points }, (_, i) => ({ fromMs: period.fromMs, toMs: Math.round(period.fromMs + ((now - period.fromMs) * (i + 1)) / points) }))
          .filter((r, i, all) => r.toMs > r.fromMs && (i === 0 || r.toMs !== all[i - 1]!.toMs));
        return { slo, period, ranges };
      });
      const answers = source ? await source.batch(plans.map((p) => ({ slo: p.slo, ranges: p.ranges }))) : plans.map(() => undefined);
      return {
        service: name,
        slos: plans.map(({ slo, period, ranges }, k): SloBurndownView => {
          const answer = answers[k];
          const errors = new Set<string>();
          if (!answer) errors.add('no Prometheus configured (slo.prometheusUrl) and no built-in proxy rollups: budgets cannot be measured');
          const series = ranges.map((r) => {
            const c = answer?.get(r.toMs - r.fromMs);
            if (!c || 'error' in c) {
              if (c) errors.add(c.error);
              return { at: new Date(r.toMs).toISOString(), requests: 0 };
            }
            const ratio = errorRatio(c);
            return { at: new Date(r.toMs).toISOString(), requests: c.total, ...(ratio !== undefined ? { remainingPct: round(budgetRemaining(ratio, slo.objectivePercent) * 100) } : {}) };
          });
          return {
            slo: slo.name, objectivePercent: slo.objectivePercent, period: { from: new Date(period.fromMs).toISOString(), to: new Date(now).toISOString() }, points: series,
            ...(errors.size ? { errors: [...errors] } : {}),
          };
        }),
      };
    },
    /** Every catalog entry that is a concrete service (families have no series of their own), in one batch. */
    async all(): Promise<ServiceBudgetView[]> {
      return views(resolveAll(config.catalog).filter((s) => !s.name.includes('*')));
    },
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;

export type BudgetService = ReturnType<typeof createBudgetService>;
