/**
 * The composition root: the one place that picks concrete implementations (SQLite or
 * PostgreSQL, the system clock, pino) and wires them into services, the API and the reconciler.
 */
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
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
import { type FaultPort, createTrafficService } from './services/traffic.js';
import { type TrafficPort, type VersionPort, createRolloutService } from './services/rollouts.js';
import { createRuntime } from './providers/runtimes/registry.js';
import type { VersionRuntime } from './providers/runtimes/types.js';
import { createEventBus } from './platform/event-bus.js';
import { createAnalysisRunService } from './services/analysis-runs.js';
import { createAuditLog } from './services/audit-log.js';
import { createBudgetService } from './services/budgets.js';
import { createPrometheusCounts } from './providers/metrics/prometheus-counts.js';
import { createClientKeyService } from './services/client-keys.js';
import { createExceptionService } from './services/exceptions.js';
import { createFlagGuardService } from './services/flag-guards.js';
import { createFlagService } from './services/flags.js';
import { loadGateSetup } from './services/gate-check.js';
import { createReleaseService } from './services/releases.js';
import { createServiceHealthService } from './services/service-health.js';
import { type AlertNotifier, createAnomalyService } from './services/anomalies.js';
import { createSyntheticService } from './services/synthetics.js';
import { createResilienceProbe } from './services/resilience-probe.js';
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
  opts: Pick<RuntimeOptions, 'env' | 'dataDir' | 'databaseUrl'>,
  mode: { readonly?: boolean } = {},
): Promise<Store> {
  const url = opts.databaseUrl ?? opts.env.databaseUrl ?? config.store.url;
  try {
    if (url) {
      if (!/^postgres(ql)?:\/\//.test(url)) {
        throw new RampartError('CONFIG_INVALID', `database URL must start with postgres:// (got ${redactUrl(url).split('//')[0]}//…)`);
      }
      return await openPostgresStore(url);
    }
    return await openSqliteStore(sqliteFileOf(config, opts)!, mode);
  } catch (err) {
    if (err instanceof RampartError) throw err;
    throw new RampartError('UNAVAILABLE', `cannot open the store (${describeStore(config, opts)}): ${(err as Error).message}`);
  }
}

/** traffic.services[].previewPort (validated by the schema; RampartConfig's hand-written type in load.ts does not list it yet). */
const previewPortOf = (t: object): number | undefined => (t as { previewPort?: number }).previewPort;

/** The rollout service's view of the built-in proxy. */
function trafficPortOf(dataPlane: DataPlane, previews: ReadonlyMap<string, string> = new Map()): TrafficPort {
  const proxy = (service: string) => {
    const p = dataPlane.get(service);
    if (!p) throw new RampartError('NOT_FOUND', `no proxy for ${service}`);
    return p;
  };
  const check = (r: { ok: boolean; message?: string }) => {
    if (!r.ok) throw new RampartError('INTERNAL', r.message ?? 'proxy refused the change');
  };
  return {
    has: (service) => dataPlane.get(service) !== undefined,
    stable: (service) => dataPlane.get(service)?.upstreams().stable,
    async setUpstreams(service, stable, canary) {
      check(await proxy(service).setUpstreams({ stable, canary }));
    },
    setWeight: (service, percent) => check(proxy(service).setWeight(percent)),
    setHeaderRoute: (service, name, match) => check(proxy(service).setHeaderRoute({ name, ...(match ? { match: match as never } : {}) })),
    setMirror: (service, spec) => check(proxy(service).setMirror(spec)),
    preview: (service) => previews.get(service),
    canary: (service) => dataPlane.get(service)?.upstreams().canary,
  };
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

/** The built-in proxy's per-version counters, as the `builtin` metric provider reads them. */
function builtinSourceOf(dataPlane: DataPlane): BuiltinMetricsSource {
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
  /** CPU/memory sampling: a runtime calls `track(service, version, pid)` for each version it starts. */
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
  const budgets = createBudgetService(config, clock, config.slo.prometheusUrl ? createPrometheusCounts(config.slo.prometheusUrl) : undefined, config.slo.minRequests);
  // Critical exceptions and overdue reviews notify through the outbox.
  const exceptions = createExceptionService(store, audit, clock, config, gateSetup, {
    logger,
    notify: (e) => notifications.notify({
      type: e.action.startsWith('exception.') ? e.action : `exception.${e.action}`, subject: { kind: 'exception', id: e.exception.id },
      service: e.exception.service, actor: e.actor, reason: e.exception.reason, data: { exceptionType: e.exception.type, state: e.exception.state },
    }),
  });
  const releases = createReleaseService(store, audit, clock, config, gateSetup, budgets, exceptions);
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
    const added = await dataPlane.addService({ service: t.service, namespace: t.namespace, host: t.host, port: t.port, stable: { version: stableVersion, url: stableUrl! }, ...(t.canary ? { canary: t.canary } : {}), ...(previewPortOf(t) !== undefined ? { previewPort: previewPortOf(t) } : {}) });
    if (!added.ok) await fail(`traffic.services (${t.service}): ${added.message}`);
    else if (added.address.previewPort !== null) previews.set(t.service, `http://${t.host}:${added.address.previewPort}`);
  }
  const traffic = createTrafficService(dataPlane.faults as unknown as FaultPort, audit, clock);
  // Bound below, once the rollouts exist: a finished analysis wakes the rollout that waits on it.
  let analysisFinished: (runId: string) => void = () => {};
  const analysisRuns = createAnalysisRunService(store, audit, clock, metricProviders(config, clock, builtinSourceOf(dataPlane)),
    (id, delay) => reconciler.enqueue(`analysis:${id}`, delay), (runId) => analysisFinished(runId));
  handlers.set('analysis', (id) => analysisRuns.reconcile(id));
  await analysisRuns.resumeAll();
  const events = createEventBus();
  const rollouts = createRolloutService({
    store, audit, clock, logger, config, analysis: analysisRuns, releases, events,
    traffic: trafficPortOf(dataPlane, previews), versions: versionPortOf(runtimes),
    enqueue: (id, delay) => reconciler.enqueue(`rollout:${id}`, delay),
    // Measured budgets only: with no data the band is unknown and pauses keep their length.
    band: config.slo.prometheusUrl ? async (service) => (await budgets.forService(service)).band : undefined,
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
  // CPU and memory come from the versions a runtime `track`s; untracked services read as unknown, never ok.
  const sat = config.safeguards.saturation;
  const saturation = createSaturationSampler({ clock, cpuLimitCores: sat.cpuLimitCores, memoryLimitBytes: sat.memoryLimitMb * 1024 * 1024 });
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
  });
  handlers.set('synthetic', (service) => synthetics.reconcile(service));
  await synthetics.start();
  const deps: ServerDeps = { config, store, audit, tokens, flags, flagGuards, clientKeys, releases, exceptions, analysisRuns, budgets, traffic, rollouts, events, notifications, notify: (e) => notifications.notify(e), extraMetrics: () => `${dataPlane.renderMetrics()}${synthetics.renderMetrics()}${saturation.renderMetrics()}`, serviceHealth, anomalies, synthetics, resilienceProbe: createResilienceProbe({ traffic, clock }), clock, logger, metrics: new Registry() };
  return {
    deps,
    app: createApp(deps, { webRoot: fileURLToPath(new URL('../dist/web', import.meta.url)) }),
    reconciler,
    bootstrapToken,
    saturation,
    async close() {
      await reconciler.stop();
      await notifications.close();
      await dataPlane.close(5000);
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
