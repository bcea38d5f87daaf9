/**
 * The composition root: the one place that picks concrete implementations (SQLite or
 * PostgreSQL, the system clock, pino) and wires them into services, the API and the reconciler.
 */
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { getRequestListener } from '@hono/node-server';
import { Registry } from 'prom-client';
import type { Env } from './config/env.js';
import { type RampartConfig, defaultConfig, formatProblem, loadConfigFile } from './config/load.js';
import { resolveService } from './domain/catalog/resolve.js';
import { type Clock, systemClock } from './platform/clock.js';
import { RampartError } from './platform/errors.js';
import { type Logger, createLogger } from './platform/logger.js';
import { createWorkQueue, type WorkQueue } from './reconciler/work-queue.js';
import { NOTIFIER_DEFINITIONS } from './providers/notifiers/definitions.js';
import { type NamedNotifier, createNotifierRegistry } from './providers/notifiers/registry.js';
import { createNotificationService } from './services/notifications.js';
import { createApp } from './server/app.js';
import type { ServerDeps } from './server/context.js';
import { METRIC_PROVIDER_DEFINITIONS } from './providers/metrics/definitions.js';
import { createMetricProviderRegistry } from './providers/metrics/registry.js';
import type { BuiltinMetricsSource, MetricProviderSet } from './providers/metrics/types.js';
import { type DataPlane, createDataPlane } from './proxy/index.js';
import { type FaultPort, createRoutedTrafficPort, createTrafficService } from './services/traffic.js';
import { type RoutedService, createServiceRouters, routerTypeOf } from './providers/routers/service-routers.js';
import { type TrafficPort, type VersionPort, createRolloutService } from './services/rollouts.js';
import { createRuntime } from './providers/runtimes/registry.js';
import type { VersionRuntime } from './providers/runtimes/types.js';
import { createEventBus } from './platform/event-bus.js';
import { createAnalysisRunService } from './services/analysis-runs.js';
import { createAuditLog } from './services/audit-log.js';
import { createBudgetService } from './services/budgets.js';
import { createRollupCounts, createRollupWriter } from './services/budgets-rollups.js';
import { createBandWatcher } from './services/budgets-bands.js';
import { DEFAULT_LATENCY_BUCKETS } from './proxy/version-series.js';
import { createPrometheusCounts } from './providers/metrics/prometheus-counts.js';
import { createClientKeyService } from './services/client-keys.js';
import { createExceptionService } from './services/exceptions.js';
import { createFlagGuardService } from './services/flag-guards.js';
import { createFlagService } from './services/flags.js';
import { loadGateSetup } from './services/gate-check.js';
import { createReleaseService } from './services/releases.js';
import { createServiceHealthService } from './services/service-health.js';
import { type AlertNotifier, type AnomalyService, createAnomalyService } from './services/anomalies.js';
import { type SyntheticService, createSyntheticService } from './services/synthetics.js';
import { createResilienceProbe, resilienceProbeReading } from './services/resilience-probe.js';
import { type SaturationSampler, createSaturationSampler } from './services/saturation.js';
import { anomalyRules } from './domain/anomaly/rules.js';
import { createTokenService } from './services/tokens.js';
import { openPostgresStore } from './store/postgres.js';
import { openSqliteStore } from './store/sqlite.js';
export { canVerifyInParallel, verifyAuditChainParallel } from './store/sqlite-verify.js';
import type { Store } from './store/types.js';

/** The reconcile key of the exception sweep (expiry, overdue reviews). */
const exceptionSweepKey = 'exceptions:sweep';
/** The reconcile key of notification delivery (the outbox). */
const outboxKey = 'outbox:deliver';

export interface RuntimeOptions {
  env: Env;
  configFile?: string;
  dataDir?: string;
  databaseUrl?: string;
  host?: string;
  port?: number;
  logger?: Logger;
  clock?: Clock;
  /** Where anomaly alerts are delivered (default: nowhere; the log only). */
  alertNotifier?: AlertNotifier;
}

