import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { RampartError, isRampartError, toErrorBody } from '../platform/errors.js';
import { authenticate, authorize, viewer } from './auth.js';
import type { AppEnv, ServerDeps } from './context.js';
import { createHttpMetrics } from './http-metrics.js';
import { analysisRoutes } from './routes/analysis.js';
import { auditRoutes } from './routes/audit.js';
import { budgetRoutes } from './routes/budgets.js';
import { clientKeyRoutes, flagRoutes, segmentRoutes } from './routes/flags.js';
import { ofrepRoutes } from './routes/ofrep.js';
import { eventRoutes, rolloutRoutes } from './routes/rollouts.js';
import { exceptionRoutes } from './routes/exceptions.js';
import { decisionRoutes, incidentRoutes, releaseRoutes } from './routes/releases.js';
import { healthRoutes } from './routes/health.js';
import { notificationRoutes } from './routes/notifications.js';
import { serviceRoutes } from './routes/services.js';
import { alertRoutes, allHealthRoutes, serviceHealthRoutes, syntheticRoutes } from './routes/safeguards.js';
import { sessionRoutes } from './routes/session.js';
import { tokenRoutes } from './routes/tokens.js';
import { createSessionStore, sessionAuthentication } from './session.js';
import { serveWeb } from './static.js';
import { windowRoutes } from './routes/windows.js';
import { approvalRoutes } from './routes/approvals.js';

const requestIdPattern = /^[\w.:-]{1,128}$/;

/**
 * The HTTP API. Routes carry no status logic: they throw RampartError, and `onError` maps its
 * code to a status through the one table in platform/errors.
 */
export function createApp(deps: ServerDeps, options: { webRoot?: string } = {}) {
  const app = new Hono<AppEnv>();
  const sessions = createSessionStore(deps.store, deps.clock);

  // Flag evaluation (OFREP) is the hot path: no per-request id or log line there.
  const quiet = (path: string) => path.startsWith('/ofrep/');
  app.use(async (c, next) => {
    if (quiet(c.req.path)) return next();
    const incoming = c.req.header('x-request-id');
    const id = incoming && requestIdPattern.test(incoming) ? incoming : randomUUID();
    c.set('requestId', id);
    c.header('X-Request-Id', id);
    const start = performance.now();
    await next();
    deps.logger.info({
      requestId: id, method: c.req.method, path: c.req.path, status: c.res.status,
      ms: Math.round((performance.now() - start) * 10) / 10, actor: c.get('principal')?.actor,
    }, 'request');
  });
  app.use(createHttpMetrics(deps.metrics));
  const limitBody = bodyLimit({
    maxSize: deps.config.server.bodyLimitBytes,
    onError: () => {
      throw new RampartError('PAYLOAD_TOO_LARGE', `request body is over ${deps.config.server.bodyLimitBytes} bytes (server.bodyLimitBytes)`);
    },
  });
  app.use('/api/*', limitBody);
  app.use('/ofrep/*', async (c, next) => {
    // bodyLimit reads the raw body stream, which is slow on Node: evaluation requests declare
    // their length, so that is checked instead; only a body without one goes through bodyLimit.
    const declared = c.req.header('content-length');
    if (declared === undefined) return limitBody(c, next);
    if (Number(declared) > 65_536) return c.json({ errorCode: 'GENERAL', errorDetails: 'request body over 65536 bytes' }, 413);
    return next();
  });
  // The dashboard's static files come before authentication: no token lookups for assets.
  if (options.webRoot) app.use(serveWeb(options.webRoot));
  app.use(authenticate(deps));
  app.use(sessionAuthentication(sessions));

  app.route('/', healthRoutes(deps));
  app.route('/api/v1/session', sessionRoutes(deps, sessions));
  app.get('/api/v1/whoami', async (c) => {
    const p = await authorize(c, deps, viewer);
    return c.json({ actor: p.actor, roles: p.roles, tokenId: p.tokenId });
  });
  app.route('/api/v1/services', serviceRoutes(deps));
  app.route('/api/v1/services', serviceHealthRoutes(deps));
  app.route('/api/v1/service-health', allHealthRoutes(deps));
  app.route('/api/v1/alerts', alertRoutes(deps));
  app.route('/api/v1/synthetics', syntheticRoutes(deps));
  app.route('/api/v1/audit', auditRoutes(deps));
  app.route('/api/v1/tokens', tokenRoutes(deps));
  app.route('/api/v1/releases', releaseRoutes(deps));
  app.route('/api/v1/decisions', decisionRoutes(deps));
  app.route('/api/v1/incidents', incidentRoutes(deps));
  app.route('/api/v1/analysis-runs', analysisRoutes(deps));
  app.route('/api/v1/budgets', budgetRoutes(deps));
  app.route('/api/v1/rollouts', rolloutRoutes(deps));
  app.route('/api/v1/events', eventRoutes(deps));
  app.route('/api/v1/exceptions', exceptionRoutes(deps));
  app.route('/api/v1/notifications', notificationRoutes(deps));
  app.route('/api/v1/flags', flagRoutes(deps));
  app.route('/api/v1/segments', segmentRoutes(deps));
  app.route('/api/v1/client-keys', clientKeyRoutes(deps));
  app.route('/ofrep/v1', ofrepRoutes(deps, deps.config.flags.ofrepRatePerSecond));
  app.route('/api/v1/windows', windowRoutes(deps));
  app.route('/api/v1/approvals', approvalRoutes(deps));

  app.notFound((c) => c.json(toErrorBody(new RampartError('NOT_FOUND', `no route ${c.req.method} ${c.req.path}`)), 404));
  app.onError((err, c) => {
    const e = isRampartError(err) ? err : new RampartError('INTERNAL', 'internal error; see the server log for this request id');
    if (!isRampartError(err)) deps.logger.error({ requestId: c.get('requestId'), err }, 'unhandled error');
    const body = toErrorBody(e);
    body.error.details = { ...(typeof e.details === 'object' && e.details ? e.details : {}), requestId: c.get('requestId') };
    return c.json(body, e.status as 400);
  });
  return app;
}

export type App = ReturnType<typeof createApp>;
