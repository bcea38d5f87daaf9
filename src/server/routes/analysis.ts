import { Hono } from 'hono';
import { z } from 'zod';
import { templateSource } from '../../services/analysis-spec.js';
import { authorize, viewer } from '../auth.js';
import type { AppEnv, ServerDeps } from '../context.js';
import { jsonBody, parseWith } from '../validate.js';

const startBody = z.strictObject({
  templates: z.array(z.union([
    z.strictObject({ name: z.string().min(1), form: z.enum(['prometheus', 'builtin']).default('prometheus') }),
    z.strictObject({ yaml: z.string().min(1), file: z.string().default('upload.yaml') }),
  ])).min(1, 'name at least one template'),
  args: z.record(z.string(), z.string()).default({}),
  dryRun: z.boolean().default(false),
  /** For `judge: statistical`: the service and the canary and stable versions whose counts it compares. */
  compare: z.strictObject({ service: z.string().min(1), canary: z.string().min(1), stable: z.string().min(1) }).optional(),
});

export function analysisRoutes(deps: ServerDeps) {
  return new Hono<AppEnv>()
    .post('/', async (c) => {
      const p = await authorize(c, deps, ['deployer', 'release-captain', 'sre']);
      const body = await jsonBody(c, startBody);
      const templates = body.templates.map((t) => ('name' in t ? templateSource(`${t.name}@${t.form}`) : { file: t.file, text: t.yaml }));
      return c.json(await deps.analysisRuns.start({ templates, args: body.args, dryRun: body.dryRun, ...(body.compare ? { compare: body.compare } : {}) }, p), 201);
    })
    .get('/', async (c) => {
      await authorize(c, deps, viewer);
      const q = parseWith(z.strictObject({ limit: z.coerce.number().int().min(1).max(500).default(50) }), c.req.query(), 'query');
      return c.json({ runs: await deps.analysisRuns.list(q.limit) });
    })
    .get('/:id', async (c) => {
      await authorize(c, deps, viewer);
      return c.json(await deps.analysisRuns.get(c.req.param('id')));
    })
    .post('/:id/terminate', async (c) => {
      const p = await authorize(c, deps, ['deployer', 'release-captain', 'sre']);
      return c.json(await deps.analysisRuns.terminate(c.req.param('id'), p));
    });
}
