import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { request } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../platform/clock.js';
import { createSilentLogger } from '../../platform/logger.js';
import { createSaturationSampler } from '../../services/saturation.js';
import { processRuntime, type ProcessRuntimeConfig } from './process.js';
import { runtimeContract } from './runtime.case.js';

const demo = resolve(process.cwd(), 'examples/demo-service/server.mjs');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
function dataDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'rampart-runtime-'));
  dirs.push(d);
  return d;
}
const deps = () => ({ clock: systemClock, logger: createSilentLogger(), dataDir: dataDir() });
const demoConfig = (extra: Record<string, unknown> = {}): ProcessRuntimeConfig => processRuntime.configSchema.parse({
  command: [process.execPath, demo],
  env: { PORT: '{{port}}', VERSION: '{{version}}' },
  healthTimeoutMs: 10_000,
  stopGraceMs: 3_000,
  ...extra,
});

async function get(url: string, init: { method?: 'GET' | 'POST'; body?: string; headers?: Record<string, string> } = {}) {
  const res = await request(url, { method: init.method ?? 'GET', body: init.body, headers: init.headers });
  return { status: res.statusCode, headers: res.headers, body: (await res.body.json()) as Record<string, unknown> };
}

runtimeContract('process (demo service)', async () => {
  const runtime = await processRuntime.create(demoConfig(), deps());
  const broken = await processRuntime.create(demoConfig({ env: { PORT: '{{port}}', ERROR_RATE: 'lots' }, healthTimeoutMs: 3_000 }), deps());
  return {
    runtime, service: 'api', version: '1.0.0', ownsProcess: true,
    startBroken: () => broken.start({ service: 'api', version: 'bad' }),
    cleanup: async () => broken.close?.(),
  };
});

