import { Hono } from 'hono';
import { z } from 'zod';
import { EXCEPTION_STATES, EXCEPTION_TYPES } from '../../domain/exceptions/types.js';
import { authorize, viewer } from '../auth.js';
import type { AppEnv, ServerDeps } from '../context.js';
import { jsonBody, parseWith } from '../validate.js';

const requestBody = z.strictObject({
  type: z.enum(EXCEPTION_TYPES),
  service: z.string().min(1),
  version: z.string().min(1).optional(),
  reason: z.string().min(1).max(4000),
  mitigation: z.string().min(1).max(4000),
  impact: z.string().max(4000).optional(),
  cveIds: z.array(z.string().min(1)).max(500).optional(),
  expiration: z.iso.datetime({ offset: true }).optional(),
});

const listQuery = z.strictObject({
  state: z.enum(EXCEPTION_STATES).optional(),
  service: z.string().optional(),
  needsReview: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

// Any role that works on releases may ask; approving needs the type's own roles (checked in the
// domain, where admin does not stand in unless configured), so every role may reach those routes.
const requesters = ['deployer', 'release-captain', 'sre', 'sre-lead', 'security', 'eng-director', 'vp-eng', 'cto'] as const;

/** /api/v1/exceptions: request, approve, deny, revoke, review, list, show. */
export function exceptionRoutes(deps: ServerDeps) {
  return new Hono<AppEnv>()
    .post('/', async (c) => {
      const p = await authorize(c, deps, requesters);
      const b = await jsonBody(c, requestBody);
      const e = await deps.exceptions.request({
        type: b.type, service: b.service, reason: b.reason, mitigation: b.mitigation,
        ...(b.version ? { version: b.version } : {}), ...(b.impact ? { impact: b.impact } : {}),
        ...(b.cveIds ? { cveIds: b.cveIds } : {}), ...(b.expiration ? { expiration: b.expiration } : {}),
      }, p);
      return c.json(e, 201);
    })
    .get('/', async (c) => {
      await authorize(c, deps, viewer);
      const q = parseWith(listQuery, c.req.query(), 'query');
      const exceptions = await deps.exceptions.list({
        limit: q.limit, ...(q.state ? { state: q.state } : {}), ...(q.service ? { service: q.service } : {}), ...(q.needsReview === 'true' ? { needsReview: true } : {}),
      });
      // The type table (approver roles per type) lets a client show approve/deny only to those roles.
      return c.json({ exceptions, types: deps.config.exceptions.types, adminStandsIn: deps.config.exceptions.adminStandsIn });
    })
    .get('/:id', async (c) => {
      await authorize(c, deps, viewer);
      return c.json(await deps.exceptions.get(c.req.param('id')));
    })
    .post('/:id/approve', async (c) => {
      const p = await authorize(c, deps, viewer);
      await jsonBody(c, z.strictObject({}));
      return c.json(await deps.exceptions.approve(c.req.param('id'), p));
    })
    .post('/:id/deny', async (c) => {
      const p = await authorize(c, deps, viewer);
      const b = await jsonBody(c, z.strictObject({ reason: z.string().min(1).max(4000) }));
      return c.json(await deps.exceptions.deny(c.req.param('id'), b.reason, p));
    })
    .post('/:id/revoke', async (c) => {
      const p = await authorize(c, deps, viewer);
      const b = await jsonBody(c, z.strictObject({ reason: z.string().max(4000).optional() }));
      return c.json(await deps.exceptions.revoke(c.req.param('id'), b.reason, p));
    })
    .post('/:id/review', async (c) => {
      const p = await authorize(c, deps, viewer);
      const b = await jsonBody(c, z.strictObject({ notes: z.string().min(1).max(8000) }));
      return c.json(await deps.exceptions.review(c.req.param('id'), b.notes, p));
    });
}
