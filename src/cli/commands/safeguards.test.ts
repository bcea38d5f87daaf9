import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type UpProcess, runRampart, startUp, waitExit } from '../../testing/cli.js';
import { freePort } from '../../testing/ports.js';

const demo = resolve(import.meta.dirname, '../../../examples/demo-service/server.mjs');
const admin = 'rpt_safeguards-cli-admin-token-000000000';

async function startDemo(env: Record<string, string>): Promise<{ url: string; proc: ChildProcess }> {
  const port = await freePort();
  const proc = spawn(process.execPath, [demo], { env: { ...process.env, PORT: String(port), ...env }, stdio: 'ignore' });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${url}/health`)).ok) return { url, proc };
    } catch {
      // not up yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('demo never became healthy');
}

describe('rampart synthetic, services health and alerts (built CLI, real server)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-safeguards-cli-'));
  const apps: Array<{ url: string; proc: ChildProcess }> = [];
  let up: UpProcess;
  const cli = (args: string[]) => runRampart(args, { RAMPART_SERVER: up.url, RAMPART_TOKEN: admin });

  beforeAll(async () => {
    apps.push(await startDemo({ VERSION: 'good' }), await startDemo({ VERSION: 'bad', ERROR_RATE: '1' }));
    const config = join(dir, 'rampart.yaml');
    writeFileSync(config, [
      'safeguards:',
      '  synthetics:',
      `    - { service: api, url: "${apps[0]!.url}" }`,
      `    - { service: copilot, url: "${apps[1]!.url}", schedule: "0 0 1 1 *" }`,
    ].join('\n'));
    up = await startUp(['--port', String(await freePort()), '--data-dir', join(dir, 'data'), '--config', config], { RAMPART_ADMIN_TOKEN: admin });
  }, 30_000);
  afterAll(async () => {
    up?.child.kill('SIGTERM');
    if (up) await waitExit(up.child);
    for (const a of apps) a.proc.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  });

  it('synthetic run passes on the good version (exit 0) and fails on the one whose /graphql fails (exit 1)', async () => {
    const good = await cli(['synthetic', 'run', 'api']);
    expect(good.code).toBe(0);
    expect(good.stdout).toMatch(/api\s+health\s+PASS/);
    expect(good.stdout).toMatch(/api\s+graphql\s+PASS/);
    const bad = await cli(['synthetic', 'run', 'copilot']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/copilot\s+graphql\s+FAIL\s+\d+ms\s+POST \/graphql answered 500/);
    expect(bad.stderr).toContain('1 check(s) failed');
    const list = await cli(['synthetic', 'list', '--service', 'copilot', '--output', 'json']);
    const rows = JSON.parse(list.stdout) as Array<{ check: string; ok: boolean }>;
    expect(rows.find((r) => r.check === 'graphql')?.ok).toBe(false);
    expect((await cli(['synthetic', 'run', 'nope'])).code).toBe(2);
  });

  it('services health shows a table with the status and, for one service, the reasons', async () => {
    const r = await cli(['services', 'health', 'api']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^SERVICE\s+TIER\s+STATUS\s+ERRORS\s+P95\s+CPU\s+MEMORY\s+BURN$/m);
    expect(r.stdout).toMatch(/^api\s+1\s+UNKNOWN/m);
    expect(r.stdout).toContain('- error rate (5xx): not measured');
    const all = JSON.parse((await cli(['services', 'health', '--output', 'json'])).stdout) as Array<{ service: string }>;
    expect(all.map((s) => s.service)).toContain('copilot');
  });

  it('alerts lists none on a fresh server', async () => {
    const r = await cli(['alerts']);
    expect(r.code).toBe(0);
    expect(r.stdout.trim()).toBe('(none)');
  });
});
