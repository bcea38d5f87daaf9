/**
 * Reading a process's CPU time and resident memory from Linux /proc text (proc(5)). Pure: the
 * caller reads the files and passes the text and the sampling times.
 */
export type ProcResult<T> = { ok: true; value: T } | { ok: false; message: string };

/** utime + stime of `/proc/<pid>/stat`, in clock ticks. */
export function parseCpuTicks(statText: string): ProcResult<number> {
  // The command name (field 2) is in parentheses and may hold spaces or ')': split after the last ')'.
  const close = statText.lastIndexOf(')');
  if (close < 0) return { ok: false, message: 'no "(comm)" field: not a /proc/<pid>/stat line' };
  const fields = statText.slice(close + 2).trim().split(/\s+/);
  // After comm, fields start at 3 (state); utime is field 14 and stime 15.
  const utime = Number(fields[14 - 3]);
  const stime = Number(fields[15 - 3]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) return { ok: false, message: 'utime/stime (fields 14, 15) are missing or not numbers' };
  return { ok: true, value: utime + stime };
}

/** VmRSS of `/proc/<pid>/status`, in bytes. */
export function parseRssBytes(statusText: string): ProcResult<number> {
  const m = /^VmRSS:\s+(\d+)\s+kB$/m.exec(statusText);
  if (!m) return { ok: false, message: 'no "VmRSS: N kB" line (a zombie or kernel thread has none)' };
  return { ok: true, value: Number(m[1]) * 1024 };
}

export interface CpuSample {
  ticks: number;
  /** Epoch ms of the reading. */
  at: number;
}

/**
 * CPU used between two samples as a fraction of the limit (1 = the whole limit). Undefined when
 * the samples cannot be compared (no time passed, or the counter went back: a new process).
 */
export function cpuRatio(prev: CpuSample, next: CpuSample, ticksPerSecond: number, limitCores: number): number | undefined {
  const seconds = (next.at - prev.at) / 1000;
  if (!(seconds > 0) || next.ticks < prev.ticks || !(limitCores > 0)) return undefined;
  return (next.ticks - prev.ticks) / ticksPerSecond / seconds / limitCores;
}
