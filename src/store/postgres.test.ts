import { describe, it } from 'vitest';
import { requireComponent } from '../testing/components.js';
import { pgBin, startPostgres } from '../testing/postgres.js';
import { openPostgresStore } from './postgres.js';
import { storeContract } from './store.case.js';

const pg = requireComponent('PostgreSQL 15', [`${pgBin}/postgres`], 'apt-get install -y postgresql');

if (pg.available) {
  storeContract('postgres (real server)', async () => {
    const server = await startPostgres();
    const url = await server.createDatabase('contract');
    return { open: () => openPostgresStore(url), cleanup: () => server.stop() };
  });
} else {
  describe('store contract: postgres', () => {
    it.skip(`needs PostgreSQL: ${pg.reason}`, () => {});
  });
}
