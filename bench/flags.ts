/**
 * Flag evaluation, side by side in one process: Rampart's in-process `evaluate` against
 * `@openfeature/flagd-core` (the flagd in-process evaluator, same flagd JSON) and `unleash-client`
 * (offline bootstrap, equivalent toggles), on three flags: static, a 25/75 sticky rollout, and
 * allow list OR attribute rule OR 10 %. Before timing, the engines' answers are compared on a
 * sample of users. Then OFREP single-flag throughput over loopback against a bare `node:http`
 * server, both measured by autocannon in a child process.
 *
 *   npm run bench -- flags
 *   BENCH_ROUNDS=9 BENCH_SECONDS=10 BENCH_OFREP_ROUNDS=2 node --import tsx bench/flags.ts
 */
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { FlagdCore } from '@openfeature/flagd-core';
import { InMemStorageProvider, Unleash } from 'unleash-client';
import type { ClientFeaturesResponse } from 'unleash-client';
import { compileFeatureConfig, evaluate, parseFlagSetJson } from '../src/domain/flags/index.js';
import type { EvaluationContext, FlagSet } from '../src/domain/flags/index.js';
import { startServer } from '../src/main.js';
import { createSilentLogger } from '../src/platform/logger.js';
import { table, writeSection } from './results.js';

const rounds = Number(process.env.BENCH_ROUNDS ?? 9);
const roundMs = Number(process.env.BENCH_ROUND_MS ?? 200);
const ofrepSeconds = Number(process.env.BENCH_SECONDS ?? 10);
const ofrepRounds = Number(process.env.BENCH_OFREP_ROUNDS ?? 2);
const connections = 50;
const sampleSize = 8192; // a power of two: the timed loops index users with `i & mask`
const mask = sampleSize - 1;

// ---------------------------------------------------------------------------------------------
// The three flags, authored once in Rampart's featureConfig form and served to flagd-core as the
// flagd JSON that Rampart compiles them to; Unleash gets the equivalent toggles.

const STATIC = 'static-on';
const ROLLOUT = 'rollout-25';
const TARGETED = 'beta-or-enterprise-or-10';
const flagKeys = [STATIC, ROLLOUT, TARGETED] as const;
type FlagKey = (typeof flagKeys)[number];
const flagLabel: Record<FlagKey, string> = {
  [STATIC]: '(a) static on',
  [ROLLOUT]: '(b) 25/75 sticky rollout',
  [TARGETED]: '(c) allow list OR plan=enterprise OR 10 %',
};

const betaTesters = Array.from({ length: 20 }, (_, i) => `user-${i * 397 + 11}`);

function flagdDocument(): { flags: Record<string, unknown> } {
  const segments = new Map([['beta-testers', betaTesters]]);
  const compile = (config: unknown) => {
    const r = compileFeatureConfig(config, segments);
    if (!r.ok) throw new Error(`featureConfig does not compile: ${JSON.stringify(r.errors)}`);
    return r.value.definition;
  };
  return {
    flags: {
      [STATIC]: { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'on' },
      [ROLLOUT]: compile({ name: ROLLOUT, rollout: { type: 'percentage', percentage: 25, sticky: true } }),
      [TARGETED]: compile({
        name: TARGETED,
        rollout: { type: 'percentage', percentage: 10, sticky: true },
        targeting: { allowList: ['beta-testers'], rules: [{ attribute: 'plan', operator: 'in', values: ['enterprise'] }] },
      }),
    },
  };
}

/** Unleash ORs a toggle's strategies; `flexibleRollout` on userId is its sticky percentage. */
function unleashToggles(): ClientFeaturesResponse {
  const rollout = (name: string, percent: number) => ({
    name: 'flexibleRollout', parameters: { rollout: String(percent), stickiness: 'userId', groupId: name }, constraints: [],
  });
  return {
    version: 2,
    features: [
      { name: STATIC, enabled: true, strategies: [{ name: 'default', parameters: {}, constraints: [] }] },
      { name: ROLLOUT, enabled: true, strategies: [rollout(ROLLOUT, 25)] },
      {
        name: TARGETED, enabled: true, strategies: [
          { name: 'userWithId', parameters: { userIds: betaTesters.join(',') }, constraints: [] },
          { name: 'default', parameters: {}, constraints: [{ contextName: 'plan', operator: 'IN', values: ['enterprise'], inverted: false, caseInsensitive: false }] },
          rollout(TARGETED, 10),
        ],
      },
    ],
  };
}

