/**
 * Time from a failing verdict to 100 % stable traffic on the built-in proxy, and from a fault
 * injected into a live canary to restored traffic with 1-second measurements. Real processes
 * (the demo service), the real proxy, Rampart's own services in process.
 *
 *   npm run bench -- rollback
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { loadRolloutSpecs } from '../src/config/rollout/index.js';
import { errorRateTemplate } from '../src/demo/error-rate-template.js';
import { writeGoodEvidence } from '../src/demo/release-evidence.js';
import { createRampart } from '../src/main.js';
import { createSilentLogger } from '../src/platform/logger.js';
import { freePort } from '../src/testing/ports.js';
import { table, writeSection } from './results.js';

const demo = resolve(import.meta.dirname, '../examples/demo-service/server.mjs');
const trials = Number(process.env.BENCH_TRIALS ?? 5);


function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? Number.NaN;
}

async function main() {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-bench-rollback-'));
  writeFileSync(join(dir, 'launch.mjs'), `if ((process.env.VERSION ?? '').startsWith('bad-')) process.env.ERROR_RATE = '0.5';\nawait import(${JSON.stringify(demo)});\n`);
  writeFileSync(join(dir, 'verdict.yaml'), errorRateTemplate('verdict', { interval: '1s', count: 60, failureLimit: 0, below: 0.05, window: '3s' }));
  const proxyPort = await freePort();
  const good = writeGoodEvidence(dir, [
    // Every trial rolls back once: lift the "fewer than 2 rollbacks in 24 h" block for the bench.
    '  thresholds: { defaults: { rollbacks24hBlockAt: 1000 } }',
    '  windows:', '    - { name: always, kind: allow, schedule: "* * * * *", duration: 1m }',
    'traffic:', '  services:', '    - service: api', `      port: ${proxyPort}`, '      stable: { version: v1 }',
    '      runtime:', '        type: process', '        config:',
    `          command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(join(dir, 'launch.mjs'))}]`,
    '          env: { PORT: "{{port}}", VERSION: "{{version}}" }', '',
  ].join('\n'));
  const rampart = await createRampart({ env: {}, configFile: good.configFile, dataDir: join(dir, 'data'), logger: createSilentLogger() });
  const { releases, rollouts, traffic, audit } = rampart.deps;
  const spec = loadRolloutSpecs(['strategy:', '  canary:', '    steps:', '      - setWeight: 50', '      - analysis:', `          templates: [{ templateName: ${JSON.stringify(join(dir, 'verdict.yaml'))} }]`, '      - setWeight: 100', ''].join('\n'), 's.yaml').rollouts[0]!.spec;
  await releases.putSloStatus('api', { errorBudgetRemainingPct: 80, fastBurnRate: 0.3 }, { actor: 'bench' });
  const evidence = readdirSync(good.evidenceDir).map((name) => ({ name, content: readFileSync(join(good.evidenceDir, name)) }));
  let loading = true;
  const load = (async () => {
    while (loading) {
      await fetch(`http://127.0.0.1:${proxyPort}/api/items`).then((r) => r.arrayBuffer(), () => undefined);
      await new Promise((r) => setTimeout(r, 5));
    }
  })();
  async function start(version: string) {
    const r = await releases.create({ service: 'api', version, environment: 'production', kind: 'feature', evidence, steps: good.steps }, { actor: 'bench' });
    await releases.approve(r.id, { actor: 'bench:rc', roles: ['release-captain'] }, undefined);
    await rollouts.setVersion('api', version, { actor: 'bench' }, { releaseId: r.id, spec });
  }
  async function eventTime(action: string, since: string): Promise<number> {
    for (;;) {
      await audit.drain();
      const e = (await audit.list({ action, since, limit: 1 }))[0];
      if (e) return Date.parse(e.time);
      await new Promise((r) => setTimeout(r, 20));
    }
  }
  try {
    const verdictToStable: number[] = [];
    const faultToRestored: number[] = [];
    for (let i = 0; i < trials; i++) {
      // (a) A bad canary: its first measurement fails the analysis; the rollout reverts traffic.
      const since = new Date().toISOString();
      await start(`bad-${i}`);
      const finished = await eventTime('analysis.finish', since);
      const aborted = await eventTime('rollout.aborted', since);
      verdictToStable.push(aborted - finished);
      // (b) A good canary at 50 % under analysis; then every canary request fails (fault injection).
      const since2 = new Date().toISOString();
      await start(`good-${i}`);
      for (;;) {
        const s = await rollouts.status('api');
        if (s.status.weights.canary === 50 && Object.keys(s.analysisRuns).length > 0) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      await new Promise((r) => setTimeout(r, 2500));
      const injected = Date.now();
      await traffic.inject('api', `good-${i}`, { abortShare: 1, abortStatus: 503, durationMs: 60_000 }, { actor: 'bench' });
      const restored = await eventTime('rollout.aborted', since2);
      faultToRestored.push(restored - injected);
    }
    const load1 = loadavg()[0]!;
    const body = [
      `${trials} trials each; the demo service as real processes behind the built-in proxy with ~200 requests/s of load; analysis measures every 1 s over a 3 s window. Load average at the end ${load1.toFixed(2)}${load1 > 1 ? ' (other work was running: figures are pessimistic)' : ''}.`,
      '',
      table([
        { measure: 'failing verdict → 100 % stable (analysis.finish → rollout.aborted recorded, after the proxy weight change)', median: `${median(verdictToStable).toFixed(0)} ms`, max: `${Math.max(...verdictToStable).toFixed(0)} ms`, goal: '< 100 ms' },
        { measure: 'fault injected into the live canary → traffic restored to stable', median: `${(median(faultToRestored) / 1000).toFixed(2)} s`, max: `${(Math.max(...faultToRestored) / 1000).toFixed(2)} s`, goal: '< 10 s (spec: 2 min)' },
      ]),
      '',
      'The issue\'s third figure, 500 concurrent simulated rollouts on one process (reconcile lag p99), is in the rollout-lag section.',
    ].join('\n');
    writeSection('rollback', 'npm run bench -- rollback', body);
    process.stdout.write(`${body}\n`);
  } finally {
    loading = false;
    await load;
    await rampart.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
