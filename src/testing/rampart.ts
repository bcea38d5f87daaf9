import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Rampart, createRampart } from '../main.js';
import { createManualClock } from '../platform/clock.js';
import { createSilentLogger } from '../platform/logger.js';

export const testAdminToken = 'rpt_test-admin-token-0123456789abcdef';

/** An in-process Rampart on a temp SQLite file, a manual clock and a known admin token. */
export async function createTestRampart(options: { configYaml?: string } = {}): Promise<Rampart & { request: (path: string, init?: RequestInit & { token?: string | null }) => Promise<Response>; cleanup: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-test-'));
  let configFile: string | undefined;
  if (options.configYaml) {
    configFile = join(dir, 'rampart.yaml');
    writeFileSync(configFile, options.configYaml);
  }
  const rampart = await createRampart({
    ...(configFile ? { configFile } : {}),
    env: { adminToken: testAdminToken },
    dataDir: dir,
    clock: createManualClock(),
    logger: createSilentLogger(),
  });
  return {
    ...rampart,
    request(path, init = {}) {
      const { token = testAdminToken, ...rest } = init;
      const headers = new Headers(rest.headers);
      if (token) headers.set('authorization', `Bearer ${token}`);
      if (rest.body && !headers.has('content-type')) headers.set('content-type', 'application/json');
      return Promise.resolve(rampart.app.request(path, { ...rest, headers }));
    },
    async cleanup() {
      await rampart.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
