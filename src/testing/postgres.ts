import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports.js';

export const pgBin = '/usr/lib/postgresql/15/bin';

export interface TestPostgres {
  url: string;
  /** A fresh empty database on the same server. */
  createDatabase(name: string): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts a private PostgreSQL 15 on a free loopback port in a temp directory: initdb, then
 * postgres itself. As root, the server runs as the `postgres` user (PostgreSQL refuses root).
 */
export async function startPostgres(): Promise<TestPostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-pg-'));
  chmodSync(dir, 0o777);
  const data = join(dir, 'data');
  const port = await freePort();
  const asRoot = process.getuid?.() === 0;
  const run = (cmd: string, args: string[]) =>
    asRoot ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] as const : [cmd, args] as const;

  const [initCmd, initArgs] = run(join(pgBin, 'initdb'), ['-D', data, '-U', 'rampart', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  execFileSync(initCmd, initArgs, { stdio: 'pipe' });
  const [pgCmd, pgArgs] = run(join(pgBin, 'postgres'), [
    '-D', data, '-p', String(port), '-k', dir, '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=on',
  ]);
  const child: ChildProcess = spawn(pgCmd, pgArgs, { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));

  const url = `postgres://rampart@127.0.0.1:${port}/postgres`;
  const deadline = Date.now() + 20_000;
  for (;;) {
    try {
      execFileSync(join(pgBin, 'pg_isready'), ['-h', '127.0.0.1', '-p', String(port)], { stdio: 'pipe' });
      break;
    } catch {
      if (child.exitCode !== null || Date.now() > deadline) {
        throw new Error(`PostgreSQL did not start on port ${port}:\n${log}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  const pg = (await import('pg')).default;
  return {
    url,
    async createDatabase(name) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`create database "${name}"`);
      await client.end();
      return `postgres://rampart@127.0.0.1:${port}/${name}`;
    },
    async stop() {
      // Signal the postmaster itself: runuser does not pass signals on. SIGINT is a fast shutdown.
      const exited = new Promise((r) => (child.exitCode !== null ? r(null) : child.once('exit', r)));
      try {
        const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);
        process.kill(pid, 'SIGINT');
      } catch {
        child.kill('SIGKILL');
      }
      await exited;
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
