import { Hono } from 'hono';
import { z } from 'zod';
import { RampartError } from '../../platform/errors.js';
import { RELEASE_APPROVER_ROLES } from '../../services/releases.js';
import { authorize, viewer } from '../auth.js';
import type { AppEnv, ServerDeps } from '../context.js';
import { jsonBody, parseWith } from '../validate.js';

const createBody = z.strictObject({
  service: z.string().min(1),
  version: z.string().min(1),
  environment: z.string().min(1).default('production'),
  kind: z.enum(['feature', 'fix', 'rollback']).default('feature'),
  evidence: z.array(z.strictObject({
    name: z.string().min(1),
    content: z.string(),
    encoding: z.enum(['utf8', 'base64']).default('utf8'),
    format: z.string().optional(),
  })).max(200).default([]),
  steps: z.array(z.string()).default([]),
  emergency: z.strictObject({ approver: z.string().min(1), incidentId: z.string().min(1) }).optional(),
  at: z.iso.datetime({ offset: true }).optional(),
});

const listQuery = z.strictObject({ service: z.string().optional(), limit: z.coerce.number().int().min(1).max(500).default(50) });

export function releaseRoutes(deps: ServerDeps) {
  return new Hono<AppEnv>()
    .post('/', async (c) => {
      const p = await authorize(c, deps, ['deployer', 'release-captain']);
      const body = await jsonBody(c, createBody);
      const evidence = body.evidence.map((e) => ({
        name: e.name, content: e.encoding === 'base64' ? Buffer.from(e.content, 'base64') : e.content, ...(e.format ? { format: e.format } : {}),
      }));
      const release = await deps.releases.create({ ...body, evidence, ...(body.emergency ? { emergency: body.emergency } : {}), ...(body.at ? { at: body.at } : {}) }, p);
      return c.json(release, 201);
    })
    .get('/', async (c) => {
      await authorize(c, deps, viewer);
      const q = parseWith(listQuery, c.req.query(), 'query');
      return c.json({ releases: await deps.releases.list({ limit: q.limit, ...(q.service ? { service: q.service } : {}) }) });
    })
    .get('/:id', async (c) => {
      await authorize(c, deps, viewer);
      return c.json(await deps.releases.get(c.req.param('id')));
    })
    .post('/:id/approvals', async (c) => {
      // release-captain (the approval gate), sre (a fix under 20 % budget) or vp-eng (a rollback with the budget exhausted).
      const p = await authorize(c, deps, [...RELEASE_APPROVER_ROLES]);
      const body = await jsonBody(c, z.strictObject({ comment: z.string().max(2000).optional(), role: z.enum(RELEASE_APPROVER_ROLES).default('release-captain') }));
      // The approval is a person's: admin does not stand in for the role.
      if (!p.roles.includes(body.role)) {
        throw new RampartError('FORBIDDEN', `approving a release as ${body.role} needs the ${body.role} role itself (admin does not stand in)`, { required: [body.role] });
      }
      return c.json(await deps.releases.approve(c.req.param('id'), p, body.comment, body.role));
    });
}

export function decisionRoutes(deps: ServerDeps) {
  return new Hono<AppEnv>()
    .get('/:id', async (c) => {
      await authorize(c, deps, viewer);
      const d = await deps.releases.decision(c.req.param('id'));
      return c.json(d.record);
    })
    .get('/:id/replay', async (c) => {
      await authorize(c, deps, viewer);
      return c.json(await deps.releases.replay(c.req.param('id')));
    });
}

const incidentBody = z.strictObject({
  service: z.string().min(1),
  severity: z.enum(['P1', 'P2', 'P3', 'P4']),
  title: z.string().min(1),
  links: z.array(z.string().url()).default([]),
});

export function incidentRoutes(deps: ServerDeps) {
  return new Hono<AppEnv>()
    .get('/', async (c) => {
      await authorize(c, deps, viewer);
      const q = parseWith(z.strictObject({ service: z.string().optional(), status: z.enum(['open', 'resolved']).optional(), limit: z.coerce.number().int().min(1).max(500).default(100) }), c.req.query(), 'query');
      return c.json({ incidents: await deps.releases.listIncidents({ limit: q.limit, ...(q.service ? { service: q.service } : {}), ...(q.status ? { status: q.status } : {}) }) });
    })
    .post('/', async (c) => {
      const p = await authorize(c, deps, ['sre', 'sre-lead', 'deployer', 'release-captain']);
      return c.json(await deps.releases.openIncident(await jsonBody(c, incidentBody), p), 201);
    })
    .post('/:id/resolve', async (c) => {
      const p = await authorize(c, deps, ['sre', 'sre-lead']);
      return c.json(await deps.releases.resolveIncident(c.req.param('id'), p));
    });
}

export const sloStatusBody = z.strictObject({
  errorBudgetRemainingPct: z.number().nullable(),
  fastBurnRate: z.number().min(0).nullable(),
});
