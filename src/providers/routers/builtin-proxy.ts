/**
 * The built-in proxy router: applies weights and routes to Rampart's own data plane
 * (src/proxy). A change is one atomic config swap in process, effective for the next request.
 */
import { z } from 'zod';
import type { ProxyResult } from '../../proxy/service-proxy.js';
import type { RouterDefinition, RouterResult, TrafficRouter } from './types.js';
import { ok } from './validate.js';

const asRouterResult = (r: ProxyResult): RouterResult => r;

export const builtinProxyRouter = {
  type: 'builtin-proxy',
  description: "Rampart's embedded reverse proxy (one listener per service).",
  configSchema: z.object({}).strict(),
  async create(_config, deps): Promise<TrafficRouter> {
    const find = (service: string) => deps.proxies.get(service);
    const missing = (service: string): RouterResult => ({
      ok: false, code: 'not_found', message: `no built-in proxy runs for service "${service}"; declare its router and runtime in rampart.yaml`,
    });
    return {
      type: 'builtin-proxy',
      async setWeight(service, percent) {
        const p = find(service);
        return p ? asRouterResult(p.setWeight(percent)) : missing(service);
      },
      async setHeaderRoute(service, route) {
        const p = find(service);
        return p ? asRouterResult(p.setHeaderRoute(route)) : missing(service);
      },
      async setMirror(service, mirror) {
        const p = find(service);
        return p ? asRouterResult(p.setMirror(mirror)) : missing(service);
      },
      async setUpstreams(service, upstreams) {
        const p = find(service);
        return p ? asRouterResult(await p.setUpstreams(upstreams)) : missing(service);
      },
      async reset(service) {
        const p = find(service);
        if (!p) return missing(service);
        p.reset();
        return ok;
      },
    };
  },
} satisfies RouterDefinition;
