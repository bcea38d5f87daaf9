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
  /** Where the checks ran: the configured URL, or each version's URL (`1.2.0 http://…`), comma-separated. */
  target: string;
  at: string;
  ok: boolean;
  results: SyntheticResultRow[];
}

/** A version serving the service and where it answers directly (not through the proxy). */
export interface SyntheticTarget {
  version: string;
  url: string;
}

/** The latest run against one version: a pass only when every check of that run passed. */
export type VersionVerdict =
  | { state: 'pass' | 'fail'; at: string; results: SyntheticResultRow[]; explanation: string }
  | { state: 'none'; explanation: string };

export interface SyntheticServiceOptions {
  store: Pick<Store, 'syntheticResults'>;
  clock: Clock;
  synthetics: SafeguardsConfig['synthetics'];
  /** Asks the work queue to come back for `synthetic:<service>` after `delayMs`. */
  enqueue: (service: string, delayMs: number) => void;
  logger?: Logger;
  /** The check runner (tests may replace it); default: real HTTP and shell. */
  run?: typeof runCheck;
  /**
   * The versions serving a service (stable and canary behind the proxy). When it names any, the
   * checks run against each version's own URL and the results record the version; otherwise
   * against the configured URL, with no version.
   */
  targets?: (service: string) => readonly SyntheticTarget[];
  /** Told after every run (scheduled or not): a failure can wake the rollout of that version. */
  onRun?: (run: SyntheticRun) => void;
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
    const versions = o.targets?.(service) ?? [];
    const targets: ReadonlyArray<{ url: string; version?: string }> = versions.length > 0 ? versions : [{ url: s.url }];
    const results: SyntheticResultRow[] = [];
    for (const t of targets) {
      // Checks of one service run one after another: the golden path is a sequence, and a probe must not load the service.
      const outcomes: CheckOutcome[] = [];
      for (const [i, c] of s.checks.entries()) outcomes.push(await run(names[i]!, c, t.url));
      results.push(...outcomes.map((r): SyntheticResultRow => ({
        id: newId('sy_', o.clock.now()), service, check: r.check, ok: r.ok, durationMs: r.durationMs, at, target: t.url, message: r.message, ...(t.version !== undefined ? { version: t.version } : {}),
      })));
    }
    await o.store.syntheticResults.insertMany(results);
    for (const r of results) latest.set(latestKey(r), r);
    const failed = results.filter((r) => !r.ok);
    if (failed.length) o.logger?.warn({ service, failed: failed.map((f) => `${f.version ? `${f.version} ` : ''}${f.check}: ${f.message}`) }, 'synthetic check failed');
    const done: SyntheticRun = { service, target: targets.map((t) => (t.version !== undefined ? `${t.version} ${t.url}` : t.url)).join(', '), at, ok: failed.length === 0, results };
    o.onRun?.(done);
    return done;
  }

  return {
    /** Loads the last stored result of every check (for /metrics after a restart) and schedules each service's next run. */
    async start() {
      for (const s of o.synthetics) {
        const names = new Set(checkNames(s.checks));
        // Newest first: the first row seen per check and version is its latest.
        for (const r of await o.store.syntheticResults.list({ service: s.service, limit: 50 })) {
          if (names.has(r.check) && !latest.has(latestKey(r))) latest.set(latestKey(r), r);
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
      checks: checkNames(s.checks).flatMap((check): Array<SyntheticResultRow | { check: string; ok: null; at: null }> => {
        const rows = [...latest.values()].filter((r) => r.service === s.service && r.check === check);
        return rows.length > 0 ? rows : [{ check, ok: null, at: null }];
      }),
    })),

    /** Stored results, newest first. */
    list: (filter: { service?: string; limit: number }) => o.store.syntheticResults.list(filter),

    /**
     * The verdict of the latest stored run against `version` of `service`, optionally only runs at
     * or after `since` (epoch ms). No run is `none`, never a pass.
     */
    async verdictFor(service: string, version: string, since?: number): Promise<VersionVerdict> {
      const rows = await o.store.syntheticResults.latestRun(service, version);
      const at = rows[0]?.at;
      if (at === undefined) return { state: 'none', explanation: `no synthetic run against ${service} ${version} yet` };
      if (since !== undefined && Date.parse(at) < since) return { state: 'none', explanation: `no synthetic run against ${service} ${version} since ${new Date(since).toISOString()} (the last was at ${at})` };
      const failed = rows.filter((r) => !r.ok);
      const explanation = failed.length === 0
        ? `${rows.length} check(s) passed against ${service} ${version} at ${at}: ${rows.map((r) => r.check).join(', ')}`
        : `${failed.length} of ${rows.length} check(s) failed against ${service} ${version} at ${at}: ${failed.map((r) => `${r.check}: ${r.message}`).join('; ')}`;
      return { state: failed.length === 0 ? 'pass' : 'fail', at, results: rows, explanation };
    },

    /**
     * The `synthetic-success` reading of the builtin metric provider: the latest run against the
     * version since `since`. With none, a run is asked for now (the analysis measures again later).
     */
    async reading(service: string, version: string, since: number): Promise<{ state: VersionVerdict['state']; explanation: string }> {
      if (!byService.has(service)) return { state: 'none', explanation: `no synthetic checks are configured for ${service} (add it under safeguards.synthetics)` };
      const v = await this.verdictFor(service, version, since);
      if (v.state !== 'none') return { state: v.state, explanation: v.explanation };
      this.soon(service);
      return { state: 'none', explanation: `${v.explanation}; a run was requested` };
    },

    /** The failed checks of the latest run against the version since `since` (a rollback trigger); empty when it passed or none ran. */
    async failuresFor(service: string, version: string, since: number): Promise<Array<{ check: string; message: string }>> {
      if (!byService.has(service)) return [];
      const v = await this.verdictFor(service, version, since);
      return v.state === 'fail' ? v.results.filter((r) => !r.ok).map((r) => ({ check: r.check, message: r.message })) : [];
    },

    /** Asks for a run of the service's checks now (on the work queue), e.g. when a verdict is wanted and none exists. */
    soon(service: string) {
      if (byService.has(service)) o.enqueue(service, 0);
    },

    /** Whether the service has synthetic checks configured. */
    has: (service: string) => byService.has(service),

    /** Prometheus text of the latest result per check; nothing before the first run (no data is not a pass). */
    renderMetrics(): string {
      if (latest.size === 0) return '';
      const rows = [...latest.values()];
      const labels = (r: SyntheticResultRow) => `service="${escape(r.service)}",check="${escape(r.check)}"${r.version !== undefined ? `,version="${escape(r.version)}"` : ''}`;
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

const latestKey = (r: SyntheticResultRow) => `${r.service}\u0000${r.check}\u0000${r.version ?? ''}`;

function escape(v: string): string {
  return v.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}

export type SyntheticService = ReturnType<typeof createSyntheticService>;
