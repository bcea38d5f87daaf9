import { Hono } from 'hono';
import { RampartError } from '../../platform/errors.js';
import { authorize, viewer } from '../auth.js';
import type { AppEnv, ServerDeps } from '../context.js';

function need<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new RampartError('UNAVAILABLE', `${what} is not running in this server`);
  return value;
}

/** `GET /api/v1/services/:name/health`: mounted next to the catalog routes. */
export function serviceHealthRoutes(deps: ServerDeps) {
  return new Hono<AppEnv>().get('/:name/health', async (c) => {
    await authorize(c, deps, viewer);
    return c.json(need(deps.serviceHealth, 'service health').forService(c.req.param('name')));
  });
}

/** `GET /api/v1/service-health`: every concrete catalog service's health. */
export function allHealthRoutes(deps: ServerDeps) {
  return new Hono<AppEnv>().get('/', async (c) => {
    await authorize(c, deps, viewer);
    return c.json({ services: need(deps.serviceHealth, 'service health').all() });
  });
}
