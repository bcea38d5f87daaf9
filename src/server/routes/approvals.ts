import { Hono } from 'hono';
import { z } from 'zod';
import { createPendingApprovals } from '../../services/pending-approvals.js';
import { authorize, viewer } from '../auth.js';
import type { AppEnv, ServerDeps } from '../context.js';
import { parseWith } from '../validate.js';

const query = z.strictObject({ scan: z.coerce.number().int().min(1).max(500).default(100) });

/**
 * `GET /api/v1/approvals/pending`: releases whose current decision waits for a release captain
 * (`POST /api/v1/releases/:id/approvals` gives it), among the newest `scan` releases.
 */
export function approvalRoutes(deps: ServerDeps) {
  const pending = createPendingApprovals(deps.releases);
  return new Hono<AppEnv>().get('/pending', async (c) => {
    await authorize(c, deps, viewer);
    const q = parseWith(query, c.req.query(), 'query');
    return c.json({ pending: await pending.list(q.scan), scanned: q.scan });
  });
}
