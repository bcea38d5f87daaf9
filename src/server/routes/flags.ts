import { Hono } from 'hono';
import { z } from 'zod';
import type { EvaluationContext } from '../../domain/flags/index.js';
import { admin, authorize, authorizeEvaluation, viewer } from '../auth.js';
import type { AppEnv, ServerDeps } from '../context.js';
import { jsonBody } from '../validate.js';

const deployer = ['deployer', 'release-captain'] as const;
const reason = z.string().min(1, 'say why (it goes into the flag history and the audit log)');

const setBody = z.union([
  z.strictObject({ definition: z.record(z.string(), z.unknown()), reason }),
  z.strictObject({ featureConfig: z.record(z.string(), z.unknown()), reason }),
], { error: 'send {"definition": <flagd flag>, "reason"} or {"featureConfig": <the spec\'s form>, "reason"}' });

const count = z.number().int().min(0);
const metricsBody = z.strictObject({
  on: z.strictObject({ requests: count, errors: count, latencyP95Ms: z.number().min(0).optional() }),
  off: z.strictObject({ requests: count, errors: count }),
});

export function flagRoutes(deps: ServerDeps) {
  const { flags } = deps;
  return new Hono<AppEnv>()
    .get('/', async (c) => {
      await authorize(c, deps, viewer);
      return c.json({ flags: await flags.list() });
    })
    .get('/snapshot', (c) => {
      // The whole served flag set as flagd JSON, for in-process providers: poll with If-None-Match.
      authorizeEvaluation(c);
      const { etag, snapshotJson } = flags.current();
      if (c.req.header('if-none-match') === etag) return c.body(null, 304, { ETag: etag });
      return c.body(snapshotJson, 200, { ETag: etag, 'Content-Type': 'application/json' });
    })
    .post('/import', async (c) => {
      const p = await authorize(c, deps, deployer);
      const body = await jsonBody(c, z.strictObject({ document: z.unknown(), reason }));
      return c.json({ flags: await flags.import(body.document, body.reason, p) });
    })
    .get('/:key', async (c) => {
      await authorize(c, deps, viewer);
      return c.json(await flags.get(c.req.param('key')));
    })
    .put('/:key', async (c) => {
      const p = await authorize(c, deps, deployer);
      const body = await jsonBody(c, setBody);
      const input = 'definition' in body ? { definition: body.definition } : { featureConfig: body.featureConfig };
      return c.json(await flags.set(c.req.param('key'), input, body.reason, p));
    })
    .post('/:key/enable', async (c) => {
      const p = await authorize(c, deps, deployer);
      const body = await jsonBody(c, z.strictObject({ reason }));
      return c.json(await flags.enable(c.req.param('key'), body.reason, p));
    })
    .post('/:key/disable', async (c) => {
      const p = await authorize(c, deps, deployer);
      const body = await jsonBody(c, z.strictObject({ reason }));
      return c.json(await flags.disable(c.req.param('key'), body.reason, p));
    })
    .get('/:key/history', async (c) => {
      await authorize(c, deps, viewer);
      return c.json({ versions: await flags.history(c.req.param('key')) });
    })
    .post('/:key/evaluate', async (c) => {
      await authorize(c, deps, viewer);
      const body = await jsonBody(c, z.strictObject({ context: z.record(z.string(), z.unknown()).default({}) }));
      const key = c.req.param('key');
      await flags.mustGet(key);
      return c.json(flags.evaluate(key, 'any', null as never, body.context as EvaluationContext));
    })
    .post('/:key/metrics', async (c) => {
      const p = await authorize(c, deps, deployer);
      const body = await jsonBody(c, metricsBody);
      return c.json(await deps.flagGuards.report(c.req.param('key'), body, p));
    });
}

export function segmentRoutes(deps: ServerDeps) {
  return new Hono<AppEnv>()
    .get('/', async (c) => {
      await authorize(c, deps, viewer);
      return c.json({ segments: await deps.flags.listSegments() });
    })
    .put('/:name', async (c) => {
      const p = await authorize(c, deps, deployer);
      const body = await jsonBody(c, z.strictObject({ members: z.array(z.string().min(1)).max(100_000) }));
      return c.json(await deps.flags.putSegment(c.req.param('name'), body.members, p));
    });
}

export function clientKeyRoutes(deps: ServerDeps) {
  return new Hono<AppEnv>()
    .post('/', async (c) => {
      const p = await authorize(c, deps, admin);
      const body = await jsonBody(c, z.strictObject({ name: z.string().min(1), environment: z.string().min(1).optional() }));
      const created = await deps.clientKeys.create(body, p);
      return c.json({ ...created.record, key: created.key }, 201);
    })
    .get('/', async (c) => {
      await authorize(c, deps, admin);
      return c.json({ clientKeys: await deps.clientKeys.list() });
    })
    .delete('/:id', async (c) => {
      const p = await authorize(c, deps, admin);
      return c.json(await deps.clientKeys.revoke(c.req.param('id'), p));
    });
}
