import { Hono } from 'hono';
import { z } from 'zod';
import { resolveAll, resolveService } from '../../domain/catalog/resolve.js';
import { RampartError } from '../../platform/errors.js';
import { authorize, viewer } from '../auth.js';
import type { AppEnv, ServerDeps } from '../context.js';
import { jsonBody, parseWith } from '../validate.js';
import { sloStatusBody } from './releases.js';

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
    })
    .get('/:name/faults', async (c) => {
      await authorize(c, deps, viewer);
      return c.json({ faults: (deps.traffic.list() as Array<{ service: string }>).filter((f) => f.service === c.req.param('name')) });
    })
    .post('/:name/faults', async (c) => {
      const p = await authorize(c, deps, ['sre', 'sre-lead', 'deployer']);
      const body = await jsonBody(c, z.looseObject({ version: z.string().min(1) }));
      const { version, ...spec } = body;
      return c.json(await deps.traffic.inject(c.req.param('name'), version, spec, p), 201);
    })
    .delete('/:name/faults/:version', async (c) => {
      const p = await authorize(c, deps, ['sre', 'sre-lead', 'deployer']);
      return c.json(await deps.traffic.clear(c.req.param('name'), c.req.param('version'), p));
    })
    .get('/:name/budget', async (c) => {
      await authorize(c, deps, viewer);
      return c.json(await deps.budgets.forService(c.req.param('name')));
    })
    .get('/:name/budget/burndown', async (c) => {
      await authorize(c, deps, viewer);
      const q = parseWith(z.strictObject({ points: z.coerce.number().int().min(2).max(200).default(30) }), c.req.query(), 'query');
      return c.json(await deps.budgets.burndown(c.req.param('name'), q.points));
    })
    .get('/:name/slo-status', async (c) => {
      await authorize(c, deps, viewer);
      const status = await deps.releases.getSloStatus(c.req.param('name'));
      if (!status) throw new RampartError('NOT_FOUND', `no SLO status recorded for "${c.req.param('name')}"`);
      return c.json(status);
    })
    .put('/:name/slo-status', async (c) => {
      const p = await authorize(c, deps, ['sre', 'sre-lead']);
      return c.json(await deps.releases.putSloStatus(c.req.param('name'), await jsonBody(c, sloStatusBody), p));
    });
}