// ---------------------------------------------------------------------------------------------
// Users: a fixed sample, each as an OpenFeature context (Rampart, flagd-core) and an Unleash context.

const plans = ['free', 'pro', 'team', 'free', 'pro', 'free', 'enterprise'];
const users: EvaluationContext[] = Array.from({ length: sampleSize }, (_, i) => ({ targetingKey: `user-${i}`, plan: plans[i % plans.length] }));
const unleashUsers = users.map((u) => ({ userId: u.targetingKey as string, properties: { plan: u.plan as string } }));
const isBeta = new Set(betaTesters);

interface Engines {
  rampart: FlagSet;
  flagd: FlagdCore;
  unleash: Unleash;
}

async function createEngines(): Promise<Engines> {
  const json = JSON.stringify(flagdDocument());
  const parsed = parseFlagSetJson(json, { strictTargeting: true });
  if (!parsed.ok) throw new Error(`Rampart rejects the flag set: ${JSON.stringify(parsed.errors)}`);
  const flagd = new FlagdCore();
  flagd.setConfigurations(json);
  const unleash = new Unleash({
    appName: 'rampart-bench',
    url: 'http://127.0.0.1:9/never-contacted', // required; refreshInterval 0 means it is never fetched
    refreshInterval: 0,
    disableMetrics: true,
    disableAutoStart: false,
    skipInstanceCountWarning: true,
    storageProvider: new InMemStorageProvider(),
    bootstrap: { data: unleashToggles().features },
  });
  if (!unleash.isSynchronized()) await once(unleash, 'ready');
  return { rampart: parsed.flagSet, flagd, unleash };
}

// ---------------------------------------------------------------------------------------------
// Honesty check: the same answers, user by user, before anything is timed.

interface Agreement {
  flag: FlagKey;
  rampartFlagd: number;
  unleashDeterministic: string;
  onShare: { rampart: number; flagd: number; unleash: number };
}

