import { Hono } from 'hono';
import { RampartError } from '../../platform/errors.js';
import type { AppEnv, ServerDeps } from '../context.js';

export function healthRoutes(deps: ServerDeps) {
  return new Hono<AppEnv>()
    .get('/healthz', (c) => c.json({ status: 'ok' }))
    .get('/readyz', async (c) => {
      try {
        await deps.store.ping();
      } catch (err) {
        throw new RampartError('UNAVAILABLE', `store not reachable: ${(err as Error).message}`);
      }
      return c.json({ status: 'ready', store: deps.store.dialect });
    })
    .get('/metrics', async (c) => {
      c.header('Content-Type', deps.metrics.contentType);
      return c.body(`${await deps.metrics.metrics()}${deps.extraMetrics?.() ?? ''}`);
    });
}
