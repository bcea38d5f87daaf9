import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import { z } from 'zod';
import { loadRolloutSpecs } from '../../config/rollout/index.js';
import type { Command } from '../../domain/rollout/index.js';
import { RampartError } from '../../platform/errors.js';
import { authorize, viewer } from '../auth.js';
import type { AppEnv, ServerDeps } from '../context.js';
import { jsonBody } from '../validate.js';

const operators = ['deployer', 'release-captain'] as const;

const setVersionBody = z.strictObject({
  version: z.string().min(1),
  release: z.string().min(1).optional(),
  /** An Argo `strategy:` block (YAML) instead of the tier's strategy. */
  strategy: z.string().optional(),
});

const commandBody = z.strictObject({
  verb: z.enum(['promote', 'abort', 'retry', 'pause', 'resume', 'undo']),
  full: z.boolean().optional(),
  reason: z.string().optional(),
  toRevision: z.number().int().positive().optional(),
});

export function rolloutRoutes(deps: ServerDeps) {
  return new Hono<AppEnv>()
    .post('/:service', async (c) => {
      const p = await authorize(c, deps, operators);
      const body = await jsonBody(c, setVersionBody);
      let spec;
      if (body.strategy) {
        const loaded = loadRolloutSpecs(body.strategy, 'strategy');
        if (!loaded.ok || loaded.rollouts.length !== 1) {
          throw new RampartError('VALIDATION_FAILED', `strategy: ${loaded.problems.map((x) => x.message).join('; ') || 'give exactly one strategy block'}`);
        }
        spec = loaded.rollouts[0]!.spec;
      }
      return c.json(await deps.rollouts.setVersion(c.req.param('service'), body.version, p, { ...(body.release ? { releaseId: body.release } : {}), ...(spec ? { spec } : {}) }), 201);
    })
    .get('/:service', async (c) => {
      await authorize(c, deps, viewer);
      return c.json(await deps.rollouts.status(c.req.param('service')));
    })
    .get('/:service/history', async (c) => {
      await authorize(c, deps, viewer);
      return c.json({ rollouts: await deps.rollouts.history(c.req.param('service')) });
    })
    .post('/:service/commands', async (c) => {
      const p = await authorize(c, deps, operators);
      const b = await jsonBody(c, commandBody);
      const command = { ...b, actor: p.actor } as Command;
      return c.json(await deps.rollouts.command(c.req.param('service'), command, p));
    });
}

/** Server-sent events: rollout started, step, paused, promoted, aborted, rolled back, undone. */
export function eventRoutes(deps: ServerDeps) {
  return new Hono<AppEnv>().get('/', async (c) => {
    await authorize(c, deps, viewer);
    return streamSSE(c, async (stream) => {
      const queue: Array<{ type: string }> = [];
      let wake: (() => void) | undefined;
      const unsubscribe = deps.events.subscribe((e) => {
        queue.push(e);
        wake?.();
      });
      stream.onAbort(() => {
        unsubscribe();
        wake?.();
      });
      await stream.writeSSE({ event: 'hello', data: '{}' });
      while (!stream.aborted) {
        const next = queue.shift();
        if (next) await stream.writeSSE({ event: next.type, data: JSON.stringify(next) });
        else await new Promise<void>((r) => { wake = r; setTimeout(r, 15_000).unref(); });
        if (!next && queue.length === 0 && !stream.aborted) await stream.writeSSE({ event: 'ping', data: '{}' }).catch(() => undefined);
      }
    });
  });
}
