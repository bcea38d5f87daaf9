import { Hono } from 'hono';
import { z } from 'zod';
import { RampartError } from '../../platform/errors.js';
import { authorize, viewer } from '../auth.js';
import type { AppEnv, ServerDeps } from '../context.js';
import { jsonBody, parseWith } from '../validate.js';

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new RampartError('UNAVAILABLE', `${what} is not running in this server`);
  return value;
}

const probeBody = z.strictObject({
  version: z.string().min(1),
  url: z.url().describe("the version's base URL, where /health/detailed answers"),
  latencyMs: z.number().int().min(1).max(60_000).default(500),
  waitSeconds: z.number().positive().max(600).default(10),
});

/** `GET /api/v1/services/:name/health` and `POST …/:name/resilience-probe`: mounted next to the catalog routes. */
export function serviceHealthRoutes(deps: ServerDeps) {
  return new Hono<AppEnv>()
    .get('/:name/health', async (c) => {
      await authorize(c, deps, viewer);
      return c.json(need(deps.serviceHealth, 'service health').forService(c.req.param('name')));
    })
    .post('/:name/resilience-probe', async (c) => {
      const p = await authorize(c, deps, ['sre', 'sre-lead', 'deployer']);
      const body = await jsonBody(c, probeBody);
      return c.json(await need(deps.resilienceProbe, 'the resilience probe')({ service: c.req.param('name'), ...body }, p));
    });
}

/** `GET /api/v1/service-health`: every concrete catalog service's health. */
export function allHealthRoutes(deps: ServerDeps) {
  return new Hono<AppEnv>().get('/', async (c) => {
    await authorize(c, deps, viewer);
    return c.json({ services: need(deps.serviceHealth, 'service health').all() });
  });
}

/** `GET /api/v1/alerts`: stored anomaly alerts, newest first, and the rules' current states. */
export function alertRoutes(deps: ServerDeps) {
  const query = z.strictObject({
    service: z.string().min(1).optional(),
    state: z.enum(['firing', 'resolved']).optional(),
    limit: z.coerce.number().int().min(1).max(500).default(50),
  });
  return new Hono<AppEnv>().get('/', async (c) => {
    await authorize(c, deps, viewer);
    const q = parseWith(query, c.req.query(), 'query');
    const anomalies = need(deps.anomalies, 'anomaly detection');
    return c.json({
      alerts: await anomalies.list({ limit: q.limit, ...(q.service ? { service: q.service } : {}), ...(q.state ? { state: q.state } : {}) }),
      rules: anomalies.status().filter((s) => !q.service || s.service === q.service),
    });
  });
}

/** `GET /api/v1/synthetics` (configured checks and latest results), `GET …/results`, `POST …/:service/run`. */
export function syntheticRoutes(deps: ServerDeps) {
  const query = z.strictObject({ service: z.string().min(1).optional(), limit: z.coerce.number().int().min(1).max(500).default(50) });
  return new Hono<AppEnv>()
    .get('/', async (c) => {
      await authorize(c, deps, viewer);
      return c.json({ synthetics: need(deps.synthetics, 'synthetic checks').configured() });
    })
    .get('/results', async (c) => {
      await authorize(c, deps, viewer);
      const q = parseWith(query, c.req.query(), 'query');
      return c.json({ results: await need(deps.synthetics, 'synthetic checks').list({ limit: q.limit, ...(q.service ? { service: q.service } : {}) }) });
    })
    .post('/:service/run', async (c) => {
      await authorize(c, deps, ['deployer', 'release-captain', 'sre', 'sre-lead']);
      return c.json(await need(deps.synthetics, 'synthetic checks').runNow(c.req.param('service')));
    });
}