/** Loads the config file (flag, then RAMPART_CONFIG) or the built-in defaults; bad config throws CONFIG_INVALID. */
export function loadRuntimeConfig(opts: Pick<RuntimeOptions, 'env' | 'configFile'>): RampartConfig {
  const file = opts.configFile ?? opts.env.configFile;
  if (!file) return defaultConfig();
  const r = loadConfigFile(file);
  if (!r.ok) {
    throw new RampartError('CONFIG_INVALID', `${file} is not valid:\n${r.problems.map(formatProblem).join('\n')}`, { problems: r.problems });
  }
  return r.config;
}

export function dataDirOf(opts: Pick<RuntimeOptions, 'env' | 'dataDir'>): string {
  return resolve(opts.dataDir ?? opts.env.dataDir ?? '.rampart');
}

/** The SQLite file the store uses, or undefined when the store is PostgreSQL. */
export function sqliteFileOf(config: RampartConfig, opts: Pick<RuntimeOptions, 'env' | 'dataDir' | 'databaseUrl'>): string | undefined {
  if (opts.databaseUrl ?? opts.env.databaseUrl ?? config.store.url) return undefined;
  return config.store.sqlitePath ? resolve(config.store.sqlitePath) : join(dataDirOf(opts), 'rampart.db');
}

/** Describes where the store lives, for people (never prints a password). */
export function describeStore(config: RampartConfig, opts: Pick<RuntimeOptions, 'env' | 'dataDir' | 'databaseUrl'>): string {
  const file = sqliteFileOf(config, opts);
  return file ? `sqlite ${file}` : `postgres ${redactUrl((opts.databaseUrl ?? opts.env.databaseUrl ?? config.store.url)!)}`;
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}

/** Opens the configured store: PostgreSQL for a postgres URL, else SQLite under the data dir. */
export async function openStore(
  config: RampartConfig,
  opts: Pick<RuntimeOptions, 'env' | 'dataDir' | 'databaseUrl' | 'logger'>,
  mode: { readonly?: boolean } = {},
): Promise<Store> {
  const url = opts.databaseUrl ?? opts.env.databaseUrl ?? config.store.url;
  try {
    if (url) {
      if (!/^postgres(ql)?:\/\//.test(url)) {
        throw new RampartError('CONFIG_INVALID', `database URL must start with postgres:// (got ${redactUrl(url).split('//')[0]}//…)`);
      }
      return await openPostgresStore(url, { onIdleError: (err) => opts.logger?.warn({ err: err.message }, 'PostgreSQL closed an idle store connection; the pool opens a new one on the next query') });
    }
    return await openSqliteStore(sqliteFileOf(config, opts)!, mode);
  } catch (err) {
    if (err instanceof RampartError) throw err;
    throw new RampartError('UNAVAILABLE', `cannot open the store (${describeStore(config, opts)}): ${(err as Error).message}`);
  }
}

/** The rollout service's view of the runtimes: start a version, stop it, check its health. */
function versionPortOf(runtimes: Map<string, VersionRuntime>): VersionPort {
  return {
    async start(service, version) {
      const runtime = runtimes.get(service);
      if (!runtime) throw new RampartError('CONFIG_INVALID', `traffic service ${service} has no runtime: Rampart cannot start version ${version} (add traffic.services[].runtime)`);
      const r = await runtime.start({ service, version });
      if (!r.ok) throw new RampartError('UNAVAILABLE', `cannot start ${service} ${version}: ${r.message}`);
      return r.value.url;
    },
    async stop(service, version) {
      await runtimes.get(service)?.stop(service, version);
    },
    async healthy(url) {
      try {
        return (await fetch(`${url}/health`, { signal: AbortSignal.timeout(1000) })).ok;
      } catch {
        return false;
      }
    },
  };
}

