import { Hono } from 'hono';
import { z } from 'zod';
import { admin, authorize } from '../auth.js';
import type { AppEnv, ServerDeps } from '../context.js';
import { parseWith } from '../validate.js';

const outboxQuery = z.strictObject({
  state: z.enum(['pending', 'delivered', 'dead']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/**
 * /api/v1/notifications (admin): the outbox and the configured notifiers. Notifier config is
 * shown redacted, and outbox rows carry only the event summary, so no secret leaves here.
 */
export function notificationRoutes(deps: ServerDeps) {
  return new Hono<AppEnv>()
    .get('/outbox', async (c) => {
      await authorize(c, deps, admin);
      const q = parseWith(outboxQuery, c.req.query(), 'query');
      return c.json({ rows: await deps.notifications.list({ limit: q.limit, ...(q.state ? { state: q.state } : {}) }) });
    })
    .get('/notifiers', async (c) => {
      await authorize(c, deps, admin);
      return c.json({ notifiers: deps.notifications.notifiers() });
    });
}
