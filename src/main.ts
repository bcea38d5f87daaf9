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
  for (const t of config.traffic.services) {
    const added = await dataPlane.addService({ service: t.service, namespace: t.namespace, host: t.host, port: t.port, stable: t.stable, ...(t.canary ? { canary: t.canary } : {}) });
    if (!added.ok) {
      await dataPlane.close(0);
      await store.close();
      throw new RampartError('CONFIG_INVALID', `traffic.services (${t.service}): ${added.message}`);
    }
  }
  const traffic = createTrafficService(dataPlane.faults as unknown as FaultPort, audit, clock);
  const analysisRuns = createAnalysisRunService(store, audit, clock, metricProviders(config, clock, builtinSourceOf(dataPlane)), (id, delay) => reconciler.enqueue(`analysis:${id}`, delay));
  handlers.set('analysis', (id) => analysisRuns.reconcile(id));
  await analysisRuns.resumeAll();
  // Expiry is also applied at every read and use, so a stopped server never extends an exception.
  reconciler.enqueue(exceptionSweepKey, 0);
  // Rows left pending by a previous run resume now.
  reconciler.enqueue(outboxKey, 0);
  const deps: ServerDeps = { config, store, audit, tokens, flags, flagGuards, clientKeys, releases, exceptions, analysisRuns, budgets, traffic, notifications, notify: (e) => notifications.notify(e), extraMetrics: () => dataPlane.renderMetrics(), clock, logger, metrics: new Registry() };
  return {
    deps,
    app: createApp(deps, { webRoot: fileURLToPath(new URL('../dist/web', import.meta.url)) }),
    reconciler,
    bootstrapToken,
    async close() {
      await reconciler.stop();
      await notifications.close();
      await dataPlane.close(5000);
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
