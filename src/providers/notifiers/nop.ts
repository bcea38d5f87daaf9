import { z } from 'zod';
import type { Notifier, NotifierDefinition } from './types.js';

/** Accepts every event and sends nothing: the default, and a stand-in in tests. */
export const nopNotifier: NotifierDefinition<Record<string, never>> = {
  type: 'nop',
  description: 'Sends nothing (every delivery succeeds)',
  configSchema: z.strictObject({}),
  create(): Notifier {
    return { type: 'nop', send: () => Promise.resolve({ ok: true }) };
  },
};
