import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type UpProcess, runRampart, startUp, waitExit } from '../../src/testing/cli.js';
import { freePort } from '../../src/testing/ports.js';
import { writeGoodEvidence } from '../../src/testing/release-evidence.js';
import { until } from '../../src/testing/poll.js';

const demo = resolve(import.meta.dirname, '../../examples/demo-service/server.mjs');
const admin = 'rpt_resilience-canary-admin-token-000000';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('resilience probe as a canary step (real processes)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-resilience-step-'));
  const apps: ChildProcess[] = [];
  let up: UpProcess | undefined;
  afterAll(async () => {
    for (const p of [up?.child, ...apps]) {
      if (p && p.exitCode === null && p.signalCode === null) {
        p.kill('SIGTERM');
        await waitExit(p);
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('the canary step injects latency into the canary only; its breakers open, the probe fails and the rollout aborts', async () => {
    const start = async (version: string) => {
      const port = await freePort();
      apps.push(spawn(process.execPath, [demo], { env: { ...process.env, PORT: String(port), VERSION: version, BREAKER_RESET_MS: '30000' }, stdio: 'ignore' }));
      const url = `http://127.0.0.1:${port}`;
      await until(() => fetch(`${url}/health`).then((r) => r.ok, () => false), (ok) => ok, 10_000);
      return url;
    };
    const [v1, v2] = [await start('v1'), await start('v2')];
    const proxyPort = await freePort();
    const proxy = `http://127.0.0.1:${proxyPort}`;
    const good = writeGoodEvidence(dir, [
      '  windows:', '    - { name: always, kind: allow, schedule: "* * * * *", duration: 1m }',
      'traffic:', '  services:', '    - service: api', `      port: ${proxyPort}`, '      stable: { version: v1 }',
      '      runtime:', '        type: static-url', `        config: { versions: { v1: "${v1}", v2: "${v2}" } }`, '',
    ].join('\n'));
    writeFileSync(join(dir, 'strategy.yaml'), ['strategy:', '  canary:', '    steps:', '      - setWeight: 50',
      '      - analysis:', '          templates: [{ templateName: resilience-probe }]', '          args: [{ name: duration, value: 4s }]', '      - setWeight: 100', ''].join('\n'));
    up = await startUp(['--port', String(await freePort()), '--data-dir', join(dir, 'data'), '--config', good.configFile], { RAMPART_ADMIN_TOKEN: admin });
    const env = { RAMPART_SERVER: up.url, RAMPART_TOKEN: admin };
    const breakersOf = async (url: string) => ((await (await fetch(`${url}/health/detailed`)).json()) as { circuitBreakers: Array<{ state: string }> }).circuitBreakers.map((b) => b.state);

    const load = { stop: false };
    const loops = Promise.all(['/api/items', '/api/items', '/api/search?q=1', '/api/search?q=2'].map(async (path) => {
      while (!load.stop) await fetch(`${proxy}${path}`).then((r) => r.arrayBuffer(), () => sleep(50));
    }));
    try {
      const captain = (await runRampart(['token', 'create', '--name', 'rc', '--role', 'release-captain'], env)).stdout.trim();
      expect((await runRampart(['services', 'slo-status', 'api', '--remaining', '80', '--burn', '0.2'], env)).code).toBe(0);
      const check = await runRampart(['gate', 'check', '--service', 'api', '--version', 'v2', '--evidence', good.evidenceDir, '--step', ...good.steps, '--output', 'json'], env);
      const release = (JSON.parse(check.stdout) as { release: string }).release;
      expect((await runRampart(['gate', 'approve', release], { ...env, RAMPART_TOKEN: captain })).code).toBe(0);
      expect((await runRampart(['rollout', 'set-version', 'api', 'v2', '--release', release, '--strategy-file', join(dir, 'strategy.yaml')], env)).code).toBe(0);

      const statusOf = async () => JSON.parse((await runRampart(['rollout', 'status', 'api', '--output', 'json'], env)).stdout) as { status: { phase: string; abort?: { reason: string } } };
      const aborted = await until(statusOf, (s) => s.status.phase === 'Aborted');
      expect(aborted.status.phase).toBe('Aborted');
      expect(aborted.status.abort?.reason).toMatch(/^analysis at step 2 \S+ \(resilience-probe\) Failed: .*circuit-breaker-test/);
      // The latency went to the canary only: its breakers opened, the stable's stayed closed.
      expect(await breakersOf(v2)).toContain('open');
      expect(await breakersOf(v1)).toEqual(['closed', 'closed']);
      const faults = (await (await fetch(`${up.url}/api/v1/services/api/faults`, { headers: { authorization: `Bearer ${admin}` } })).json()) as { faults: unknown[] };
      expect(faults.faults).toEqual([]);
    } finally {
      load.stop = true;
      await loops;
    }
  }, 180_000);
});
