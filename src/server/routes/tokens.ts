import { Hono } from 'hono';
import { z } from 'zod';
import { admin, authorize } from '../auth.js';
import type { AppEnv, ServerDeps } from '../context.js';
import { jsonBody } from '../validate.js';

const createBody = z.strictObject({
  name: z.string().min(1, 'give the token a name').max(100),
  roles: z.array(z.string()).min(1, 'give at least one role'),
});

export function tokenRoutes(deps: ServerDeps) {
  return new Hono<AppEnv>()
    .post('/', async (c) => {
      const principal = await authorize(c, deps, admin);
      const body = await jsonBody(c, createBody);
      const created = await deps.tokens.create(body, principal);
      return c.json({ ...created.record, token: created.token }, 201);
    })
    .get('/', async (c) => {
      await authorize(c, deps, admin);
      return c.json({ tokens: await deps.tokens.list() });
    })
    .delete('/:id', async (c) => {
      const principal = await authorize(c, deps, admin);
      return c.json(await deps.tokens.revoke(c.req.param('id'), principal));
    });
}
