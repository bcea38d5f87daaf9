/**
 * Error-budget status for 1,000 services over 30 days of per-minute data in the store (SQLite):
 * availability and latency SLOs per service, burn rates for every window (5m … 3d), remaining
 * budget, band and exhaustion, as `GET /api/v1/budgets` computes them (one batch), plus the
 * process's peak RSS. The measure runs in a child process that only opens the store and computes,
 * so seeding does not count toward time or memory.
 *
 * The seeded database (1,000 × 30 days × 1,440 minute rows plus their hour and day rows) is cached under
 * the system temp dir and reused while its shape is unchanged; delete it to reseed.
 *
 *   npm run bench -- budget
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import { parseConfig } from '../src/config/load.js';
import { createSeededRandom } from '../src/domain/analysis/statistical/test-support/seeded-random.js';
import { type MinuteSample, computeStatus, createSampleCounts } from '../src/domain/slo/index.js';
import { createManualClock } from '../src/platform/clock.js';
import { createBudgetService } from '../src/services/budgets.js';
import { ROLLUP_RETENTION_MS, createRollupCounts } from '../src/services/budgets-rollups.js';
import { ROLLUP_LE_BOUNDS, ROLLUP_LE_COLUMNS } from '../src/store/rollup-columns.js';
import { openSqliteStore } from '../src/store/sqlite.js';
import { table, writeSection } from './results.js';

const services = Number(process.env.BENCH_SERVICES ?? 1000);
const days = 30;
const runs = 5;
/** A fixed "now" (mid-minute, mid-hour) so the cached data stays valid across runs. */
const NOW = Date.UTC(2026, 10, 1, 12, 34, 56);
const MIN = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const dir = join(tmpdir(), `rampart-bench-budget-v2-${services}x${days}d`);
const dbFile = join(dir, 'rampart.db');
const name = (i: number) => `svc-${String(i).padStart(4, '0')}`;

function catalogYaml(): string {
  const lines = ['services:'];
  for (let i = 0; i < services; i++) {
    lines.push(`  - { name: ${name(i)}, tier: ${(i % 3) + 1}, slo: { availability: { target: 99.9 }, latency: { thresholdMs: 250, target: 99 }, window: 30d } }`);
  }
  return `${lines.join('\n')}\n`;
}

/**
 * Per service an error ratio between 0 and 1.2 × its budget (so every band occurs) and a slow
 * share between 0 and 1.2 × 1 %, with per-minute noise; ~120 requests a minute. Hours and days
 * are summed as the minutes are written, exactly as the writer's recompute would.
 */