/** The built-in proxy's per-version counters, as the `builtin` metric provider and `judge: statistical` read them. */
export function builtinSourceOf(dataPlane: DataPlane): BuiltinMetricsSource {
  const versions = (service: string, version: string | undefined) => (version === undefined ? dataPlane.metrics.versions(service) : [version]);
  return {
    countsOver(service, version, windowSeconds, now) {
      let requests = 0;
      let errors = 0;
      for (const v of versions(service, version)) {
        const c = dataPlane.metrics.countsOver(service, v, windowSeconds, now);
        requests += c.requests;
        errors += c.errors;
      }
      return { requests, errors };
    },
    latencyQuantile(q, service, version, windowSeconds, now) {
      // One version: its own histogram; all versions: the busiest one's (histograms are per version).
      const vs = versions(service, version);
      const best = vs.map((v) => dataPlane.metrics.latencyQuantile(q, service, v, windowSeconds, now)).sort((a, b) => b.requests - a.requests)[0];
      return { value: best?.value ?? Number.NaN, samples: best?.requests ?? 0 };
    },
  };
}

/** The versions behind a service's proxy (stable, then canary) and where each answers directly. */
function versionTargetsOf(dataPlane: DataPlane, service: string): Array<{ version: string; url: string }> {
  const up = dataPlane.get(service)?.upstreams();
  if (!up) return [];
  return [up.stable, ...(up.canary && up.canary.version !== up.stable.version ? [up.canary] : [])].map((u) => ({ version: u.version, url: u.url }));
}

