import type { MiddlewareHandler } from 'hono';
import { Counter, Histogram, type Registry, collectDefaultMetrics } from 'prom-client';
import type { AppEnv } from './context.js';

/** Rampart's own process and HTTP metrics, on a registry of its own (no global state). */
export function createHttpMetrics(registry: Registry): MiddlewareHandler<AppEnv> {
  collectDefaultMetrics({ register: registry, prefix: 'rampart_' });
  const requests = new Counter({
    name: 'rampart_http_requests_total',
    help: 'HTTP requests served by the Rampart API, by route and status code.',
    labelNames: ['method', 'route', 'code'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'rampart_http_request_duration_seconds',
    help: 'Time to answer an HTTP request of the Rampart API.',
    labelNames: ['method', 'route'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  return async (c, next) => {
    const start = process.hrtime.bigint();
    try {
      await next();
    } finally {
      // routePath keeps label cardinality bounded (`/api/v1/services/:name`, not every name).
      const route = c.req.routePath || 'unmatched';
      requests.inc({ method: c.req.method, route, code: String(c.res.status) });
      duration.observe({ method: c.req.method, route }, Number(process.hrtime.bigint() - start) / 1e9);
    }
  };
}