async function seed(): Promise<void> {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const store = await openSqliteStore(dbFile);
  await store.close();
  const db = new BetterSqlite3(dbFile);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  const cols = ['service', 'version', 'start_ms', 'requests', 'errors', ...ROLLUP_LE_COLUMNS];
  const insertMinute = db.prepare(`insert into rollup_minutes (${cols.join(', ')}) values (${cols.map(() => '?').join(', ')})`);
  const insertHour = db.prepare(`insert into rollup_hours (${cols.join(', ')}, minutes) values (${cols.map(() => '?').join(', ')}, ?)`);
  const insertDay = db.prepare(`insert into rollup_days (${cols.join(', ')}, minutes) values (${cols.map(() => '?').join(', ')}, ?)`);
  const random = createSeededRandom(42);
  const end = Math.floor(NOW / MIN) * MIN;
  const start = end - days * 86_400_000 - HOUR;
  const width = ROLLUP_LE_COLUMNS.length;
  const t0 = performance.now();
  for (let s = 0; s < services; s++) {
    const service = name(s);
    const errorP = 0.001 * 1.2 * random.next();
    const slowP = 0.01 * 1.2 * random.next();
    const le = new Array<number>(width).fill(0);
    const hour = new Array<number>(width + 2).fill(0);
    const day = new Array<number>(width + 2).fill(0);
    let hourMinutes = 0;
    let dayMinutes = 0;
    db.transaction(() => {
      for (let t = start; t < end; t += MIN) {
        const requests = 100 + Math.floor(random.next() * 40);
        const errors = Math.floor(requests * errorP * 2 * random.next() + random.next());
        const slow = Math.floor(requests * slowP * 2 * random.next() + random.next());
        // Cumulative: fast requests spread over the buckets up to 250 ms, slow ones above it.
        for (let b = 0; b < width; b++) {
          const bound = ROLLUP_LE_BOUNDS[b] as number;
          le[b] = bound < 0.25 ? Math.floor((requests - slow) * (b + 1) / 8) : bound === 0.25 ? requests - slow : requests - Math.floor(slow / (b - 7));
        }
        insertMinute.run(service, 'v1', t, requests, errors, ...le);
        const row = [requests, errors, ...le];
        for (let c = 0; c < row.length; c++) {
          hour[c]! += row[c] as number;
          day[c]! += row[c] as number;
        }
        hourMinutes++;
        dayMinutes++;
        if ((t + MIN) % HOUR === 0) {
          insertHour.run(service, 'v1', t + MIN - HOUR, ...hour, hourMinutes);
          hour.fill(0);
          hourMinutes = 0;
        }
        if ((t + MIN) % DAY === 0) {
          insertDay.run(service, 'v1', t + MIN - DAY, ...day, dayMinutes);
          day.fill(0);
          dayMinutes = 0;
        }
      }
      // The current, partial hour and day (the writer keeps them up to date minute by minute).
      if (hourMinutes > 0) insertHour.run(service, 'v1', Math.floor(end / HOUR) * HOUR, ...hour, hourMinutes);
      if (dayMinutes > 0) insertDay.run(service, 'v1', Math.floor(end / DAY) * DAY, ...day, dayMinutes);
    })();
    if (s % 50 === 49) process.stderr.write(`  seeded ${s + 1}/${services} services (${((performance.now() - t0) / 1000).toFixed(0)} s)\n`);
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

/**
 * The store's days + hours + edge minutes must equal the sum of every minute: for a few services,
 * recompute availability from the raw minute rows and compare (the bench refuses to report otherwise).
 */
function crossCheck(views: Awaited<ReturnType<ReturnType<typeof createBudgetService>['all']>>): void {
  const db = new BetterSqlite3(dbFile, { readonly: true });
  const asOf = Math.floor(NOW / MIN) * MIN;
  for (const view of views.slice(0, 3)) {
    const rows = db.prepare('select start_ms as t, requests - errors as good, requests as total from rollup_minutes where service = ?').all(view.service) as MinuteSample[];
    const slo = { service: view.service, name: 'availability', objectivePercent: 99.9, window: { kind: 'rolling' as const, days: 30 as const }, indicator: { kind: 'availability' as const } };
    const flat = computeStatus(slo, createSampleCounts(rows), asOf);
    const stored = view.slos.find((s) => s.slo === 'availability')!;
    const expected = Math.round(flat.remaining! * 100_000) / 1000;
    if (stored.remainingPct !== expected) throw new Error(`${view.service}: store says ${stored.remainingPct}% remaining, the minutes say ${expected}%`);
    for (const w of flat.windows) {
      const rate = stored.burn.find((b) => b.window === w.window)?.rate;
      const want = w.burn.state === 'measured' ? Math.round(w.burn.burnRate * 1000) / 1000 : undefined;
      if (rate !== want) throw new Error(`${view.service} ${w.window}: store burn ${rate}, minutes ${want}`);
    }
  }
  db.close();
}

/** The child: open the store, compute status for every service `runs` times, report. */
async function measure(): Promise<void> {
  const cfg = parseConfig(catalogYaml());
  if (!cfg.ok) throw new Error('catalog');
  const store = await openSqliteStore(dbFile);
  const budgets = createBudgetService(cfg.config, createManualClock(NOW), createRollupCounts(store.rollups));
  const times: number[] = [];
  const cpus: number[] = [];
  const cpu = () => {
    const u = process.cpuUsage();
    return (u.user + u.system) / 1000;
  };
  let views: Awaited<ReturnType<typeof budgets.all>> = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    const c0 = cpu();
    views = await budgets.all();
    times.push(performance.now() - t0);
    cpus.push(cpu() - c0);
  }
  // The writer's hourly retention pass (35 days: nothing in this 30-day store is old enough, so it only seeks).
  const p0 = performance.now();
  await store.writeTransaction((trx) => store.rollups.prune(NOW - ROLLUP_RETENTION_MS, trx));
  const pruneMs = performance.now() - p0;
  await store.close();
  crossCheck(views);
  const bands: Record<string, number> = {};
  for (const v of views) bands[v.band ?? 'none'] = (bands[v.band ?? 'none'] ?? 0) + 1;
  const windows = views[0]?.slos[0]?.burn.filter((b) => b.state === 'measured').length ?? 0;
  const sloCount = views.reduce((n, v) => n + v.slos.filter((s) => s.state === 'measured').length, 0);
  process.stdout.write(JSON.stringify({ times, cpus, pruneMs, maxRssMb: process.resourceUsage().maxRSS / 1024, bands, windows, sloCount, services: views.length }));
}

async function main(): Promise<void> {
  const stamp = join(dir, 'seeded');
  if (!existsSync(stamp)) {
    process.stderr.write(`seeding ${services} services × ${days} days of minutes into ${dbFile} (cached for later runs)…\n`);
    const t0 = performance.now();
    await seed();
    execFileSync('touch', [stamp]);
    process.stderr.write(`seeded in ${((performance.now() - t0) / 1000).toFixed(0)} s\n`);
  }
  const out = execFileSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--measure'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  const r = JSON.parse(out) as { times: number[]; cpus: number[]; pruneMs: number; maxRssMb: number; bands: Record<string, number>; windows: number; sloCount: number; services: number };
  const sorted = [...r.times].sort((a, b) => a - b);
  const cpuSorted = [...r.cpus].sort((a, b) => a - b);
  const minuteRows = services * (days * 1440 + 60);
  const body = [
    `${r.services.toLocaleString('en')} services, each with an availability (99.9 %) and a latency (99 % under 250 ms) SLO over a rolling 30 days; ` +
      `${minuteRows.toLocaleString('en')} minute rows and their hour and day rows in SQLite (${(statSync(dbFile).size / 2 ** 30).toFixed(1)} GiB). ` +
      `One \`budgets.all()\` computes, per SLO, the period budget, burn rates for ${r.windows} windows, alert state, band and exhaustion ` +
      `(${r.sloCount.toLocaleString('en')} measured SLOs). Reads: whole days from the day rows, whole hours around them, the ragged edges in minutes (exact), one grouped query per time segment for all services.`,
    '',
    table([
      { measure: 'first status of all services after opening the store (s)', value: (r.times[0]! / 1000).toFixed(2) },
      { measure: `median of ${runs} runs (s)`, value: (sorted[Math.floor(runs / 2)]! / 1000).toFixed(2) },
      { measure: `median CPU time of ${runs} runs (s; what the machine's other load does not inflate)`, value: (cpuSorted[Math.floor(runs / 2)]! / 1000).toFixed(2) },
      { measure: 'peak RSS of the measuring process (MB)', value: r.maxRssMb.toFixed(0) },
      { measure: 'hourly retention prune, 1,000 services, nothing past 35 days (ms; a per-service key seek, not a 43 M-row scan)', value: r.pruneMs.toFixed(0) },
    ]),
    '',
    `Bands: ${Object.entries(r.bands).map(([b, n]) => `${b} ${n}`).join(', ')}.`,
    '',
    `Load average at the end: ${loadavg()[0]!.toFixed(2)}${loadavg()[0]! > 1 ? ' (other work was running on this 2-core machine: figures are pessimistic)' : ''}.`,
    '',
    'Goals: < 2 s and < 500 MB.',
  ].join('\n');
  writeSection('budget', 'npm run bench -- budget', body);
  process.stdout.write(`${body}\n`);
}

if (process.argv.includes('--measure')) await measure();
else await main();
