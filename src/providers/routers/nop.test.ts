import { createSilentLogger } from '../../platform/logger.js';
import { createManualClock } from '../../platform/clock.js';
import { nopRouter } from './nop.js';
import { routerContract } from './router.case.js';
import { createProxyDirectory } from './types.js';

routerContract('nop', async () => ({
  router: await nopRouter.create({}, { clock: createManualClock(), logger: createSilentLogger(), proxies: createProxyDirectory() }),
  service: 'api',
  knowsServices: false,
  cleanup: async () => undefined,
}));
