import { Cron } from 'croner';
import type { SafeguardsConfig } from '../config/load.js';
import type { Clock } from '../platform/clock.js';
import { RampartError } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import type { Logger } from '../platform/logger.js';
import type { SyntheticResultRow } from '../store/safeguard-repositories.js';
import type { Store } from '../store/types.js';
import { type CheckOutcome, checkNames, runCheck } from './synthetic-checks.js';

export interface SyntheticRun {
  service: string;
  target: string;
  at: string;
  ok: boolean;
  results: SyntheticResultRow[];
}

export interface SyntheticServiceOptions {
  store: Pick<Store, 'syntheticResults'>;
  clock: Clock;
  synthetics: SafeguardsConfig['synthetics'];
  /** Asks the work queue to come back for `synthetic:<service>` after `delayMs`. */
  enqueue: (service: string, delayMs: number) => void;
  logger?: Logger;
  /** The check runner (tests may replace it); default: real HTTP and shell. */
  run?: typeof runCheck;
}

/**
 * Golden-path synthetic checks (the spec's "Synthetic Monitoring"): per configured service, the
 * checks run on their cron schedule on the work queue, every result is stored, and the latest per
 * check is exported as `synthetic_check_success` and `synthetic_check_duration_seconds`.
 */
export function createSyntheticService(o: SyntheticServiceOptions) {
  const byService = new Map(o.synthetics.map((s) => [s.service, s]));
  const latest = new Map<string, SyntheticResultRow>();
  const run = o.run ?? runCheck;
  const crons = new Map(o.synthetics.map((s) => [s.service, new Cron(s.schedule, { paused: true, timezone: 'UTC' })]));

  const delayToNext = (service: string): number => {
    const now = o.clock.now();
    const next = crons.get(service)?.nextRun(new Date(now));
    return next ? Math.max(0, next.getTime() - now) : 120_000;
  };

  async function runService(service: string): Promise<SyntheticRun> {
    const s = byService.get(service);
    if (!s) throw new RampartError('NOT_FOUND', `no synthetic checks for "${service}"; add it under safeguards.synthetics in the config`);
    const names = checkNames(s.checks);
    const at = new Date(o.clock.now()).toISOString();
    // Checks of one service run one after another: the golden path is a sequence, and a probe must not load the service.
    const outcomes: CheckOutcome[] = [];
    for (const [i, c] of s.checks.entries()) outcomes.push(await run(names[i]!, c, s.url));
    const results = outcomes.map((r): SyntheticResultRow => ({ id: newId('sy_', o.clock.now()), service, check: r.check, ok: r.ok, durationMs: r.durationMs, at, target: s.url, message: r.message }));
    await o.store.syntheticResults.insertMany(results);
    for (const r of results) latest.set(`${service}\u0000${r.check}`, r);
    const failed = results.filter((r) => !r.ok);
    if (failed.length) o.logger?.warn({ service, failed: failed.map((f) => `${f.check}: ${f.message}`) }, 'synthetic check failed');
    return { service, target: s.url, at, ok: failed.length === 0, results };
  }

  return {
    /** Loads the last stored result of every check (for /metrics after a restart) and schedules each service's next run. */
    async start() {
      for (const s of o.synthetics) {
        const names = new Set(checkNames(s.checks));
        for (const r of (await o.store.syntheticResults.list({ service: s.service, limit: 50 })).reverse()) {
          if (names.has(r.check)) latest.set(`${s.service}\u0000${r.check}`, r);
        }
        o.enqueue(s.service, delayToNext(s.service));
      }
    },

    /** The scheduled run: runs the checks when due and returns the delay to the next cron tick. */
    async reconcile(service: string): Promise<number | undefined> {
      if (!byService.has(service)) return undefined;
      await runService(service);
      return delayToNext(service);
    },

    /** Runs a service's checks now (outside the schedule) and stores the results. */
    runNow: runService,

    /** The configured services with their schedules, checks and the latest result of each. */
    configured: () => o.synthetics.map((s) => ({
      service: s.service, url: s.url, schedule: s.schedule,
      checks: checkNames(s.checks).map((check) => latest.get(`${s.service}\u0000${check}`) ?? { check, ok: null, at: null }),
    })),

    /** Stored results, newest first. */
    list: (filter: { service?: string; limit: number }) => o.store.syntheticResults.list(filter),

    /** Prometheus text of the latest result per check; nothing before the first run (no data is not a pass). */
    renderMetrics(): string {
      if (latest.size === 0) return '';
      const rows = [...latest.values()];
      const labels = (r: SyntheticResultRow) => `service="${escape(r.service)}",check="${escape(r.check)}"`;
      return [
        '# HELP synthetic_check_success Whether the latest synthetic check passed (1) or failed (0).',
        '# TYPE synthetic_check_success gauge',
        ...rows.map((r) => `synthetic_check_success{${labels(r)}} ${r.ok ? 1 : 0}`),
        '# HELP synthetic_check_duration_seconds Duration of the latest synthetic check.',
        '# TYPE synthetic_check_duration_seconds gauge',
        ...rows.map((r) => `synthetic_check_duration_seconds{${labels(r)}} ${r.durationMs / 1000}`),
        '',
      ].join('\n');
    },
  };
}

function escape(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

export type SyntheticService = ReturnType<typeof createSyntheticService>;