function checkAgreement(e: Engines, now: number): Agreement[] {
  const out: Agreement[] = [];
  for (const flag of flagKeys) {
    let same = 0;
    let det = 0;
    let detSame = 0;
    const on = { rampart: 0, flagd: 0, unleash: 0 };
    users.forEach((ctx, i) => {
      const r = evaluate(e.rampart, flag, 'boolean', false, ctx, now);
      const f = e.flagd.resolveBooleanEvaluation(flag, false, ctx);
      const u = e.unleash.isEnabled(flag, unleashUsers[i]);
      if (r.errorCode || f.errorCode) throw new Error(`${flag} for ${String(ctx.targetingKey)}: ${r.errorMessage ?? f.errorMessage}`);
      if (r.value === f.value && r.variant === f.variant && r.reason === f.reason) same++;
      // Where no percentage decides, Unleash must agree exactly; percentages use other hashes.
      const deterministic = flag === STATIC || (flag === TARGETED && (isBeta.has(ctx.targetingKey as string) || ctx.plan === 'enterprise'));
      if (deterministic) {
        det++;
        if (u === r.value) detSame++;
      }
      on.rampart += Number(r.value);
      on.flagd += Number(f.value);
      on.unleash += Number(u);
    });
    const share = (n: number) => n / users.length;
    const result: Agreement = {
      flag, rampartFlagd: same, unleashDeterministic: det === 0 ? 'n/a (every answer is a percentage)' : `${detSame}/${det}`,
      onShare: { rampart: share(on.rampart), flagd: share(on.flagd), unleash: share(on.unleash) },
    };
    if (same !== users.length) throw new Error(`Rampart and flagd-core disagree on ${users.length - same} users for ${flag}`);
    if (detSame !== det) throw new Error(`Unleash disagrees on ${det - detSame} rule-decided users for ${flag}`);
    // Unleash buckets with its own hash: only the share can match (2 points is > 4 standard errors here).
    if (Math.abs(result.onShare.unleash - result.onShare.rampart) > 0.02) throw new Error(`Unleash's share of "on" for ${flag} is off: ${JSON.stringify(result.onShare)}`);
    out.push(result);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Timed loops. One loop per engine, so that each call site stays monomorphic for its engine;
// each returns the count of "on" answers so that no work can be optimised away. Rampart reads
// the clock per call, as flagd-core does inside its evaluator.

let engines: Engines;

function loopRampart(flag: string, n: number): number {
  const set = engines.rampart;
  let on = 0;
  for (let i = 0; i < n; i++) if (evaluate(set, flag, 'boolean', false, users[i & mask], Date.now).value) on++;
  return on;
}

function loopFlagd(flag: string, n: number): number {
  const core = engines.flagd;
  let on = 0;
  for (let i = 0; i < n; i++) if (core.resolveBooleanEvaluation(flag, false, users[i & mask]).value) on++;
  return on;
}

function loopUnleash(flag: string, n: number): number {
  const client = engines.unleash;
  let on = 0;
  for (let i = 0; i < n; i++) if (client.isEnabled(flag, unleashUsers[i & mask])) on++;
  return on;
}

const engineLoops = [
  { name: 'Rampart evaluate()', loop: loopRampart },
  { name: '@openfeature/flagd-core 4', loop: loopFlagd },
  { name: 'unleash-client 6 (offline)', loop: loopUnleash },
] as const;

/** The clock read alone, which every Rampart evaluation above includes. */
function loopClock(_flag: string, n: number): number {
  let odd = 0;
  for (let i = 0; i < n; i++) odd += Date.now() & 1;
  return odd;
}

let sink = 0;

function timeLoop(loop: (flag: string, n: number) => number, flag: string, n: number): number {
  const t0 = process.hrtime.bigint();
  sink += loop(flag, n);
  return Number(process.hrtime.bigint() - t0) / n;
}

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

interface InProcessResult {
  flag: FlagKey;
  engine: string;
  nsPerOp: number;
  spread: string;
}

function runInProcess(): InProcessResult[] {
  const perCase = new Map<string, { n: number; samples: number[] }>();
  const id = (flag: string, engine: string) => `${flag}|${engine}`;
  // Warm-up (JIT tiers up) and calibration: each round of each case takes about roundMs.
  for (const flag of flagKeys) {
    for (const { name, loop } of engineLoops) {
      let n = 10_000;
      let ns = timeLoop(loop, flag, n);
      const deadline = performance.now() + 400;
      while (performance.now() < deadline) ns = timeLoop(loop, flag, (n = Math.max(10_000, Math.round((100e6 / ns) | 0))));
      perCase.set(id(flag, name), { n: Math.max(10_000, Math.round((roundMs * 1e6) / ns)), samples: [] });
    }
  }
  // Rounds interleave engines and rotate their order, so drift from other load hits all alike.
  for (let r = 0; r < rounds; r++) {
    for (const flag of flagKeys) {
      for (let k = 0; k < engineLoops.length; k++) {
        const { name, loop } = engineLoops[(k + r) % engineLoops.length] as (typeof engineLoops)[number];
        const c = perCase.get(id(flag, name)) as { n: number; samples: number[] };
        c.samples.push(timeLoop(loop, flag, c.n));
      }
    }
    process.stderr.write(`  in-process round ${r + 1}/${rounds}\n`);
  }
  const out: InProcessResult[] = [];
  for (const flag of flagKeys) {
    for (const { name } of engineLoops) {
      const { samples } = perCase.get(id(flag, name)) as { samples: number[] };
      out.push({ flag, engine: name, nsPerOp: median(samples), spread: `${Math.min(...samples).toFixed(0)}–${Math.max(...samples).toFixed(0)}` });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// OFREP over loopback. The server runs in this process; autocannon runs in a child process, so
// the two share the machine's two cores without sharing an event loop.

const ofrepBody = JSON.stringify({ context: { targetingKey: 'u-123' } });
const autocannonCli = resolve(import.meta.dirname, '../node_modules/autocannon/autocannon.js');

interface LoadResult {
  reqPerSec: number;
  p50: number;
  p99: number;
  total: number;
  non2xx: number;
  errors: number;
  serverCpu: number;
}

interface AutocannonJson {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}

function autocannon(url: string, headers: Record<string, string>, seconds: number): Promise<AutocannonJson> {
  const args = [autocannonCli, '-j', '-c', String(connections), '-d', String(seconds), '-m', 'POST', '-b', ofrepBody];
  for (const [k, v] of Object.entries(headers)) args.push('-H', `${k}=${v}`);
  args.push(url);
  return new Promise((ok, fail) => {
    execFile(process.execPath, args, { maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) fail(new Error(`autocannon failed: ${err.message}\n${stderr}`));
      else ok(JSON.parse(stdout) as AutocannonJson);
    });
  });
}

async function load(url: string, headers: Record<string, string>, seconds: number): Promise<LoadResult> {
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const r = await autocannon(url, headers, seconds);
  const cpu = process.cpuUsage(cpu0);
  const wallUs = (performance.now() - t0) * 1000;
  return {
    reqPerSec: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, total: r.requests.total,
    non2xx: r.non2xx, errors: r.errors + r.timeouts, serverCpu: (cpu.user + cpu.system) / wallUs,
  };
}

async function listen(server: Server): Promise<string> {
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

interface OfrepTarget {
  name: string;
  url: string;
  headers: Record<string, string>;
}

async function runOfrep(): Promise<{ rows: Array<{ name: string; r: LoadResult }>; checked: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-bench-flags-'));
  const configFile = join(dir, 'rampart.yaml');
  writeFileSync(configFile, 'flags: { ofrepRatePerSecond: 10000000 }\nauth: { bootstrapAdmin: false }\n');
  const rampart = await startServer({ env: {}, configFile, dataDir: dir, host: '127.0.0.1', port: 0, logger: createSilentLogger() });
  const { deps } = rampart.rampart;
  const hello = createServer((req, res) => {
    // Reads the request body, as any real endpoint must, then answers an OFREP-sized JSON body.
    req.resume();
    req.on('end', () => {
      const body = '{"key":"rollout-25","value":false,"reason":"TARGETING_MATCH","variant":"off","metadata":{}}';
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
      res.end(body);
    });
  });
  try {
    await deps.flags.set(ROLLOUT, { featureConfig: { name: ROLLOUT, rollout: { type: 'percentage', percentage: 25, sticky: true } } }, 'benchmark', { actor: 'bench' });
    const { key } = await deps.clientKeys.create({ name: 'bench' }, { actor: 'bench' });
    const targets: OfrepTarget[] = [
      { name: 'node:http hello world', url: await listen(hello), headers: { 'content-type': 'application/json' } },
      { name: 'Rampart OFREP single flag', url: `${rampart.url}/ofrep/v1/evaluate/flags/${ROLLOUT}`, headers: { 'content-type': 'application/json', 'x-api-key': key } },
    ];
    // The answer served over HTTP must be the in-process answer.
    const res = await fetch(targets[1]!.url, { method: 'POST', headers: targets[1]!.headers, body: ofrepBody });
    const served = (await res.json()) as { value?: unknown; variant?: unknown };
    const local = evaluate(deps.flags.current().flagSet, ROLLOUT, 'any', null, { targetingKey: 'u-123', environment: 'production' }, Date.now());
    if (res.status !== 200 || served.value !== local.value || served.variant !== local.variant) {
      throw new Error(`OFREP answered ${res.status} ${JSON.stringify(served)}, in process ${JSON.stringify(local)}`);
    }
    const checked = `OFREP answers ${res.status} ${JSON.stringify(served)} for u-123, the same as in process`;
    for (const t of targets) await load(t.url, t.headers, 2); // warm-up, discarded
    const rows: Array<{ name: string; r: LoadResult }> = [];
    for (let round = 0; round < ofrepRounds; round++) {
      for (const t of targets) {
        process.stderr.write(`  ${t.name}: ${ofrepSeconds} s at ${connections} connections…\n`);
        const r = await load(t.url, t.headers, ofrepSeconds);
        if (r.non2xx > 0 || r.errors > 0) throw new Error(`${t.name}: ${r.non2xx} non-2xx and ${r.errors} errors`);
        rows.push({ name: t.name, r });
      }
    }
    return { rows, checked };
  } finally {
    hello.close();
    await rampart.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------

const fmt = (n: number, digits = 0) => n.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const load1 = () => loadavg()[0] as number;

async function main(): Promise<void> {
  const loads: string[] = [`start ${load1().toFixed(2)}`];
  engines = await createEngines();
  const agreement = checkAgreement(engines, Date.now());
  process.stderr.write('engines agree; timing in process…\n');
  const inProcess = runInProcess();
  const clockNs = median(Array.from({ length: rounds }, () => timeLoop(loopClock, '', 1_000_000)));
  engines.unleash.destroy();
  loads.push(`after in-process ${load1().toFixed(2)}`);

  const inRows: Array<Record<string, string | number>> = [];
  const ratios: Array<Record<string, string | number>> = [];
  for (const flag of flagKeys) {
    const rows = inProcess.filter((r) => r.flag === flag);
    const ours = rows[0] as InProcessResult;
    const bestPeer = rows.slice(1).reduce((a, b) => (a.nsPerOp <= b.nsPerOp ? a : b));
    for (const r of rows) {
      inRows.push({ flag: flagLabel[flag], engine: r.engine, 'ops/s (median)': fmt(1e9 / r.nsPerOp), 'ns/op (median)': r.nsPerOp.toFixed(0), 'ns/op range': r.spread });
    }
    const ratio = bestPeer.nsPerOp / ours.nsPerOp;
    ratios.push({ flag: flagLabel[flag], 'fastest peer': bestPeer.engine, 'Rampart ÷ fastest peer': `${ratio.toFixed(2)}×`, 'goal ≥ 1.5×': ratio >= 1.5 ? 'met' : 'NOT met' });
  }
  const agreeRows = agreement.map((a) => ({
    flag: flagLabel[a.flag], 'Rampart = flagd-core (value, variant, reason)': `${a.rampartFlagd}/${users.length}`,
    'Unleash = Rampart where rules decide': a.unleashDeterministic,
    'share on: Rampart / flagd-core / Unleash': `${(a.onShare.rampart * 100).toFixed(1)} % / ${(a.onShare.flagd * 100).toFixed(1)} % / ${(a.onShare.unleash * 100).toFixed(1)} %`,
  }));

  process.stderr.write('OFREP over loopback…\n');
  const ofrep = await runOfrep();
  loads.push(`after OFREP ${load1().toFixed(2)}`);
  const byName = (name: string) => ofrep.rows.filter((r) => r.name === name).map((r) => r.r);
  const ofrepRows = ofrep.rows.map(({ name, r }) => ({
    server: name, 'req/s': fmt(r.reqPerSec), 'p50 ms': r.p50, 'p99 ms': r.p99, requests: r.total, 'server CPU': `${(r.serverCpu * 100).toFixed(0)} %`,
  }));
  const med = (name: string) => median(byName(name).map((r) => r.reqPerSec));
  const ofrepRatio = med('Rampart OFREP single flag') / med('node:http hello world');
  const busy = Math.max(...loads.map((l) => Number(l.split(' ').pop())));

  const body = [
    `### In-process evaluation (${users.length.toLocaleString('en')} users cycled, ${rounds} interleaved rounds of ~${roundMs} ms after a warm-up; median)`,
    '',
    'Same three flags in all engines. Rampart and flagd-core read the same flagd JSON (compiled by Rampart from its `featureConfig` form); Unleash gets',
    '`default` (a), `flexibleRollout` 25 % sticky on userId (b), and `userWithId` OR `default` with constraint `plan IN [enterprise]` OR `flexibleRollout` 10 % (c),',
    'strategies that Unleash ORs. Calls: `evaluate(flagSet, key, "boolean", false, ctx, Date.now)`, `FlagdCore#resolveBooleanEvaluation(key, false, ctx)`,',
    '`Unleash#isEnabled(key, ctx)` (metrics disabled, no server: bootstrap data, in-memory storage, refreshInterval 0).',
    '',
    table(inRows),
    '',
    table(ratios),
    '',
    `Reading the clock (\`Date.now()\`) costs ${clockNs.toFixed(0)} ns here. Like flagd-core, Rampart now reads it only for flags with targeting: callers pass`,
    'the clock function (`Date.now`), as the OpenFeature provider and the OFREP route do.',
    '',
    'Answers checked on every user before timing (the run aborts on any mismatch):',
    '',
    table(agreeRows),
    '',
    'Unleash hashes its own way (murmur3 of `groupId:userId` mod 100), so in percentage-decided cases only the share can match, not the user.',
    '',
    `### OFREP single-flag throughput (autocannon in a child process, ${connections} connections, ${ofrepSeconds} s × ${ofrepRounds} rounds after a 2 s warm-up each, loopback)`,
    '',
    `\`POST /ofrep/v1/evaluate/flags/${ROLLOUT}\` with \`X-API-Key\` and body \`${ofrepBody}\`, against a bare \`node:http\` server that reads the body and answers`,
    'an OFREP-sized JSON body. Rampart runs as `startServer` (SQLite in a temp dir, silent logger, `flags.ofrepRatePerSecond: 10000000`). ' + ofrep.checked + '.',
    '',
    table(ofrepRows),
    '',
    `Rampart ÷ hello world (median req/s): **${ofrepRatio.toFixed(2)}×** (goal ≥ 0.6×: ${ofrepRatio >= 0.6 ? 'met' : 'NOT met'}).`,
    '',
    `Load average (1 min) on this 2-core machine: ${loads.join(', ')}.` +
      (busy > 1 ? ' **Above 1: other work was running during this run; absolute numbers are depressed and noisier, ratios less so (interleaved rounds).**' : ''),
  ].join('\n');
  writeSection('flags', 'npm run bench -- flags', body);
  process.stdout.write(`${body}\n`);
  if (sink < 0) process.stdout.write('unreachable\n');
}

await main();
