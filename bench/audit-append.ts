/**
 * Acknowledged durable audit appends per second at concurrency 50 (SQLite and a real PostgreSQL),
 * and the time to verify a chain of 1,000,000 events (in process, and as the `rampart audit verify`
 * command an auditor runs, Node start included).
 *
 *   npm run bench -- audit-append
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { sealEvent } from '../src/domain/audit/chain.js';
import { createManualClock, systemClock } from '../src/platform/clock.js';
import { createAuditLog, verifyAuditChain } from '../src/services/audit-log.js';
import { openPostgresStore } from '../src/store/postgres.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import type { Store } from '../src/store/types.js';
import { startPostgres } from '../src/testing/postgres.js';
import { table, writeSection } from './results.js';

const concurrency = 50;
const appendSeconds = Number(process.env.BENCH_SECONDS ?? 5);
const verifyEvents = Number(process.env.BENCH_VERIFY_EVENTS ?? 1_000_000);

async function appendRate(store: Store): Promise<{ perSecond: number; total: number; p99ms: number }> {
  const log = createAuditLog(store, systemClock);
  const deadline = performance.now() + appendSeconds * 1000;
  const latencies: number[] = [];
  let total = 0;
  const worker = async (w: number) => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      await log.record({ actor: `bench-${w}`, action: 'bench.append', subject: { kind: 'bench', id: String(total) }, service: 'api', payload: { w, n: total } });
      latencies.push(performance.now() - t0);
      total++;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, (_, w) => worker(w)));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { perSecond: total / seconds, total, p99ms: latencies[Math.floor(latencies.length * 0.99)] ?? 0 };
}

async function fill(store: Store, n: number): Promise<void> {
  const clock = createManualClock();
  const batch = 5000;
  for (let done = 0; done < n; done += batch) {
    const entries = Array.from({ length: Math.min(batch, n - done) }, (_, i) => ({
      actor: `user-${(done + i) % 17}`, action: 'bench.fill', subject: { kind: 'release', id: `rel_${done + i}` }, service: 'api',
      payload: { index: done + i, version: '1.2.3', note: 'a payload of typical size for an audit event' },
    }));
    await store.audit.appendBatch(entries, (e, prev) => sealEvent(e, prev, `evt_${e.subject.id}`, clock.now()));
    if ((done / batch) % 40 === 0) process.stderr.write(`  filled ${done + entries.length}/${n}\n`);
  }
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-bench-'));
  const rows: Array<Record<string, string | number>> = [];
  try {
    process.stderr.write('sqlite: appends at concurrency 50…\n');
    const sqlite = await openSqliteStore(join(dir, 'append.db'));
    const s = await appendRate(sqlite);
    await sqlite.close();
    rows.push({ store: 'SQLite (WAL, synchronous=FULL)', 'acknowledged appends/s': Math.round(s.perSecond), 'p99 latency (ms)': s.p99ms.toFixed(1), events: s.total });

    process.stderr.write('postgres: starting a real server…\n');
    const pg = await startPostgres();
    try {
      const pgStore = await openPostgresStore(await pg.createDatabase('bench'), { poolSize: 10 });
      const p = await appendRate(pgStore);
      await pgStore.close();
      rows.push({ store: 'PostgreSQL 15 (fsync on)', 'acknowledged appends/s': Math.round(p.perSecond), 'p99 latency (ms)': p.p99ms.toFixed(1), events: p.total });
    } finally {
      await pg.stop();
    }

    process.stderr.write(`sqlite: filling ${verifyEvents} events for verify…\n`);
    const verifyDir = join(dir, 'verify');
    const big = await openSqliteStore(join(verifyDir, 'rampart.db'));
    await fill(big, verifyEvents);
    const t0 = performance.now();
    const report = await verifyAuditChain(big);
    const inProcess = (performance.now() - t0) / 1000;
    await big.close();
    if (!report.ok || report.checked !== verifyEvents) throw new Error(`verify failed: ${JSON.stringify(report)}`);
    const cli = resolve(import.meta.dirname, '../dist/cli/main.js');
    const t1 = performance.now();
    execFileSync(process.execPath, [cli, 'audit', 'verify', '--data-dir', verifyDir], { stdio: 'pipe' });
    const viaCli = (performance.now() - t1) / 1000;

    const body = [
      `Appends: ${concurrency} concurrent writers for ${appendSeconds} s, each awaiting its own durable commit (group commit batches what arrives together).`,
      '',
      table(rows),
      '',
      `Verify of ${verifyEvents.toLocaleString('en')} events (SQLite): ${inProcess.toFixed(2)} s in one thread in process; ${viaCli.toFixed(2)} s as \`rampart audit verify\` (Node start included; above 200,000 events it checks seq ranges in parallel, one worker per core, and the seams between them).`,
      '',
      `Load average at the end: ${loadavg()[0]!.toFixed(2)}${loadavg()[0]! > 1 ? ' (other work was running on this 2-core machine: figures are pessimistic)' : ''}.`,
      '',
      'Goals: ≥ 5,000 appends/s on SQLite; verify of 1M events < 5 s.',
    ].join('\n');
    writeSection('audit-append', 'npm run bench -- audit-append', body);
    process.stdout.write(`${body}\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
