import { readFileSync } from 'node:fs';
import { type CpuSample, cpuRatio, parseCpuTicks, parseRssBytes } from '../domain/saturation/proc.js';
import type { Clock } from '../platform/clock.js';
import type { SaturationReading } from './service-health.js';

export interface SaturationOptions {
  clock: Clock;
  /** CPU limit per version, in cores (the denominator of process_cpu_ratio). */
  cpuLimitCores: number;
  /** Memory limit per version, in bytes (the denominator of process_memory_ratio). */
  memoryLimitBytes: number;
  /** Kernel clock ticks per second (USER_HZ): 100 on Linux builds in practice. */
  ticksPerSecond?: number;
  /** Reads a /proc file (tests replace it); undefined when it cannot be read. */
  readProc?: (path: string) => string | undefined;
  /**
   * The running versions' processes (the runtimes'), read at every sample: a new version or a new
   * pid (a restart) is tracked, one no longer listed is dropped. Versions `track`ed by hand stay.
   */
  discover?: () => ReadonlyArray<{ service: string; version: string; pid: number }>;
}

interface Tracked {
  service: string;
  version: string;
  pid: number;
  /** Found through `discover` (dropped when no longer listed), not tracked by hand. */
  discovered?: boolean;
  last?: CpuSample;
  cpu?: number;
  memory?: number;
  error?: string;
}

/**
 * Samples each tracked version's CPU and memory from /proc and exports them as
 * `process_cpu_ratio{service,version}` and `process_memory_ratio{service,version}` (fractions of
 * the configured limits), so the spec's cpu-saturation check (< 0.8) and service health work
 * without Prometheus. A runtime `track`s the pid of each version it starts. CPU needs two samples:
 * until then, and whenever /proc cannot be read, the value is absent (unknown), never 0.
 */
export function createSaturationSampler(o: SaturationOptions) {
  const tracked = new Map<string, Tracked>();
  const read = o.readProc ?? ((path: string) => {
    try {
      return readFileSync(path, 'utf8');
    } catch {
      return undefined;
    }
  });
  const ticks = o.ticksPerSecond ?? 100;

  function sampleOne(t: Tracked) {
    const now = o.clock.now();
    const stat = read(`/proc/${t.pid}/stat`);
    const status = read(`/proc/${t.pid}/status`);
    if (stat === undefined || status === undefined) {
      Object.assign(t, { cpu: undefined, memory: undefined, last: undefined, error: `/proc/${t.pid} cannot be read (process gone, or not Linux)` });
      return;
    }
    const cpuTicks = parseCpuTicks(stat);
    const rss = parseRssBytes(status);
    t.error = !cpuTicks.ok ? cpuTicks.message : !rss.ok ? rss.message : undefined;
    t.memory = rss.ok ? rss.value / o.memoryLimitBytes : undefined;
    if (!cpuTicks.ok) {
      t.cpu = undefined;
      t.last = undefined;
      return;
    }
    const next = { ticks: cpuTicks.value, at: now };
    t.cpu = t.last ? cpuRatio(t.last, next, ticks, o.cpuLimitCores) : undefined;
    t.last = next;
  }

  function syncDiscovered(found: ReadonlyArray<{ service: string; version: string; pid: number }>) {
    const seen = new Set<string>();
    for (const p of found) {
      const key = `${p.service}\u0000${p.version}`;
      seen.add(key);
      // A new pid is a new process: its CPU ticks start over, so the rate needs two fresh samples.
      if (tracked.get(key)?.pid !== p.pid) tracked.set(key, { service: p.service, version: p.version, pid: p.pid, discovered: true });
    }
    for (const [key, t] of tracked) if (t.discovered && !seen.has(key)) tracked.delete(key);
  }

  return {
    /** Starts sampling a version's process (replaces an earlier pid for it). */
    track(service: string, version: string, pid: number) {
      tracked.set(`${service}\u0000${version}`, { service, version, pid });
    },
    untrack(service: string, version: string) {
      tracked.delete(`${service}\u0000${version}`);
    },
    /** One sample of every tracked process; returns the delay to the next (for the work queue). */
    sample(intervalMs = 5000): number {
      if (o.discover) syncDiscovered(o.discover());
      for (const t of tracked.values()) sampleOne(t);
      return intervalMs;
    },
    /** The worst version's CPU and memory for service health; undefined when nothing is tracked. */
    reading(service: string): SaturationReading | undefined {
      const versions = [...tracked.values()].filter((t) => t.service === service);
      if (versions.length === 0) return undefined;
      const worst = (k: 'cpu' | 'memory') => {
        const values = versions.map((v) => v[k]);
        // One unmeasured version makes the service's value unknown: a max over part of it could hide the worst.
        return values.every((v): v is number => v !== undefined) ? Math.max(...values) : undefined;
      };
      const cpu = worst('cpu');
      const memory = worst('memory');
      return { ...(cpu !== undefined ? { cpu } : {}), ...(memory !== undefined ? { memory } : {}) };
    },
    /** Prometheus text; a version without a value is left out (absent, not 0). */
    renderMetrics(): string {
      const rows = [...tracked.values()];
      const line = (name: string, t: Tracked, v: number | undefined) => (v === undefined ? [] : [`${name}{service="${t.service}",version="${t.version}"} ${v}`]);
      const cpu = rows.flatMap((t) => line('process_cpu_ratio', t, t.cpu));
      const mem = rows.flatMap((t) => line('process_memory_ratio', t, t.memory));
      if (cpu.length + mem.length === 0) return '';
      return [
        '# HELP process_cpu_ratio CPU used by the version over the last sample, as a fraction of its CPU limit.',
        '# TYPE process_cpu_ratio gauge', ...cpu,
        '# HELP process_memory_ratio Resident memory of the version as a fraction of its memory limit.',
        '# TYPE process_memory_ratio gauge', ...mem, '',
      ].join('\n');
    },
    /** Per-version values and errors, for people. */
    status: () => [...tracked.values()].map((t) => ({ service: t.service, version: t.version, pid: t.pid, cpu: t.cpu ?? null, memory: t.memory ?? null, error: t.error ?? null })),
  };
}

export type SaturationSampler = ReturnType<typeof createSaturationSampler>;
