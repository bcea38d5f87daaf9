import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type UpProcess, runRampart, startUp, waitExit } from '../../src/testing/cli.js';
import { freePort } from '../../src/testing/ports.js';
import { writeGoodEvidence } from '../../src/testing/release-evidence.js';
import { apiClient, until } from '../../src/testing/poll.js';

const demo = resolve(import.meta.dirname, '../../examples/demo-service/server.mjs');
const admin = 'rpt_synthetic-rollout-admin-token-00000000';

interface Measurement { phase: string; value?: unknown; query?: string; message?: string }
interface Run { id: string; phase: string; state: { phase: string; results: Array<{ name: string; measurements: Measurement[] }> } }

describe('synthetic checks against the demo service feed analysis, gates and rollouts (real processes)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-synthetic-rollout-'));
  let up: UpProcess | undefined;
  afterAll(async () => {
    if (up) {
      up.child.kill('SIGTERM');
      await waitExit(up.child);
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('a good version passes; a version whose /graphql fails fails the check, the synthetic-check template and aborts its rollout', async () => {
    // Versions exit with Rampart (as under a supervisor); a version named *broken-graphql answers 500 on /graphql.
    writeFileSync(join(dir, 'launch.mjs'), [
      'const parent = process.ppid;',
      'setInterval(() => { if (process.ppid !== parent) process.exit(0); }, 200).unref();',
      "if ((process.env.VERSION ?? '').includes('broken-graphql')) process.env.GRAPHQL_BROKEN = '1';",
      `await import(${JSON.stringify(demo)});`, '',
    ].join('\n'));
    const proxyPort = await freePort();
    const proxy = `http://127.0.0.1:${proxyPort}`;
    const good = writeGoodEvidence(dir, [
      '  windows:', '    - { name: always, kind: allow, schedule: "* * * * *", duration: 1m }',
      'traffic:', '  services:', '    - service: api', `      port: ${proxyPort}`, '      stable: { version: v1 }',
      '      runtime:', '        type: process', '        config:',
      `          command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(join(dir, 'launch.mjs'))}]`,
      '          env: { PORT: "{{port}}", VERSION: "{{version}}" }',
      // Every second, so the test need not wait for the spec's two minutes.
      'safeguards:', '  synthetics:', `    - { service: api, url: "${proxy}", schedule: "* * * * * *", checks: [health, graphql] }`, '',
    ].join('\n'));
    writeFileSync(join(dir, 'strategy.yaml'), ['strategy:', '  canary:', '    steps:', '      - setWeight: 20', '      - pause: { duration: 600 }', '      - setWeight: 100', ''].join('\n'));
    up = await startUp(['--port', String(await freePort()), '--data-dir', join(dir, 'data'), '--config', good.configFile], { RAMPART_ADMIN_TOKEN: admin });
    const env = { RAMPART_SERVER: up.url, RAMPART_TOKEN: admin };
    const api = apiClient(() => up!.url, admin);
    const results = async (version: string) =>
      (JSON.parse((await runRampart(['synthetic', 'list', '--service', 'api', '--limit', '50', '--output', 'json'], env)).stdout) as Array<{ version?: string; check: string; ok: boolean; message: string }>)
        .filter((r) => r.version === version);
    const syntheticCheck = (version: string) => api<Run>('/api/v1/analysis-runs', { method: 'POST', body: { templates: [{ name: 'synthetic-check', form: 'builtin' }], args: { service: 'api', version } } });
    const firstMeasurement = (run: Run) => run.state.results[0]?.measurements[0];

    // 1. The good stable version: the scheduled checks pass against it, and so does the template's first measurement.
    const v1 = await until(() => results('v1'), (rs) => rs.some((r) => r.check === 'graphql'));
    expect(v1.find((r) => r.check === 'health')).toMatchObject({ ok: true });
    expect(v1.find((r) => r.check === 'graphql')).toMatchObject({ ok: true, message: 'POST /graphql { __typename } answered Query' });
    const passing = await syntheticCheck('v1');
    const measured = await until(() => api<Run>(`/api/v1/analysis-runs/${passing.id}`), (r) => firstMeasurement(r) !== undefined);
    expect(firstMeasurement(measured)).toMatchObject({ phase: 'Successful', value: 1 });
    expect(measured.phase).toBe('Running');
    await api(`/api/v1/analysis-runs/${passing.id}/terminate`, { method: 'POST', body: {} });
    // /metrics: the per-version synthetic results, and CPU and memory of the v1 process the process runtime started.
    const metrics = await until(() => fetch(`${up!.url}/metrics`).then((r) => r.text()), (t) => /^process_cpu_ratio\{service="api",version="v1"\}/m.test(t), 30_000);
    expect(metrics).toContain('synthetic_check_success{service="api",check="graphql",version="v1"} 1');
    expect(metrics).toMatch(/^process_memory_ratio\{service="api",version="v1"\} 0\.\d+/m);
    expect(metrics).toMatch(/^process_cpu_ratio\{service="api",version="v1"\} [\d.e-]+$/m);

    // 2. The broken version rolls out: the gates allow it (golden_path given as passing), its canary gets traffic.
    const captain = (await runRampart(['token', 'create', '--name', 'rc', '--role', 'release-captain'], env)).stdout.trim();
    expect((await runRampart(['services', 'slo-status', 'api', '--remaining', '80', '--burn', '0.2'], env)).code).toBe(0);
    const check = await runRampart(['gate', 'check', '--service', 'api', '--version', 'v2-broken-graphql', '--evidence', good.evidenceDir, '--step', ...good.steps, '--output', 'json'], env);
    const release = (JSON.parse(check.stdout) as { release: string }).release;
    const approved = await runRampart(['gate', 'approve', release], { ...env, RAMPART_TOKEN: captain });
    expect(approved.code, `${check.stdout}\n${approved.stdout}${approved.stderr}`).toBe(0);
    expect((await runRampart(['rollout', 'set-version', 'api', 'v2-broken-graphql', '--release', release, '--strategy-file', join(dir, 'strategy.yaml')], env)).code).toBe(0);

    // 3. The synthetic check against the canary's version fails, and the rollout aborts naming it.
    const statusOf = async () => JSON.parse((await runRampart(['rollout', 'status', 'api', '--output', 'json'], env)).stdout) as { status: { phase: string; weights: { canary: number }; abort?: { reason: string; actor: string } } };
    const aborted = await until(statusOf, (s) => s.status.phase === 'Aborted');
    expect(aborted.status.phase).toBe('Aborted');
    expect(aborted.status.abort).toMatchObject({ actor: 'auto-controller', reason: expect.stringMatching(/^synthetic check failed: graphql: POST \/graphql answered 500/) });
    expect(aborted.status.weights.canary).toBe(0);
    const v2 = await results('v2-broken-graphql');
    expect(v2.find((r) => r.check === 'graphql')).toMatchObject({ ok: false, message: expect.stringMatching(/^POST \/graphql answered 500/) });
    expect(v2.find((r) => r.check === 'health')).toMatchObject({ ok: true });
    for (let i = 0; i < 10; i++) expect((await fetch(`${proxy}/api/items`)).headers.get('x-version')).toBe('v1');

    // 4. The shipped synthetic-check template (builtin form) fails on the broken version's stored runs.
    const failing = await syntheticCheck('v2-broken-graphql');
    // A new run is Pending until its first reconcile: wait for a verdict, not just for 'not Running'.
    const failed = await until(() => api<Run>(`/api/v1/analysis-runs/${failing.id}`), (r) => r.phase !== 'Pending' && r.phase !== 'Running');
    expect(failed.phase).toBe('Failed');
    expect(firstMeasurement(failed)).toMatchObject({ phase: 'Failed', value: 0, query: expect.stringContaining('graphql: POST /graphql answered 500') });

    // 5. A new release of that version without a golden_path of its own gets it from the synthetic run: fail.
    const steps = good.steps.filter((s) => !s.startsWith('golden_path'));
    const again = await runRampart(['gate', 'check', '--service', 'api', '--version', 'v2-broken-graphql', '--evidence', good.evidenceDir, '--step', ...steps, '--output', 'json'], env);
    const decided = await api<{ allow: boolean; decision: { checks: Array<{ checks: Array<{ id: string; result: string; source: string | null }> }> } }>(`/api/v1/releases/${(JSON.parse(again.stdout) as { release: string }).release}`);
    const goldenPath = decided.decision.checks.flatMap((g) => g.checks).find((c) => c.id === 'quality.golden_path');
    expect(goldenPath).toMatchObject({ result: 'fail', source: expect.stringMatching(/^api:synthetic run against api v2-broken-graphql at .* \(failed: graphql: POST \/graphql answered 500/) });
    expect(decided.allow).toBe(false);
  }, 180_000);
});
