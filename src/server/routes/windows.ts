import { Hono } from 'hono';
import { createChangeWindowService } from '../../services/change-windows.js';
import { authorize, viewer } from '../auth.js';
import type { AppEnv, ServerDeps } from '../context.js';

/**
 * `GET /api/v1/windows`: the change windows and freezes the approval gate applies, at the server's
 * now — open or closed, why, when that flips, each window's next opening or closing, and each
 * freeze as in force, upcoming or ended.
 */
export function windowRoutes(deps: ServerDeps) {
  const windows = createChangeWindowService(deps.config, deps.clock);
  return new Hono<AppEnv>().get('/', async (c) => {
    await authorize(c, deps, viewer);
    return c.json(windows.status());
  });
}
