import { Hono } from 'hono';
import { resolveAll, resolveService } from '../../domain/catalog/resolve.js';
import { RampartError } from '../../platform/errors.js';
import { authorize, viewer } from '../auth.js';
import type { AppEnv, ServerDeps } from '../context.js';

export function serviceRoutes(deps: ServerDeps) {
  const catalog = deps.config.catalog;
  return new Hono<AppEnv>()
    .get('/', async (c) => {
      await authorize(c, deps, viewer);
      return c.json({ services: resolveAll(catalog) });
    })
    .get('/:name', async (c) => {
      await authorize(c, deps, viewer);
      const name = c.req.param('name');
      const service = resolveService(catalog, name);
      if (!service) throw new RampartError('NOT_FOUND', `no service "${name}" in the catalog (${deps.config.source}); see GET /api/v1/services`);
      return c.json(service);
    });
}