/** The configured metric providers; an unknown type or bad config is a start-up error naming it. */
export function metricProviders(config: RampartConfig, clock: Clock, builtinSource?: BuiltinMetricsSource): MetricProviderSet {
  const entries = builtinSource && !config.analysis.providers.some((p) => p.type === 'builtin') ? [...config.analysis.providers, { type: 'builtin' }] : config.analysis.providers;
  const r = createMetricProviderRegistry(METRIC_PROVIDER_DEFINITIONS).createSet(entries, { clock, ...(builtinSource ? { builtinSource } : {}) }, 'analysis.providers');
  if (!r.ok) throw new RampartError('CONFIG_INVALID', `${config.source}: ${r.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, { problems: r.problems });
  return r.providers;
}

/** The configured notifiers; an unknown type or bad config is a start-up error naming the field (never its value). */
export function notifiers(config: RampartConfig, clock: Clock): readonly NamedNotifier[] {
  const r = createNotifierRegistry(NOTIFIER_DEFINITIONS).createSet(config.notifications.notifiers, { clock, timeoutMs: config.notifications.timeoutMs });
  if (!r.ok) throw new RampartError('CONFIG_INVALID', `${config.source}: ${r.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`, { problems: r.problems });
  return r.notifiers;
}

export interface Rampart {
  deps: ServerDeps;
  app: ReturnType<typeof createApp>;
  reconciler: WorkQueue;
  /** The one-time admin token created at this start, if one was. */
  bootstrapToken: string | undefined;
  /** CPU/memory sampling: the runtimes' running processes are discovered at each sample; `track` adds others by hand. */
  saturation: SaturationSampler;
  close(): Promise<void>;
}

/** Builds everything but the listening socket: for `up`, and for in-process API tests. */
export async function createRampart(opts: RuntimeOptions): Promise<Rampart> {
  const config = loadRuntimeConfig(opts);
  const clock = opts.clock ?? systemClock;
  const logger = opts.logger ?? createLogger({ ...(opts.env.logLevel ? { level: opts.env.logLevel } : {}) });
  const gateSetup = loadGateSetup(config);
  const configuredNotifiers = notifiers(config, clock);
  const store = await openStore(config, opts);
  const audit = createAuditLog(store, clock);
  const tokens = createTokenService(store, audit, clock);
  let bootstrapToken: string | undefined;
  try {
    bootstrapToken = config.auth.bootstrapAdmin || opts.env.adminToken ? await tokens.bootstrapAdmin(opts.env.adminToken) : undefined;
  } catch (err) {
    await store.close();
    throw err;
  }
  // Delivery is scheduled on the reconciler, created below; nothing is enqueued before it exists.
  const late: { reconciler?: WorkQueue } = {};
  const notifications = createNotificationService({
    store, audit, clock, logger, notifiers: configuredNotifiers,
    schedule: (delay) => late.reconciler?.enqueue(outboxKey, delay),
    maxAttempts: config.notifications.maxAttempts, maxDelayMs: config.notifications.maxBackoffSeconds * 1000,
    claimMs: Math.max(60_000, 2 * config.notifications.timeoutMs),
  });
  const flags = createFlagService(store, audit, clock);
  await flags.reload();
  const flagGuards = createFlagGuardService(store, audit, clock, flags, (key, verdict) => {
    logger.warn({ flag: key, verdict }, 'flag kill switch tripped');
    notifications.notify({ type: 'flag.killed', subject: { kind: 'flag', id: key }, actor: 'auto-controller', reason: 'flag guard tripped', data: { verdict } })
      .catch((err: unknown) => logger.error({ err, flag: key }, 'cannot enqueue the kill switch notification'));
  });
  const clientKeys = createClientKeyService(store, audit, clock);
  // Without Prometheus, budgets come from the built-in proxy's per-minute rollups in the store.
  const fronted = (service: string) => config.traffic.services.some((t) => t.service === service);
  const budgets = createBudgetService(config, clock, config.slo.prometheusUrl ? createPrometheusCounts(config.slo.prometheusUrl) : createRollupCounts(store.rollups, fronted), config.slo.minRequests);
  // Critical exceptions and overdue reviews notify through the outbox.
  const exceptions = createExceptionService(store, audit, clock, config, gateSetup, {
    logger,
    notify: (e) => notifications.notify({
      type: e.action.startsWith('exception.') ? e.action : `exception.${e.action}`, subject: { kind: 'exception', id: e.exception.id },
      service: e.exception.service, actor: e.actor, reason: e.exception.reason, data: { exceptionType: e.exception.type, state: e.exception.state },
    }),
  });
  // Synthetic checks are created further down; the quality gate's golden_path reads them late.
  const lateSafeguards: { synthetics?: SyntheticService; anomalies?: AnomalyService } = {};
  const releases = createReleaseService(store, audit, clock, config, gateSetup, budgets, exceptions,
    async (service, version) => (lateSafeguards.synthetics?.has(service) ? lateSafeguards.synthetics.verdictFor(service, version) : undefined));
  // The reconcile loop: one work queue, keys `<kind>:<id>` routed to the service that owns them.
  const handlers = new Map<string, (id: string) => Promise<number | undefined>>();
  const reconciler = createWorkQueue(clock, async (key) => {
    const [kind, id] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
    const handler = handlers.get(kind);
    if (key === exceptionSweepKey) return exceptions.sweep();
    if (!handler) throw new Error(`no reconciler for ${kind}`);
    return handler(id);
  }, { onError: (key, err) => logger.error({ key, err }, 'reconcile failed') });
  late.reconciler = reconciler;
  handlers.set('outbox', () => notifications.reconcile());
  const dataPlane = createDataPlane({ clock });
  const runtimes = new Map<string, VersionRuntime>();
  /** Blue-green preview listener URLs by service. */
  const previews = new Map<string, string>();
  const fail = async (message: string): Promise<never> => {
    await dataPlane.close(0);
    for (const r of runtimes.values()) await r.close?.();
    await store.close();
    throw new RampartError('CONFIG_INVALID', message);
  };
  const routed: RoutedService[] = [];
  for (const [i, t] of config.traffic.services.entries()) {
    if (t.runtime) {
      const created = await createRuntime(t.runtime.type, t.runtime.config, { clock, logger, dataDir: dataDirOf(opts) }, `traffic.services[${i}].runtime`);
      if (!created.ok) await fail(created.message);
      else runtimes.set(t.service, created.runtime);
    }
    // After a restart the proxy comes up on the version the last rollout left stable, not on the
    // configured first one (replaced long ago, perhaps): traffic matches the stored status from the first request.
    const last = t.runtime ? ((await store.rollouts.forService(t.service, 1))[0]?.status as { stable?: { version?: string } } | undefined) : undefined;
    const stableVersion = last?.stable?.version ?? t.stable.version;
    let stableUrl = stableVersion === t.stable.version ? t.stable.url : undefined;
    if (!stableUrl) {
      const runtime = runtimes.get(t.service);
      if (!runtime) await fail(`traffic.services[${i}].stable.url: give the stable version's URL, or a runtime that can start it`);
      const started = await runtime!.start({ service: t.service, version: stableVersion });
      if (!started.ok) await fail(`traffic.services[${i}]: cannot start ${t.service} ${stableVersion}: ${started.message}`);
      else stableUrl = started.value.url;
    }
    routed.push({ ...t, stable: { version: stableVersion, url: stableUrl! } });
    // Only services the built-in proxy fronts get a listener; nginx listens on host:port itself.
    if (routerTypeOf(t) !== 'builtin-proxy') continue;
    const added = await dataPlane.addService({ service: t.service, namespace: t.namespace, host: t.host, port: t.port, stable: { version: stableVersion, url: stableUrl! }, ...(t.canary ? { canary: t.canary } : {}), ...(t.previewPort !== undefined ? { previewPort: t.previewPort } : {}) });
    if (!added.ok) await fail(`traffic.services (${t.service}): ${added.message}`);
    else if (added.address.previewPort !== null) previews.set(t.service, `http://${t.host}:${added.address.previewPort}`);
  }
  // The proxy's completed minutes go to the store once a minute (error budgets over 30 days survive restarts).
  const rollupWriter = createRollupWriter({
    store, clock, metrics: dataPlane.metrics, services: () => config.traffic.services.map((t) => t.service), bounds: DEFAULT_LATENCY_BUCKETS, logger,
  });
  handlers.set('rollups', () => rollupWriter.flush());
  reconciler.enqueue('rollups:flush', 0);
  // Band changes are audited and notified once; Prometheus is asked less often (every SLO, every window).
  const bandWatcher = createBandWatcher({
    store, audit, clock, budgets: () => budgets.all(), enqueue: (e, trx) => notifications.enqueue(e, trx), kick: () => notifications.kick(),
    intervalMs: config.slo.prometheusUrl ? 300_000 : 60_000, logger,
  });
  handlers.set('budgets', () => bandWatcher.evaluate());
  reconciler.enqueue('budgets:bands', 0);
  const routers = await createServiceRouters(routed, {
    clock, logger, proxies: dataPlane, dataDir: dataDirOf(opts), configDir: config.source === '<defaults>' ? process.cwd() : dirname(resolve(config.source)),
  });
  if (!routers.ok) return fail(`traffic.services[].router: ${routers.message}`);
  const trafficPort = createRoutedTrafficPort(routed.map((t) => ({ service: t.service, router: routers.routers.get(t.service)!, stable: t.stable, canary: t.canary, preview: previews.get(t.service) })),
    (service, message) => logger.error({ service }, message));
  const traffic = createTrafficService(dataPlane.faults as unknown as FaultPort, audit, clock);
  // Bound below, once the rollouts exist: a finished analysis wakes the rollout that waits on it.
  let analysisFinished: (runId: string) => void = () => {};
  // The safeguards' readings for the builtin provider. Runs resumed just below may measure before
  // synthetic checks and anomaly detection exist (further down): those readings wait for them.
  const builtinSource = builtinSourceOf(dataPlane);
  let safeguardsWired: () => void = () => {};
  const safeguardsReady = new Promise<void>((ok) => (safeguardsWired = ok));
  const resilienceProbe = createResilienceProbe({ traffic, clock, audit });
  builtinSource.resilienceProbe = resilienceProbeReading(resilienceProbe, (service) => versionTargetsOf(dataPlane, service), audit);
  builtinSource.synthetic = async (service, version, since) => {
    await safeguardsReady;
    return lateSafeguards.synthetics!.reading(service, version, since);
  };
  if (config.safeguards.anomaly.enabled) {
    builtinSource.anomalies = async (service) => {
      await safeguardsReady;
      return lateSafeguards.anomalies!.openAlerts(service);
    };
  }
  const analysisRuns = createAnalysisRunService(store, audit, clock, metricProviders(config, clock, builtinSource),
    (id, delay) => reconciler.enqueue(`analysis:${id}`, delay), (runId) => analysisFinished(runId), builtinSource);
  handlers.set('analysis', (id) => analysisRuns.reconcile(id));
  await analysisRuns.resumeAll();
  const events = createEventBus();
  const rollouts = createRolloutService({
    store, audit, clock, logger, config, analysis: analysisRuns, releases, events,
    traffic: trafficPort satisfies TrafficPort, versions: versionPortOf(runtimes),
    enqueue: (id, delay) => reconciler.enqueue(`rollout:${id}`, delay),
    // Measured budgets only: with no data the band is unknown and pauses keep their length.
    band: async (service) => (await budgets.forService(service)).band,
    // A failed synthetic run against the canary's version aborts the rollout (the spec's rollback trigger).
    syntheticFailures: async (service, version, since) => (await lateSafeguards.synthetics?.failuresFor(service, version, since)) ?? [],
    // The spec's rollback flow notifies: Slack, PagerDuty (tier 1), GitHub issue, webhooks, through the outbox.
    notify: (e) => {
      const data = e.data as { reason?: string; actor?: string; canary?: string; measurements?: Array<{ metric: string; value: string; phase: string; condition?: string }> };
      const tier = resolveService(config.catalog, e.service)?.tier;
      notifications.notify({
        // A verified rollback is the service's recovery (PagerDuty resolves its incident on it).
        type: e.type === 'rollout.rollback-verified' ? 'rollout.recovered' : e.type, subject: { kind: 'rollout', id: e.subject }, service: e.service,
        ...(data.canary ? { version: data.canary } : {}), ...(tier ? { tier } : {}),
        ...(data.reason ? { reason: data.reason } : {}), ...(data.actor ? { actor: data.actor } : {}),
        ...(data.measurements ? { measurements: data.measurements } : {}),
      }).catch((err: Error) => logger.error({ err, event: e.type }, 'notification not stored'));
    },
  });
  handlers.set('rollout', (id) => rollouts.reconcile(id));
  analysisFinished = (runId) => rollouts.analysisFinished(runId);
  await rollouts.resumeAll();
  // Expiry is also applied at every read and use, so a stopped server never extends an exception.
  reconciler.enqueue(exceptionSweepKey, 0);
  // Rows left pending by a previous run resume now.
  reconciler.enqueue(outboxKey, 0);
  // CPU and memory come from the processes the runtimes run (discovered at each sample); others read as unknown, never ok.
  const sat = config.safeguards.saturation;
  const saturation = createSaturationSampler({
    clock, cpuLimitCores: sat.cpuLimitCores, memoryLimitBytes: sat.memoryLimitMb * 1024 * 1024,
    discover: () => [...runtimes.values()].flatMap((r) => r.processes?.() ?? []),
  });
  handlers.set('saturation', async () => saturation.sample(sat.sampleSeconds * 1000));
  reconciler.enqueue('saturation:sample', 0);
  const serviceHealth = createServiceHealthService(config, clock, dataPlane.metrics, (service) => saturation.reading(service));
  const anomalies = createAnomalyService({
    store, clock, metrics: dataPlane.metrics, services: () => config.traffic.services.map((t) => t.service),
    rules: anomalyRules(config.safeguards.anomaly.minRequests), intervalMs: config.safeguards.anomaly.intervalSeconds * 1000,
    notify: opts.alertNotifier ?? ((n) => logger.warn({ alert: n.alert.id, service: n.alert.service, rule: n.alert.rule, transition: n.transition }, n.alert.summary)),
    logger,
  });
  handlers.set('anomaly', () => anomalies.evaluate());
  if (config.safeguards.anomaly.enabled) {
    await anomalies.start();
    reconciler.enqueue('anomaly:evaluate', 0);
  }
  const synthetics = createSyntheticService({
    store, clock, synthetics: config.safeguards.synthetics, logger,
    enqueue: (service, delay) => reconciler.enqueue(`synthetic:${service}`, delay),
    targets: (service) => versionTargetsOf(dataPlane, service),
    // A failure wakes the service's rollout now, so it aborts without waiting for its next poll.
    onRun: (run) => {
      if (!run.ok) void store.rollouts.forService(run.service, 1).then(([row]) => row && reconciler.enqueue(`rollout:${row.id}`, 0), () => undefined);
    },
  });
  lateSafeguards.synthetics = synthetics;
  handlers.set('synthetic', (service) => synthetics.reconcile(service));
  await synthetics.start();
  lateSafeguards.anomalies = anomalies;
  safeguardsWired();
  const deps: ServerDeps = { config, store, audit, tokens, flags, flagGuards, clientKeys, releases, exceptions, analysisRuns, budgets, traffic, rollouts, events, notifications, notify: (e) => notifications.notify(e), extraMetrics: () => `${dataPlane.renderMetrics()}${synthetics.renderMetrics()}${saturation.renderMetrics()}`, serviceHealth, anomalies, synthetics, resilienceProbe, clock, logger, metrics: new Registry() };
  return {
    deps,
    app: createApp(deps, { webRoot: fileURLToPath(new URL('../dist/web', import.meta.url)) }),
    reconciler,
    bootstrapToken,
    saturation,
    async close() {
      await reconciler.stop();
      await rollupWriter.flush().catch((err: unknown) => logger.error({ err }, 'cannot write the last request rollups'));
      await notifications.close();
      await dataPlane.close(5000);
      await routers.close();
      for (const r of runtimes.values()) await r.close?.();
      await audit.drain();
      await store.close();
    },
  };
}