describe('process runtime', () => {
  it('runs the demo service: version header, GraphQL, circuit breakers, ERROR_RATE; logs to a file', async () => {
    const d = deps();
    const runtime = await processRuntime.create(demoConfig(), d);
    try {
      const bad = await runtime.start({ service: 'shop', version: '2.0.0-rc.1', env: { ERROR_RATE: '1', BREAKER_RESET_MS: '60000' } });
      if (!bad.ok) throw new Error(bad.message);
      const health = await get(`${bad.value.url}/health`);
      expect(health.headers['x-version']).toBe('2.0.0-rc.1');
      expect((await get(`${bad.value.url}/api/items`)).status).toBe(500);
      const gql = await get(`${bad.value.url}/graphql`, { method: 'POST', body: '{"query":"{ __typename }"}', headers: { 'content-type': 'application/json' } });
      expect(gql.status).toBe(500);

      const good = await runtime.start({ service: 'shop', version: '1.9.0', env: { BREAKER_RESET_MS: '60000' } });
      if (!good.ok) throw new Error(good.message);
      expect((await get(`${good.value.url}/graphql`, { method: 'POST', body: '{"query":"{ __typename }"}' })).body).toEqual({ data: { __typename: 'Query' } });
      expect((await get(`${good.value.url}/health/detailed`)).body.circuitBreakers).toEqual([{ name: 'inventory', state: 'closed' }, { name: 'search-index', state: 'closed' }]);
      // Injected dependency latency (as the proxy's latency fault signals it) opens the breaker.
      for (let i = 0; i < 3; i++) await get(`${good.value.url}/api/items`, { headers: { 'x-rampart-fault-latency-ms': '400' } });
      const detailed = await get(`${good.value.url}/health/detailed`);
      expect(detailed.body.circuitBreakers).toEqual([{ name: 'inventory', state: 'open' }, { name: 'search-index', state: 'closed' }]);
      const log = readFileSync(join(d.dataDir, 'logs', 'shop-1.9.0.log'), 'utf8');
      expect(log).toContain('demo-service 1.9.0 listening');
    } finally {
      await runtime.close?.();
    }
  });

  it('restarts a crashed version on the same port (on-failure), up to maxRestarts', async () => {
    const runtime = await processRuntime.create(demoConfig({ restart: { policy: 'on-failure', maxRestarts: 1, backoffMs: 50 } }), deps());
    try {
      const r = await runtime.start({ service: 'api', version: '1.0.0' });
      if (!r.ok) throw new Error(r.message);
      process.kill(r.value.pid as number, 'SIGKILL');
      let status = runtime.status('api', '1.0.0');
      for (let i = 0; i < 100 && !(status.state === 'running' && status.restarts === 1); i++) {
        await new Promise((res) => setTimeout(res, 50));
        status = runtime.status('api', '1.0.0');
      }
      expect(status).toMatchObject({ state: 'running', restarts: 1 });
      expect((await get(`${r.value.url}/health`)).status).toBe(200);
      // The second crash exceeds maxRestarts: the version is failed, not restarted.
      const again = await runtime.start({ service: 'api', version: '1.0.0' });
      process.kill((again.ok && again.value.pid) as number, 'SIGKILL');
      for (let i = 0; i < 100 && runtime.status('api', '1.0.0').state !== 'failed'; i++) await new Promise((res) => setTimeout(res, 50));
      expect(runtime.status('api', '1.0.0')).toMatchObject({ state: 'failed', lastError: 'exited with signal SIGKILL' });
    } finally {
      await runtime.close?.();
    }
  });

  it.runIf(existsSync('/proc/self/stat'))('lists the pid of each running version for saturation sampling: real /proc readings, a restart\'s new pid, gone once stopped', async () => {
    const runtime = await processRuntime.create(demoConfig({ restart: { policy: 'on-failure', maxRestarts: 2, backoffMs: 50 } }), deps());
    const sampler = createSaturationSampler({ clock: systemClock, cpuLimitCores: 1, memoryLimitBytes: 512 * 1024 * 1024, discover: () => runtime.processes?.() ?? [] });
    try {
      const v1 = await runtime.start({ service: 'api', version: '1.0.0' });
      const v2 = await runtime.start({ service: 'api', version: '1.1.0' });
      if (!v1.ok || !v2.ok) throw new Error('demo did not start');
      const listed = runtime.processes?.() ?? [];
      expect(listed).toEqual([{ service: 'api', version: '1.0.0', pid: v1.value.pid }, { service: 'api', version: '1.1.0', pid: v2.value.pid }]);
      // The pids are the demo service's own processes, as /proc knows them.
      for (const p of listed) expect(readFileSync(`/proc/${p.pid}/cmdline`, 'utf8')).toContain('server.mjs');
      sampler.sample();
      await get(`${v2.value.url}/api/items`);
      await new Promise((r) => setTimeout(r, 300));
      sampler.sample();
      const byVersion = Object.fromEntries(sampler.status().map((st) => [st.version, st]));
      expect(byVersion['1.0.0']).toMatchObject({ pid: v1.value.pid, error: null });
      expect(byVersion['1.1.0']!.memory).toBeGreaterThan(0);
      expect(byVersion['1.1.0']!.cpu).not.toBeNull();
      expect(sampler.renderMetrics()).toMatch(/^process_memory_ratio\{service="api",version="1\.1\.0"\} 0\.\d+/m);

      process.kill(v1.value.pid as number, 'SIGKILL');
      let restartedPid: number | undefined;
      for (let i = 0; i < 100 && !restartedPid; i++) {
        await new Promise((r) => setTimeout(r, 50));
        restartedPid = runtime.processes?.().find((p) => p.version === '1.0.0' && p.pid !== v1.value.pid)?.pid;
      }
      expect(restartedPid).toBeGreaterThan(0);
      sampler.sample();
      expect(sampler.status().find((st) => st.version === '1.0.0')).toMatchObject({ pid: restartedPid, cpu: null });

      await runtime.stop('api', '1.1.0');
      expect((runtime.processes?.() ?? []).map((p) => p.version)).toEqual(['1.0.0']);
      sampler.sample();
      expect(sampler.status().map((st) => st.version)).toEqual(['1.0.0']);
    } finally {
      await runtime.close?.();
    }
  });

  it('stop sends SIGTERM, then SIGKILL after the grace period when the process ignores it', async () => {
    const stubborn = "require('http').createServer((q,s)=>s.end('ok')).listen(+process.env.PORT,'127.0.0.1');process.on('SIGTERM',()=>{})";
    const runtime = await processRuntime.create(processRuntime.configSchema.parse({
      command: [process.execPath, '-e', stubborn], env: { PORT: '{{port}}' }, stopGraceMs: 300, restart: { policy: 'never' },
    }), deps());
    const r = await runtime.start({ service: 'api', version: 'stubborn' });
    if (!r.ok) throw new Error(r.message);
    const t0 = performance.now();
    await runtime.stop('api', 'stubborn');
    const took = performance.now() - t0;
    expect(took).toBeGreaterThanOrEqual(290);
    expect(took).toBeLessThan(3_000);
    expect(() => process.kill(r.value.pid as number, 0)).toThrow();
  });

  it('a command that exits at once is start_failed with the last log lines', async () => {
    const runtime = await processRuntime.create(processRuntime.configSchema.parse({
      command: [process.execPath, '-e', "console.error('cannot bind: config missing'); process.exit(3)"], healthTimeoutMs: 5_000,
    }), deps());
    const r = await runtime.start({ service: 'api', version: 'x' });
    expect(r).toMatchObject({ ok: false, code: 'start_failed' });
    if (!r.ok) {
      expect(r.message).toContain('exited with code 3');
      expect(r.message).toContain('cannot bind: config missing');
    }
  });

  it.each([
    [{ command: [] }, 'command'],
    [{ command: ['node', '{{nope}}'] }, 'may only use'],
    [{ command: ['x'], restart: { policy: 'sometimes' } }, 'restart.policy'],
  ])('config %j is rejected (%s)', (config, word) => {
    const r = processRuntime.configSchema.safeParse(config);
    expect(r.success).toBe(false);
    if (!r.success) expect(JSON.stringify(r.error.issues)).toContain(word.split('.').pop() as string);
  });
});
