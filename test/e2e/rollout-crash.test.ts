import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type UpProcess, runRampart, startUp, waitExit } from '../../src/testing/cli.js';
import { freePort } from '../../src/testing/ports.js';
import { writeGoodEvidence } from '../../src/testing/release-evidence.js';

const demo = resolve(import.meta.dirname, '../../examples/demo-service/server.mjs');
const admin = 'rpt_rollout-crash-admin-token-000000000';

describe('kill -9 during a rollout', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-rollout-crash-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('resumes after every kill, promotes exactly once, traffic matches the status, audit verifies', async () => {
    // Versions exit when their parent (Rampart) dies, as a supervisor would make them.
    writeFileSync(join(dir, 'launch.mjs'), `const parent = process.ppid;\nsetInterval(() => { if (process.ppid !== parent) process.exit(0); }, 200).unref();\nawait import(${JSON.stringify(demo)});\n`);
    const proxyPort = await freePort();
    const proxy = `http://127.0.0.1:${proxyPort}`;
    const good = writeGoodEvidence(dir, [
      '  windows:', '    - { name: always, kind: allow, schedule: "* * * * *", duration: 1m }',
      'traffic:', '  services:', '    - service: api', `      port: ${proxyPort}`, '      stable: { version: v1 }',
      '      runtime:', '        type: process', '        config:',
      `          command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(join(dir, 'launch.mjs'))}]`,
      '          env: { PORT: "{{port}}", VERSION: "{{version}}" }', '',
    ].join('\n'));
    writeFileSync(join(dir, 'strategy.yaml'), ['strategy:', '  canary:', '    steps:',
      ...[10, 25, 50, 75].flatMap((w) => [`      - setWeight: ${w}`, '      - pause: { duration: 2 }']), '      - setWeight: 100', ''].join('\n'));
    const args = ['--port', String(await freePort()), '--data-dir', join(dir, 'data'), '--config', good.configFile];
    let up: UpProcess = await startUp(args, { RAMPART_ADMIN_TOKEN: admin });
    const env = { RAMPART_SERVER: up.url, RAMPART_TOKEN: admin };
    const captain = (await runRampart(['token', 'create', '--name', 'rc', '--role', 'release-captain'], env)).stdout.trim();
    expect((await runRampart(['services', 'slo-status', 'api', '--remaining', '80', '--burn', '0.2'], env)).code).toBe(0);
    const check = await runRampart(['gate', 'check', '--service', 'api', '--version', 'v2', '--evidence', good.evidenceDir, '--step', ...good.steps, '--output', 'json'], env);
    const release = JSON.parse(check.stdout).release as string;
    expect((await runRampart(['gate', 'approve', release], { ...env, RAMPART_TOKEN: captain })).code).toBe(0);
    expect((await runRampart(['rollout', 'set-version', 'api', 'v2', '--release', release, '--strategy-file', join(dir, 'strategy.yaml')], env)).code).toBe(0);

    const statusOf = async () => JSON.parse((await runRampart(['rollout', 'status', 'api', '--output', 'json'], env)).stdout) as { status: { phase: string; weights: { canary: number; stable: number } } };
    // Kill at scattered instants across the rollout's ten seconds of steps, restarting each time.
    for (const delay of [700, 1900, 1300, 2600]) {
      await new Promise((r) => setTimeout(r, delay));
      up.child.kill('SIGKILL');
      await waitExit(up.child);
      up = await startUp(args, { RAMPART_ADMIN_TOKEN: admin });
      env.RAMPART_SERVER = up.url;
      const s = await statusOf();
      expect(['Pending', 'Progressing', 'Paused', 'Healthy']).toContain(s.status.phase);
      expect(s.status.weights.canary + s.status.weights.stable).toBe(100);
    }
    const deadline = Date.now() + 60_000;
    let final = await statusOf();
    while (final.status.phase !== 'Healthy' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 300));
      final = await statusOf();
    }
    expect(final.status.phase).toBe('Healthy');
    for (let i = 0; i < 10; i++) expect((await fetch(`${proxy}/api/items`)).headers.get('x-version')).toBe('v2');
    const promoted = JSON.parse((await runRampart(['audit', 'list', '--action', 'rollout.promoted', '--output', 'json'], env)).stdout) as unknown[];
    expect(promoted).toHaveLength(1);
    up.child.kill('SIGTERM');
    await waitExit(up.child);
    expect((await runRampart(['audit', 'verify', '--data-dir', join(dir, 'data')], {})).code).toBe(0);
  }, 180_000);
});
