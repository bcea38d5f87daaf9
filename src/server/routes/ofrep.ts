import { Hono } from 'hono';
import type { Context } from 'hono';
import type { EvaluationContext, ResolutionDetails } from '../../domain/flags/index.js';
import { authorizeEvaluation } from '../auth.js';
import type { AppEnv, ServerDeps } from '../context.js';
import { createRateLimiter } from '../rate-limit.js';

/** OFREP's evaluation errors that are the caller's fault (400); FLAG_NOT_FOUND is 404. */
const badRequestCodes = new Set(['PARSE_ERROR', 'TARGETING_KEY_MISSING', 'INVALID_CONTEXT', 'GENERAL', 'TYPE_MISMATCH']);

function success(d: ResolutionDetails<unknown>) {
  return {
    key: d.flagKey, value: d.value, reason: d.reason,
    ...(d.variant === undefined ? {} : { variant: d.variant }),
    metadata: d.flagMetadata ?? {},
  };
}

function failure(d: ResolutionDetails<unknown>) {
  return { key: d.flagKey, errorCode: d.errorCode, errorDetails: d.errorMessage ?? d.errorCode };
}

type ContextResult = { ok: true; context: EvaluationContext } | { ok: false; message: string };

async function readContext(c: Context<AppEnv>, environment: string | undefined): Promise<ContextResult> {
  let body: unknown = {};
  const text = await c.req.text();
  if (text.trim()) {
    try {
      body = JSON.parse(text);
    } catch {
      return { ok: false, message: 'request body must be JSON: {"context": {...}}' };
    }
  }
  const context = (body as { context?: unknown })?.context ?? {};
  if (typeof context !== 'object' || context === null || Array.isArray(context)) return { ok: false, message: '"context" must be an object' };
  // The client key's environment is visible to targeting unless the caller sets one.
  return { ok: true, context: (environment && !('environment' in context) ? { ...context, environment } : context) as EvaluationContext };
}

/**
 * The OpenFeature Remote Evaluation Protocol: single and bulk evaluation with OFREP's status
 * codes and bodies, ETag/If-None-Match on bulk, 429 with Retry-After past the rate limit.
 */
export function ofrepRoutes(deps: ServerDeps, ratePerSecond: number) {
  const limited = createRateLimiter(ratePerSecond, () => deps.clock.now());
  const auth = (c: Context<AppEnv>) => {
    const who = authorizeEvaluation(c);
    const waitMs = limited(who.actor);
    return { ...who, waitMs };
  };
  const tooMany = (c: Context<AppEnv>, waitMs: number) =>
    c.json({ errorDetails: `rate limit of ${ratePerSecond} evaluations/s reached` }, 429, {
      'Retry-After': new Date(deps.clock.now() + waitMs).toISOString(),
    });

  return new Hono<AppEnv>()
    .get('/configuration', (c) => {
      authorizeEvaluation(c);
      return c.json({
        name: 'rampart',
        capabilities: {
          cacheInvalidation: { polling: { enabled: true, minPollingIntervalMs: 1000 } },
          flagEvaluation: { supportedTypes: ['boolean', 'string', 'int', 'float', 'object'] },
        },
      });
    })
    .post('/evaluate/flags/:key', async (c) => {
      const who = auth(c);
      if (who.waitMs > 0) return tooMany(c, who.waitMs);
      const read = await readContext(c, who.environment);
      const key = c.req.param('key');
      if (!read.ok) return c.json({ key, errorCode: 'INVALID_CONTEXT', errorDetails: read.message }, 400);
      const d = deps.flags.evaluate(key, 'any', null as never, read.context);
      if (d.errorCode === 'FLAG_NOT_FOUND') return c.json(failure(d), 404);
      if (d.errorCode && badRequestCodes.has(d.errorCode)) return c.json(failure(d), 400);
      return c.json(success(d));
    })
    .post('/evaluate/flags', async (c) => {
      const who = auth(c);
      if (who.waitMs > 0) return tooMany(c, who.waitMs);
      const read = await readContext(c, who.environment);
      if (!read.ok) return c.json({ errorCode: 'INVALID_CONTEXT', errorDetails: read.message }, 400);
      const context = read.context;
      // The ETag covers the flag set and the context: the same context on an unchanged set is 304.
      const { etag } = deps.flags.current();
      const tag = `W/"${etag.replaceAll('"', '')}.${hashContext(JSON.stringify(context))}"`;
      if (c.req.header('if-none-match') === tag) return c.body(null, 304, { ETag: tag });
      const { flagSet } = deps.flags.current();
      const results = [...flagSet.flags.keys()].map((key) => {
        const d = deps.flags.evaluate(key, 'any', null as never, context);
        return d.errorCode ? failure(d) : success(d);
      });
      return c.json({ flags: results }, 200, { ETag: tag });
    });
}

function hashContext(text: string): string {
  // FNV-1a: cheap and stable; the ETag needs change detection, not secrecy.
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h.toString(36);
}
