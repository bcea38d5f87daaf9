/**
 * The do-nothing router: accepts every valid call and routes nothing. For services whose traffic is
 * shifted elsewhere (or not at all), so callers never null-check a router.
 */
import { z } from 'zod';
import type { RouterDefinition } from './types.js';
import { checkHeaderRoute, checkMirror, checkWeight, ok } from './validate.js';

export const nopRouter = {
  type: 'nop',
  description: 'Routes nothing; every valid call succeeds.',
  configSchema: z.object({}).strict(),
  async create(_config, _deps) {
    return {
      type: 'nop',
      setWeight: async (_service: string, percent: number) => checkWeight(percent),
      setHeaderRoute: async (_service, route) => checkHeaderRoute(route),
      setMirror: async (_service, mirror) => checkMirror(mirror),
      reset: async () => ok,
    };
  },
} satisfies RouterDefinition;
