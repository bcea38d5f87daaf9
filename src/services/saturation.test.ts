import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createManualClock, systemClock } from '../platform/clock.js';
import { createSaturationSampler } from './saturation.js';

const onLinux = existsSync('/proc/self/stat');
const children: ChildProcess[] = [];
const start = (code: string) => {
  const c = spawn(process.execPath, ['-e', code], { stdio: 'ignore' });
  children.push(c);
  return c.pid!;
};

afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
});

describe.runIf(onLinux)('saturation sampling from /proc (real processes)', () => {
  it('a busy process uses far more CPU than an idle one; memory is a fraction of the limit', async () => {
    const sampler = createSaturationSampler({ clock: systemClock, cpuLimitCores: 1, memoryLimitBytes: 512 * 1024 * 1024 });
    sampler.track('api', 'busy', start('for (;;) {}'));
    sampler.track('api', 'idle', start('setInterval(() => {}, 1000)'));
    await new Promise((r) => setTimeout(r, 300));
    sampler.sample();
    // One sample is not a rate: CPU is unknown until the second.
    expect(sampler.status().every((s) => s.cpu === null)).toBe(true);
    await new Promise((r) => setTimeout(r, 1000));
    sampler.sample();
    const byVersion = Object.fromEntries(sampler.status().map((s) => [s.version, s]));
    // On a loaded machine a spinning process gets less than a core: compare the two, not absolutes.
    expect(byVersion.busy!.cpu).toBeGreaterThan(0.15);
    expect(byVersion.idle!.cpu).toBeLessThan(0.1);
    expect(byVersion.busy!.cpu!).toBeGreaterThan(byVersion.idle!.cpu! + 0.1);
    expect(byVersion.idle!.memory).toBeGreaterThan(0.01);
    expect(byVersion.idle!.memory).toBeLessThan(1);
    expect(sampler.reading('api')!.cpu).toBe(byVersion.busy!.cpu);
    // A spinning process can read a hair over its one-core limit (CPU time and wall time are sampled apart).
    expect(sampler.renderMetrics()).toMatch(/^process_cpu_ratio\{service="api",version="busy"\} \d+(\.\d+)?$/m);
    expect(sampler.renderMetrics()).toMatch(/^process_memory_ratio\{service="api",version="idle"\} 0\.\d+$/m);
  });

  it('a process that is gone is unknown (absent from the metrics), never 0', async () => {
    const sampler = createSaturationSampler({ clock: systemClock, cpuLimitCores: 1, memoryLimitBytes: 1 << 30 });
    const pid = start('setInterval(() => {}, 1000)');
    sampler.track('copilot', 'v1', pid);
    await new Promise((r) => setTimeout(r, 200));
    sampler.sample();
    children.at(-1)!.kill('SIGKILL');
    await new Promise((r) => setTimeout(r, 300));
    sampler.sample();
    expect(sampler.status()[0]).toMatchObject({ cpu: null, memory: null, error: `/proc/${pid} cannot be read (process gone, or not Linux)` });
    expect(sampler.reading('copilot')).toEqual({});
    expect(sampler.renderMetrics()).toBe('');
  });
});

describe('saturation sampler', () => {
  it('untracked services have no reading; a restarted process (counter back) gives no CPU value', () => {
    const clock = createManualClock();
    const files: Record<string, string> = { '/proc/7/status': 'VmRSS:\t1024 kB\n', '/proc/7/stat': '7 (x) S 1 1 1 0 -1 0 0 0 0 0 500 0 0 0' };
    const sampler = createSaturationSampler({ clock, cpuLimitCores: 2, memoryLimitBytes: 1024 * 1024, readProc: (p) => files[p] });
    expect(sampler.reading('api')).toBeUndefined();
    sampler.track('api', 'v1', 7);
    sampler.sample();
    clock.advance(1000);
    files['/proc/7/stat'] = '7 (x) S 1 1 1 0 -1 0 0 0 0 0 600 0 0 0';
    sampler.sample();
    expect(sampler.reading('api')).toEqual({ cpu: 0.5, memory: 1 });
    clock.advance(1000);
    files['/proc/7/stat'] = '7 (x) S 1 1 1 0 -1 0 0 0 0 0 3 0 0 0';
    sampler.sample();
    expect(sampler.reading('api')).toEqual({ memory: 1 });
  });
});
