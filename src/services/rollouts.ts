import { loadAnalysisTemplates } from '../config/analysis/load-templates.js';
import type { RampartConfig } from '../config/load.js';
import { resolveService } from '../domain/catalog/resolve.js';
import type { Strategy } from '../domain/catalog/types.js';
import { budgetBands, pauseFactorFor } from '../domain/slo/index.js';
import type { BudgetBand } from '../domain/slo/index.js';
import {
  type AnalysisObservation, type Command, type Effect, type Health, type Observations, type RolloutSpec, type RolloutStatus,
  createRolloutStatus, decide, isTerminal, restoreEffects, strategyFor,
} from '../domain/rollout/index.js';
import type { Clock } from '../platform/clock.js';
import { RampartError } from '../platform/errors.js';
import { newId } from '../platform/ids.js';
import type { Logger } from '../platform/logger.js';
import { createGroupCommit } from '../reconciler/group-commit.js';
import type { RolloutRow } from '../store/rollout-repository.js';
import type { Store } from '../store/types.js';
import type { AnalysisRunService } from './analysis-runs.js';
import { templateSource } from './analysis-spec.js';
import type { AuditLog } from './audit-log.js';
import type { Actor } from './flags.js';
import type { ReleaseService } from './releases.js';

/** Pause multiplier from the budget band; an unknown band (no data) keeps pauses as written. */
const speedFactorOf = (band: string | undefined): number =>
  band !== undefined && (budgetBands as readonly string[]).includes(band) ? pauseFactorFor(band as BudgetBand) : 1;

/** Where traffic goes: the built-in proxy of each service (or another router). */
export interface TrafficPort {
  has(service: string): boolean;
  stable(service: string): { version: string; url: string } | undefined;
  setUpstreams(service: string, stable: { version: string; url: string }, canary: { version: string; url: string } | null): Promise<void>;
  /** Each change resolves once the router applied it (an nginx reload, say) and rejects with its error. */
  setWeight(service: string, canaryPercent: number): void | Promise<void>;
  setHeaderRoute(service: string, name: string, match: unknown[] | undefined): void | Promise<void>;
  setMirror(service: string, spec: { name: string; percentage: number } | null): void | Promise<void>;
  /** Blue-green: the URL of the service's preview listener (always the new version), when it has one. */
  preview?(service: string): string | undefined;
  /** The upstream traffic may currently reach besides stable (null: none). */
  canary?(service: string): { version: string; url: string } | null | undefined;
}

/** How versions run: start resolves to the URL where the version answers. */
export interface VersionPort {
  start(service: string, version: string): Promise<string>;
  stop(service: string, version: string): Promise<void>;
  healthy(url: string): Promise<boolean>;
}

export interface RolloutEvents {
  emit(event: { type: string; rollout: string; service: string; data: unknown }): void;
}

/** Names the spec uses for templates Rampart ships under another name. */
const templateAliases: Record<string, string> = { 'slo-check': 'slo-guard' };

const strategyNames: Record<Strategy, Parameters<typeof strategyFor>[0]> = {
  'progressive-canary': 'progressive-canary', 'standard-canary': 'standard-canary', 'canary-with-shadow': 'canary-with-shadow',
  'blue-green': 'blue-green', rolling: 'rolling', direct: 'direct',
};

/**
 * Rollouts: a release that passed its gates moves through its strategy's steps. Each reconcile
 * loads the rollout, observes (analysis runs, health, commands), asks decide(), saves the status
 * first, then applies each effect once (by key). A restart re-applies restoreEffects().
 */
