import pgClient from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
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

  describe('postgres store when the server drops its idle connections', () => {
    let server: Awaited<ReturnType<typeof startPostgres>>;
    afterAll(async () => server?.stop());

    it('reports the drop and answers the next query on a new connection (no crash)', async () => {
      server = await startPostgres();
      const url = await server.createDatabase('dropped');
      const dropped: string[] = [];
      const store = await openPostgresStore(url, { onIdleError: (err) => dropped.push(err.message) });
      try {
        await store.tokens.list();
        const admin = new pgClient.Client({ connectionString: url });
        await admin.connect();
        await admin.query('select pg_terminate_backend(pid) from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid()');
        await admin.end();
        await expect.poll(() => dropped.length, { timeout: 5000 }).toBeGreaterThan(0);
        expect(dropped[0]).toMatch(/terminating connection/);
        expect(await store.tokens.list()).toEqual([]);
      } finally {
        await store.close();
      }
    });
  });
} else {
  describe('store contract: postgres', () => {
    it.skip(`needs PostgreSQL: ${pg.reason}`, () => {});
  });
}
