import { randomUUID } from 'node:crypto';
import { Hono } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { RampartError, isRampartError, toErrorBody } from '../platform/errors.js';
import { authenticate, authorize, viewer } from './auth.js';
import type { AppEnv, ServerDeps } from './context.js';
import { createHttpMetrics } from './http-metrics.js';
import { auditRoutes } from './routes/audit.js';
import { clientKeyRoutes, flagRoutes, segmentRoutes } from './routes/flags.js';
import { ofrepRoutes } from './routes/ofrep.js';
import { exceptionRoutes } from './routes/exceptions.js';
import { decisionRoutes, incidentRoutes, releaseRoutes } from './routes/releases.js';
import { healthRoutes } from './routes/health.js';
import { serviceRoutes } from './routes/services.js';
import { tokenRoutes } from './routes/tokens.js';

const requestIdPattern = /^[\w.:-]{1,128}$/;

/**
 * The HTTP API. Routes carry no status logic: they throw RampartError, and `onError` maps its
 * code to a status through the one table in platform/errors.
 */
export function createApp(deps: ServerDeps) {
  const app = new Hono<AppEnv>();

  app.use(async (c, next) => {
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
  app.use(bodyLimit({
    maxSize: deps.config.server.bodyLimitBytes,
    onError: () => {
      throw new RampartError('PAYLOAD_TOO_LARGE', `request body is over ${deps.config.server.bodyLimitBytes} bytes (server.bodyLimitBytes)`);
    },
  }));
  app.use(authenticate(deps));

  app.route('/', healthRoutes(deps));
  app.get('/api/v1/whoami', async (c) => {
    const p = await authorize(c, deps, viewer);
    return c.json({ actor: p.actor, roles: p.roles, tokenId: p.tokenId });
  });
  app.route('/api/v1/services', serviceRoutes(deps));
  app.route('/api/v1/audit', auditRoutes(deps));
  app.route('/api/v1/tokens', tokenRoutes(deps));
  app.route('/api/v1/releases', releaseRoutes(deps));
  app.route('/api/v1/decisions', decisionRoutes(deps));
  app.route('/api/v1/incidents', incidentRoutes(deps));
  app.route('/api/v1/exceptions', exceptionRoutes(deps));
  app.route('/api/v1/flags', flagRoutes(deps));
  app.route('/api/v1/segments', segmentRoutes(deps));
  app.route('/api/v1/client-keys', clientKeyRoutes(deps));
  app.route('/ofrep/v1', ofrepRoutes(deps, deps.config.flags.ofrepRatePerSecond));

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