export function createRolloutService(deps: {
  store: Store; audit: AuditLog; clock: Clock; logger: Logger; config: RampartConfig;
  traffic: TrafficPort; versions: VersionPort; analysis: AnalysisRunService; releases: ReleaseService;
  events: RolloutEvents; enqueue: (id: string, delayMs: number) => void;
  /** The service's budget band (below 50 % remaining pauses double: the spec's "extended observation periods"). */
  band?: (service: string) => Promise<string | undefined>;
  /** Hands an event to the notifiers (Slack, PagerDuty, GitHub, webhooks). */
  notify?: (event: { type: string; subject: string; service: string; data: unknown }) => void;
  /** Failed checks of the latest synthetic run against a version since an instant (a rollback trigger). */
  syntheticFailures?: (service: string, version: string, since: number) => Promise<Array<{ check: string; message: string }>>;
}) {
  const { store, audit, clock, traffic, versions, analysis, releases, events } = deps;
  const urls = new Map<string, string>();
  /** Analysis run id → the rollout that started it, so a verdict wakes its rollout at once. */
  const owners = new Map<string, string>();
  const urlKey = (service: string, version: string) => `${service}\u0000${version}`;
  // Reconciles that wake together (500 rollouts at a pause's end) share one commit.
  const commits = createGroupCommit((fn) => store.writeTransaction(fn));

  async function urlOf(service: string, version: string): Promise<string> {
    const known = urls.get(urlKey(service, version)) ?? (traffic.stable(service)?.version === version ? traffic.stable(service)?.url : undefined);
    if (known) return known;
    const url = await versions.start(service, version);
    urls.set(urlKey(service, version), url);
    return url;
  }

  async function apply(row: RolloutRow, effect: Effect): Promise<void> {
    const status = row.status as RolloutStatus;
    switch (effect.type) {
      case 'startVersion': {
        const url = await urlOf(row.service, effect.version.version);
        // Blue-green: the preview listener serves the new version from now on; the active one keeps its weight.
        if (effect.previewService && effect.version.version !== status.stable.version) {
          await traffic.setUpstreams(row.service, { version: status.stable.version, url: await urlOf(row.service, status.stable.version) }, { version: effect.version.version, url });
          await traffic.setWeight(row.service, status.weights.canary);
        }
        return;
      }
      case 'stopVersion': {
        // A stopped version is no upstream any more (the preview listener falls back to stable).
        const stable = traffic.stable(row.service);
        if (stable && stable.version !== effect.version.version && traffic.canary?.(row.service)?.version === effect.version.version) {
          await traffic.setUpstreams(row.service, stable, null);
          await traffic.setWeight(row.service, 0);
        }
        await versions.stop(row.service, effect.version.version);
        urls.delete(urlKey(row.service, effect.version.version));
        return;
      }
      case 'setWeight': {
        const stable = { version: effect.stable.version, url: await urlOf(row.service, effect.stable.version) };
        const canary = effect.canary.version === effect.stable.version ? null : { version: effect.canary.version, url: await urlOf(row.service, effect.canary.version) };
        await traffic.setUpstreams(row.service, stable, canary);
        await traffic.setWeight(row.service, canary ? effect.canaryWeight : 0);
        return;
      }
      case 'setHeaderRoute':
        await traffic.setHeaderRoute(row.service, effect.name, effect.match as unknown[] | undefined);
        return;
      case 'setMirror':
        await traffic.setMirror(row.service, effect.percentage > 0 ? { name: effect.name, percentage: effect.percentage } : null);
        return;
      case 'startAnalysis': {
        const args = Object.fromEntries(effect.args.filter((a) => a.value !== undefined).map((a) => [a.name, a.value!]));
        // A bare name is a shipped template in its builtin-metrics form (the proxy's counters); a path is a file.
        const templates = effect.templates.map((t) => templateSource(/[/.]/.test(t) ? t : `${templateAliases[t] ?? t}@builtin`));
        Object.assign(args, listenerArgs(row, templates, args));
        const run = await analysis.start({
          templates, args, dryRun: false,
          release: { service: row.service, version: status.canary.version, namespace: 'default' },
          // What a `judge: statistical` template compares: this canary against this stable.
          ...(status.canary.version !== status.stable.version ? { compare: { service: row.service, canary: status.canary.version, stable: status.stable.version } } : {}),
        }, { actor: 'auto-controller' });
        row.runs[effect.ref] = run.id;
        owners.set(run.id, row.id);
        return;
      }
      case 'terminateAnalysis': {
        const id = row.runs[effect.ref];
        if (id) await analysis.terminate(id, { actor: 'auto-controller' }).catch(() => undefined);
        return;
      }
      case 'openIncident':
        await releases.openIncident({ service: row.service, severity: resolveService(deps.config.catalog, row.service)?.tier === 1 ? 'P1' : 'P2', kind: 'rollback', title: `Rollback: ${row.service} ${status.canary.version}: ${effect.reason}`, links: [] }, { actor: 'auto-controller' });
        return;
      case 'recordHistory':
        // The history entry is the audit event; `notify` carries the same event to people.
        await audit.record({ actor: effect.actor, action: `rollout.${effect.event}`, subject: { kind: 'rollout', id: row.id }, service: row.service, payload: { reason: effect.reason, canary: status.canary.version, stable: status.stable.version } });
        return;
      case 'notify':
        events.emit({ type: `rollout.${effect.event}`, rollout: row.id, service: row.service, data: { reason: effect.reason, actor: effect.actor, phase: status.phase, weights: status.weights, measurements: effect.measurements } });
        deps.notify?.({ type: `rollout.${effect.event}`, subject: row.id, service: row.service, data: { reason: effect.reason, actor: effect.actor, canary: status.canary.version, stable: status.stable.version, measurements: effect.measurements } });
        return;
      case 'verifyStableHealth':
        // Health is observed on every reconcile; decide() records the verdict from that observation.
        return;
      case 'startRollout': {
        const version = effect.version ?? (await versionOfRevision(row.service, effect.revision));
        // Argo's undo: the old revision comes back through the same strategy as the rollout it undoes.
        await startRollout(row.service, version, { actor: effect.actor }, { undoOf: row.id, spec: row.spec as RolloutSpec });
        return;
      }
    }
  }

  /** The version a revision of the service ran (its rollouts' history); a clear error when none did. */
  async function versionOfRevision(service: string, revision: number): Promise<string> {
    for (const r of await store.rollouts.forService(service, 1000)) {
      const s = r.status as RolloutStatus;
      if (s.canary.revision === revision) return s.canary.version;
      if (s.stable.revision === revision) return s.stable.version;
    }
    throw new RampartError('NOT_FOUND', `undo --to-revision ${revision}: ${service} has no such revision; see \`rampart rollout history ${service}\``);
  }

  /**
   * Blue-green analyses run against the preview: templates that declare `preview-url` (or
   * `active-url`) get the listener's URL unless the rollout gives one. Builtin metrics of the
   * new version count the preview's requests already (the proxy records them under that version).
   */
  function listenerArgs(row: RolloutRow, templates: Array<{ file: string; text: string }>, given: Record<string, string>): Record<string, string> {
    const spec = row.spec as RolloutSpec;
    if (spec.strategy.type !== 'blueGreen') return {};
    const declared = new Set(templates.flatMap(({ file, text }) => {
      const loaded = loadAnalysisTemplates(text, file);
      return loaded.templates.flatMap((t) => t.template.args.map((a) => a.name));
    }));
    const urls: Record<string, string | undefined> = { 'preview-url': traffic.preview?.(row.service), 'active-url': activeUrl(row.service) };
    return Object.fromEntries(Object.entries(urls).filter((e): e is [string, string] => e[1] !== undefined && declared.has(e[0]) && given[e[0]] === undefined));
  }

  function activeUrl(service: string): string | undefined {
    const t = deps.config.traffic.services.find((s) => s.service === service);
    return t ? `http://${t.host}:${t.port}` : undefined;
  }

  async function observe(row: RolloutRow): Promise<Observations> {
    const status = row.status as RolloutStatus;
    const analysisObs: Record<string, AnalysisObservation> = {};
    for (const [ref, id] of Object.entries(row.runs)) {
      const run = await analysis.get(id).catch(() => undefined);
      if (run) {
        const measurements = run.state.results.flatMap((r) => r.measurements.slice(-1).map((m) => ({ metric: r.name, value: JSON.stringify(m.value ?? null), phase: m.phase, ...(m.condition?.success ? { condition: m.condition.success } : {}) })));
        analysisObs[ref] = { phase: run.state.phase, message: run.state.summary ?? run.state.message, measurements };
      }
    }
    const health = async (version: string): Promise<Health> => {
      const url = urls.get(urlKey(row.service, version)) ?? (traffic.stable(row.service)?.version === version ? traffic.stable(row.service)?.url : undefined);
      if (!url) return 'Unknown';
      return (await versions.healthy(url)) ? 'Healthy' : 'Unhealthy';
    };
    return {
      analysis: analysisObs,
      canaryHealth: status.canaryStarted ? await health(status.canary.version) : 'Unknown',
      stableHealth: await health(status.stable.version),
      commands: row.commands as Command[],
      ...(deps.syntheticFailures && status.canaryStarted && !isTerminal(status.phase)
        ? { syntheticFailures: await deps.syntheticFailures(row.service, status.canary.version, status.startedAt).catch((err: unknown) => (deps.logger.warn({ rollout: row.id, err }, 'cannot read synthetic results'), [])) } : {}),
      speedFactor: speedFactorOf(await deps.band?.(row.service).catch(() => undefined)),
    };
  }

  async function startRollout(service: string, version: string, by: Actor, options: { releaseId?: string; spec?: RolloutSpec; undoOf?: string }) {
    if (!traffic.has(service)) throw new RampartError('NOT_FOUND', `service "${service}" has no traffic router; add it under traffic.services in rampart.yaml (router: builtin-proxy by default, nginx or nop)`);
    const latest = (await store.rollouts.forService(service, 1))[0];
    if (latest && !isTerminal(latest.phase as RolloutStatus['phase'])) {
      throw new RampartError('CONFLICT', `service ${service} already has rollout ${latest.id} (${latest.phase}); abort or promote it first`);
    }
    const stable = traffic.stable(service)!;
    if (stable.version === version) throw new RampartError('CONFLICT', `${service} already runs ${version}`);
    const catalogEntry = resolveService(deps.config.catalog, service);
    const spec: RolloutSpec = options.spec ?? { strategy: strategyFor(strategyNames[catalogEntry?.strategy ?? 'standard-canary'], service) };
    const id = newId('ro_', clock.now());
    const revision = (latest ? ((latest.status as RolloutStatus).canary.revision ?? 1) : 1) + 1;
    // Stable keeps the revision it was rolled out as (after an abort or an undo it is not revision - 1).
    const prior = latest ? (latest.status as RolloutStatus).stable : undefined;
    const stableRef = prior?.version === stable.version ? prior : { version: stable.version, revision: revision - 1 };
    const status = createRolloutStatus({ id, service, canary: { version, revision }, stable: stableRef }, clock.now());
    const row: RolloutRow = { id, service, spec, status, phase: status.phase, commands: [], applied: [], pending: [], runs: {}, releaseId: options.releaseId ?? null, createdAt: new Date(clock.now()).toISOString(), createdBy: by.actor };
    await audit.record({ actor: by.actor, action: 'rollout.create', subject: { kind: 'rollout', id }, service, payload: { version, stable: stable.version, release: options.releaseId ?? null, strategy: spec.strategy.type, ...(options.undoOf ? { undoOf: options.undoOf } : {}) } },
      (trx) => store.rollouts.insert(row, trx));
    deps.enqueue(id, 0);
    return row;
  }

  /**
   * Applies effects in order, each key at most once; the applied keys are saved when done (a crash
   * before that applies some again on restart: traffic effects are absolute, so that is harmless).
   */
  async function applyAll(row: RolloutRow, effects: readonly Effect[], applied: Set<string>): Promise<void> {
    if (effects.every((e) => applied.has(e.key))) return;
    try {
      for (const effect of effects) {
        if (applied.has(effect.key)) continue;
        await apply(row, effect);
        applied.add(effect.key);
      }
    } finally {
      const left = effects.filter((e) => !applied.has(e.key));
      await commits.run(async (trx) => {
        const current = (await store.rollouts.get(row.id, trx))!;
        await store.rollouts.save({ ...current, runs: row.runs, applied: [...applied], pending: left }, trx);
      });
    }
  }

  function view(row: RolloutRow) {
    return { id: row.id, service: row.service, phase: row.phase, release: row.releaseId, createdAt: row.createdAt, createdBy: row.createdBy, status: row.status as RolloutStatus, spec: row.spec as RolloutSpec, analysisRuns: row.runs, pendingCommands: row.commands };
  }

  return {
    /** An analysis run finished: reconcile the rollout that waits on it now. */
    analysisFinished(runId: string) {
      const rollout = owners.get(runId);
      if (rollout) deps.enqueue(rollout, 0);
    },

    /** Starts a rollout of `version`; it needs a release of that version whose gate decision allowed. */
    async setVersion(service: string, version: string, by: Actor, options: { releaseId?: string; spec?: RolloutSpec }) {
      if (!options.releaseId) throw new RampartError('VALIDATION_FAILED', `a rollout needs the release whose gates allowed ${service} ${version}: pass --release ID (from \`rampart gate check --server\`)`, { field: 'release' });
      const release = await releases.get(options.releaseId);
      if (release.service !== service || release.version !== version) throw new RampartError('CONFLICT', `release ${options.releaseId} is ${release.service} ${release.version}, not ${service} ${version}`);
      if (!release.allow) throw new RampartError('CONFLICT', `release ${options.releaseId} was denied by its gates (decision ${release.decisionId}); it cannot be rolled out`);
      return view(await startRollout(service, version, by, options));
    },

    /** Queues a manual verb; decide() applies it on the next reconcile (at once). */
    async command(service: string, command: Command, by: Actor) {
      const row = (await store.rollouts.forService(service, 1))[0];
      if (!row) throw new RampartError('NOT_FOUND', `no rollout for ${service}`);
      // A revision that never ran is refused now, not left for the reconciler to fail on.
      if (command.verb === 'undo' && command.toRevision !== undefined) await versionOfRevision(service, command.toRevision);
      await audit.record({ actor: by.actor, action: `rollout.command.${command.verb}`, subject: { kind: 'rollout', id: row.id }, service, payload: command },
        async (trx) => {
          const current = (await store.rollouts.get(row.id, trx))!;
          await store.rollouts.save({ ...current, commands: [...current.commands, command] }, trx);
        });
      deps.enqueue(row.id, 0);
      return view((await store.rollouts.get(row.id))!);
    },

    async status(service: string) {
      const row = (await store.rollouts.forService(service, 1))[0];
      if (!row) throw new RampartError('NOT_FOUND', `no rollout for ${service}; start one with \`rampart rollout set-version\``);
      return view(row);
    },
    history: async (service: string) => (await store.rollouts.forService(service, 50)).map(view),

    /** One reconcile: observe, decide, persist the status, then apply new effects once each. */
    async reconcile(id: string): Promise<number | undefined> {
      const row = await store.rollouts.get(id);
      if (!row) return undefined;
      // Effects of the last decision that a crash left unapplied go first (notifications, history, incidents).
      const applied = new Set(row.applied);
      await applyAll(row, row.pending as Effect[], applied);
      const observations = await observe(row);
      const decision = decide(row.spec as RolloutSpec, row.status as RolloutStatus, observations, clock.now());
      const seen = row.commands.length;
      const next: RolloutRow = { ...row, status: decision.status, phase: decision.status.phase, runs: { ...row.runs }, applied: [...applied] };
      // The status is saved with its effects before any is applied: a crash at any instant resumes them.
      const arrived = await commits.run(async (trx) => {
        const current = (await store.rollouts.get(id, trx))!;
        // Commands that arrived while deciding stay queued for the next call.
        await store.rollouts.save({ ...next, commands: current.commands.slice(seen), pending: decision.effects as unknown[] }, trx);
        return current.commands.length - seen;
      });
      await applyAll(next, decision.effects, applied);
      // A command queued after that read enqueues this rollout itself (the queue runs it again).
      if (arrived > 0) return 0;
      return decision.requeueAfterMs ?? undefined;
    },

    /** After a restart: traffic and versions are put back as the stored status says, then reconciling resumes. */
    async resumeAll() {
      // Services are independent, and so are the versions of one: they start at once (recovery time is one start).
      await Promise.all(deps.config.traffic.services.map(async ({ service }) => {
        const row = (await store.rollouts.forService(service, 1))[0];
        if (!row) return;
        for (const runId of Object.values(row.runs)) owners.set(runId, row.id);
        const restore = restoreEffects(row.spec as RolloutSpec, row.status as RolloutStatus).filter((effect) =>
          // Analysis runs persist and resume on their own; only missing ones are started again.
          !(effect.type === 'startAnalysis' && row.runs[effect.ref]) && effect.type !== 'notify' && effect.type !== 'recordHistory' && effect.type !== 'openIncident');
        const failed = (effect: Effect) => (err: Error) => deps.logger.error({ rollout: row.id, effect: effect.type, err }, 'restore failed');
        const plain = restore.filter((e, i) => e.type === 'startVersion' && !e.previewService
          && restore.findIndex((o) => o.type === 'startVersion' && o.version.version === e.version.version) === i);
        await Promise.all(plain.map((effect) => apply(row, effect).catch(failed(effect))));
        for (const effect of restore.filter((e) => !plain.includes(e))) await apply(row, effect).catch(failed(effect));
        deps.enqueue(row.id, 0);
      }));
    },
  };
}

export type RolloutService = ReturnType<typeof createRolloutService>;
