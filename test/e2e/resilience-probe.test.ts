import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type UpProcess, startUp, waitExit } from '../../src/testing/cli.js';
import { freePort } from '../../src/testing/ports.js';
import { apiClient, until } from '../../src/testing/poll.js';

const demo = resolve(import.meta.dirname, '../../examples/demo-service/server.mjs');
const admin = 'rpt_resilience-probe-admin-token-0000000';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Run { id: string; phase: string; state: { results: Array<{ measurements: Array<{ phase: string; value?: unknown; query?: string; message?: string }> }> } }
interface ApiAnswer { status: number; dependencyLatencyMs?: number; degraded?: boolean }

describe('resilience probe end to end (real processes): breakers open under injected latency, and the fault never outlives Rampart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-resilience-'));
  let app: ChildProcess | undefined;
  let up: UpProcess | undefined;
  afterAll(async () => {
    for (const p of [up?.child, app]) {
      if (p && p.exitCode === null && p.signalCode === null) {
        p.kill('SIGTERM');
        await waitExit(p);
      }
    }
    rmSync(dir, { recursive: true, force: true });
  });

  it('the probe fails on open breakers; killed mid-probe and restarted, Rampart leaves no fault and does not re-apply it', async () => {
    // The demo service runs on its own (the test owns it), so the very instance that was probed is checked after the crash.
    // An opened breaker stays open 8 s: past the probe's 4 s read, then it recovers.
    const appPort = await freePort();
    const appUrl = `http://127.0.0.1:${appPort}`;
    app = spawn(process.execPath, [demo], { env: { ...process.env, PORT: String(appPort), VERSION: 'v1', BREAKER_RESET_MS: '8000' }, stdio: 'ignore' });
    await until(() => fetch(`${appUrl}/health`).then((r) => r.ok, () => false), (ok) => ok, 10_000);
    const proxyPort = await freePort();
    const proxy = `http://127.0.0.1:${proxyPort}`;
    const configFile = join(dir, 'rampart.yaml');
    writeFileSync(configFile, ['traffic:', '  services:', '    - service: api', `      port: ${proxyPort}`, `      stable: { version: v1, url: "${appUrl}" }`, ''].join('\n'));
    const args = ['--port', String(await freePort()), '--data-dir', join(dir, 'data'), '--config', configFile];
    up = await startUp(args, { RAMPART_ADMIN_TOKEN: admin });
    const api = apiClient(() => up!.url, admin);
    const probe = (duration: string) => api<Run>('/api/v1/analysis-runs', { method: 'POST', body: { templates: [{ name: 'resilience-probe', form: 'builtin' }], args: { service: 'api', version: 'v1', duration } } });
    const finished = (id: string) => until(() => api<Run>(`/api/v1/analysis-runs/${id}`), (r) => r.phase !== 'Pending' && r.phase !== 'Running');
    const faults = async () => (await api<{ faults: unknown[] }>('/api/v1/services/api/faults')).faults;
    const breakers = async () => ((await (await fetch(`${appUrl}/health/detailed`)).json()) as { circuitBreakers: Array<{ state: string }> }).circuitBreakers.map((b) => b.state);

    // Traffic through the proxy the whole time; every answer says which dependency latency it was given.
    const seen: ApiAnswer[] = [];
    const load = { stop: false };
    const loop = async (path: string) => {
      while (!load.stop) {
        const answer = await fetch(`${proxy}${path}`).then(async (r) => ({ status: r.status, ...((await r.json()) as object) }), () => ({ status: 0 }));
        seen.push(answer);
        if (answer.status === 0) await sleep(50);
      }
    };
    /** The next 40 answers through the proxy: each was given the demo's own 5 ms dependency latency, none an injected one. */
    const cleanTraffic = async () => {
      const from = seen.length;
      await until(async () => seen.length - from, (n) => n >= 40, 30_000);
      const next = seen.slice(from, from + 40);
      return next.length === 40 && next.every((a) => a.status === 200 && a.dependencyLatencyMs === 5 && a.degraded === false);
    };
    const loops = Promise.all(['/api/items', '/api/items', '/api/search?q=1', '/api/search?q=2'].map(loop));
    try {
      // 1. 500 ms toward the dependency for 4 s: the breakers open, the probe's measurement is 0, the run fails.
      const first = await finished((await probe('4s')).id);
      expect(first.phase).toBe('Failed');
      expect(first.state.results[0]?.measurements[0]).toMatchObject({ phase: 'Failed', value: 0, query: expect.stringMatching(/after 500ms latency for 4s: .*is open.*; fault removed$/) });
      expect(seen.some((a) => a.dependencyLatencyMs === 500)).toBe(true);
      expect(await faults()).toEqual([]);
      // Once removed, the breakers recover, and the traffic after that gets no added latency.
      await until(breakers, (states) => states.every((s) => s === 'closed'), 30_000);
      expect(await breakers()).toEqual(['closed', 'closed']);
      expect(await cleanTraffic()).toBe(true);

      // 2. A 20 s probe; Rampart is killed (SIGKILL) while its fault is in force.
      const second = await probe('20s');
      seen.length = 0;
      await until(async () => seen.some((a) => a.dependencyLatencyMs === 500), (injected) => injected, 20_000);
      expect(await faults()).toHaveLength(1);
      up.child.kill('SIGKILL');
      await waitExit(up.child);

      // 3. Restarted: the resumed run does not probe again (no verdict, saying why), no fault is in force, traffic gets none.
      up = await startUp(args, { RAMPART_ADMIN_TOKEN: admin });
      seen.length = 0;
      const resumed = await finished(second.id);
      expect(resumed.phase).toBe('Inconclusive');
      expect(resumed.state.results[0]?.measurements.at(-1)).toMatchObject({ phase: 'Inconclusive', query: expect.stringMatching(/was cut short \(Rampart stopped mid-probe\); its fault ended with that process .* and is not re-applied$/) });
      expect(await faults()).toEqual([]);
      // Everything the new proxy forwarded since the restart, and after the breakers closed, had no added latency.
      expect(seen.filter((a) => a.status === 200).every((a) => a.dependencyLatencyMs === 5)).toBe(true);
      await until(breakers, (states) => states.every((s) => s === 'closed'), 30_000);
      expect(await breakers()).toEqual(['closed', 'closed']);
      expect(await cleanTraffic()).toBe(true);
      const { events } = await api<{ events: Array<{ action: string; payload: Record<string, unknown> }> }>('/api/v1/audit?service=api&limit=100');
      const probes = events.filter((e) => e.action.startsWith('resilience-probe.')).reverse();
      expect(probes.map((e) => e.action)).toEqual(['resilience-probe.start', 'resilience-probe.end', 'resilience-probe.start', 'resilience-probe.end']);
      expect(probes[3]!.payload).toMatchObject({ version: 'v1', value: null, interrupted: true });
    } finally {
      load.stop = true;
      await loops;
    }
  }, 180_000);
});
