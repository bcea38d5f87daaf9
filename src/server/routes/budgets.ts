import { Hono } from 'hono';
import { authorize, viewer } from '../auth.js';
import type { AppEnv, ServerDeps } from '../context.js';

export function budgetRoutes(deps: ServerDeps) {
  return new Hono<AppEnv>().get('/', async (c) => {
    await authorize(c, deps, viewer);
    return c.json({ budgets: await deps.budgets.all() });
  });
}
