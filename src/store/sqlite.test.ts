import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from './sqlite.js';
import { storeContract } from './store.case.js';

storeContract('sqlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-sqlite-'));
  return {
    open: () => openSqliteStore(join(dir, 'rampart.db')),
    cleanup: async () => rmSync(dir, { recursive: true, force: true }),
  };
});