export interface RunningServer {
  url: string;
  rampart: Rampart;
  server: Server;
  /** Stops accepting, finishes in-flight requests (and their audit writes), closes the store. */
  shutdown(): Promise<void>;
}

export async function startServer(opts: RuntimeOptions): Promise<RunningServer> {
  const rampart = await createRampart(opts);
  const { config, logger } = rampart.deps;
  const host = opts.host ?? config.server.host;
  const port = opts.port ?? config.server.port;
  const server = createServer(getRequestListener(rampart.app.fetch));
  await new Promise<void>((ok, fail) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      fail(err.code === 'EADDRINUSE'
        ? new RampartError('CONFIG_INVALID', `port ${port} on ${host} is in use: pick another with --port`)
        : err);
    });
    server.listen(port, host, () => ok());
  }).catch(async (err) => {
    await rampart.close();
    throw err;
  });
  const address = server.address() as AddressInfo;
  const url = `http://${address.family === 'IPv6' ? `[${address.address}]` : address.address}:${address.port}`;
  logger.info({ url, store: describeStore(config, opts), config: config.source }, 'rampart up');
  let closing: Promise<void> | undefined;
  return {
    url,
    rampart,
    server,
    shutdown() {
      closing ??= (async () => {
        logger.info('shutting down: finishing in-flight requests');
        await new Promise<void>((ok) => {
          server.close(() => ok());
          server.closeIdleConnections();
          // Requests still running after the grace period are cut off rather than hanging the stop.
          setTimeout(() => server.closeAllConnections(), 10_000).unref();
        });
        await rampart.close();
        logger.info('stopped');
      })();
      return closing;
    },
  };
}
