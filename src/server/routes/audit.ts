import { Hono } from 'hono';
import { z } from 'zod';
import { verifyAuditChain } from '../../services/audit-log.js';
import { authorize, viewer } from '../auth.js';
import type { AppEnv, ServerDeps } from '../context.js';
import { parseWith } from '../validate.js';

const listQuery = z.strictObject({
  service: z.string().optional(),
  action: z.string().optional(),
  actor: z.string().optional(),
  since: z.iso.datetime({ offset: true, error: 'must be an ISO-8601 time such as 2026-01-31T09:00:00Z' }).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

export function auditRoutes(deps: ServerDeps) {
  return new Hono<AppEnv>()
    .get('/', async (c) => {
      await authorize(c, deps, viewer);
      const q = parseWith(listQuery, c.req.query(), 'query');
      const events = await deps.audit.list({
        limit: q.limit,
        ...(q.service ? { service: q.service } : {}),
        ...(q.action ? { action: q.action } : {}),
        ...(q.actor ? { actor: q.actor } : {}),
        ...(q.since ? { since: new Date(q.since).toISOString() } : {}),
        ...(q.before ? { beforeSeq: q.before } : {}),
      });
      const last = events.at(-1);
      return c.json({
        events: events.map((e) => ({ ...e, payload: JSON.parse(e.payload) as unknown })),
        next: events.length === q.limit && last ? { before: last.seq } : null,
      });
    })
    .get('/export', async (c) => {
      await authorize(c, deps, viewer);
      await deps.audit.drain();
      // JSON Lines in seq order, exactly as stored (payload as its canonical text), page by page.
      let after = 0;
      const encoder = new TextEncoder();
      const body = new ReadableStream<Uint8Array>({
        async pull(controller) {
          const page = await deps.store.audit.page(after, 5000);
          if (page.length === 0) return controller.close();
          after = page[page.length - 1]!.seq;
          controller.enqueue(encoder.encode(page.map((e) => `${JSON.stringify(e)}\n`).join('')));
        },
      });
      return c.body(body, 200, { 'Content-Type': 'application/x-ndjson' });
    })
    .get('/verify', async (c) => {
      await authorize(c, deps, viewer);
      await deps.audit.drain();
      return c.json(await verifyAuditChain(deps.store));
    });
}
