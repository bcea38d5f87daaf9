import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type UpProcess, runRampart, startUp, waitExit } from '../../src/testing/cli.js';
import { freePort } from '../../src/testing/ports.js';

const admin = 'rpt_flags-cli-admin-token-00000000000';

describe('rampart flags', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-flags-cli-'));
  let up: UpProcess;
  let env: Record<string, string>;

  beforeAll(async () => {
    up = await startUp(['--port', String(await freePort()), '--data-dir', dir], { RAMPART_ADMIN_TOKEN: admin });
    env = { RAMPART_SERVER: up.url, RAMPART_TOKEN: admin };
  });
  afterAll(async () => {
    up.child.kill('SIGTERM');
    await waitExit(up.child);
    rmSync(dir, { recursive: true, force: true });
  });

  it('sets a featureConfig flag from YAML, raises its rollout, shows the history and evaluates', async () => {
    expect((await runRampart(['flags', 'segment', 'set', 'beta-testers', '--member', 'u-beta'], env)).code).toBe(0);
    const file = join(dir, 'search.yaml');
    writeFileSync(file, 'name: search\nrollout: { type: percentage, percentage: 5, sticky: true }\ntargeting: { allowList: [beta-testers] }\n');
    const set = await runRampart(['flags', 'set', 'search', '--file', file, '--reason', 'launch'], env);
    expect(set).toMatchObject({ code: 0, stdout: expect.stringMatching(/search is now version 1 \(rollout 5%\)/) });
    const raised = await runRampart(['flags', 'set', 'search', '--percentage', '25', '--reason', 'widen'], env);
    expect(raised.stdout).toMatch(/version 2 \(rollout 25%\)/);
    const history = await runRampart(['flags', 'history', 'search'], env);
    expect(history.stdout).toMatch(/v2 .* token:admin \(RAMPART_ADMIN_TOKEN\) +"widen"/);
    expect(history.stdout).toMatch(/500 → 2500/);
    const ev = await runRampart(['flags', 'eval', 'search', '--context', '{"targetingKey":"u-beta"}', '--output', 'json'], env);
    expect(JSON.parse(ev.stdout)).toMatchObject({ value: true, reason: 'TARGETING_MATCH' });
    const list = await runRampart(['flags', 'list'], env);
    expect(list.stdout).toMatch(/search\s+ENABLED\s+on,off\s+off\s+25%\s+armed/);
  });

  it('rejects bad input with exit 2 and names the problem', async () => {
    const missing = await runRampart(['flags', 'set', 'x', '--file', join(dir, 'nope.yaml'), '--reason', 'r'], env);
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringMatching(/nope\.yaml: file not found/) });
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, 'state: ENABLED\nvariants: [\n');
    expect((await runRampart(['flags', 'set', 'x', '--file', broken, '--reason', 'r'], env)).stderr).toMatch(/broken\.yaml:3:1: not valid JSON or YAML/);
    const invalid = join(dir, 'invalid.json');
    writeFileSync(invalid, JSON.stringify({ state: 'ENABLED', variants: { a: 1 }, defaultVariant: 'b' }));
    const r = await runRampart(['flags', 'set', 'x', '--file', invalid, '--reason', 'r'], env);
    expect(r).toMatchObject({ code: 2, stderr: expect.stringMatching(/field defaultVariant: "b" is not one of the variants/) });
    expect((await runRampart(['flags', 'eval', 'x', '--context', '{oops'], env))).toMatchObject({ code: 2, stderr: expect.stringMatching(/--context must be JSON/) });
    expect((await runRampart(['flags', 'set', 'x', '--file', invalid], env)).code).toBe(2);
  });

  it('creates a client key that evaluates over OFREP and cannot manage flags', async () => {
    const created = await runRampart(['flags', 'client-key', 'create', '--name', 'web'], env);
    const key = created.stdout.trim();
    expect(key).toMatch(/^rck_/);
    const res = await fetch(`${up.url}/ofrep/v1/evaluate/flags/search`, { method: 'POST', headers: { 'x-api-key': key, 'content-type': 'application/json' }, body: '{"context":{"targetingKey":"u-beta"}}' });
    expect(await res.json()).toMatchObject({ key: 'search', value: true });
    expect((await runRampart(['flags', 'disable', 'search', '--reason', 'x'], { ...env, RAMPART_TOKEN: key })).code).toBe(1);
  });
});
