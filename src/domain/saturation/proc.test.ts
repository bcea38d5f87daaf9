import { describe, expect, it } from 'vitest';
import { cpuRatio, parseCpuTicks, parseRssBytes } from './proc.js';

const stat = '4242 (node worker) S 1 4242 4242 0 -1 4194560 2451 0 0 0 150 50 0 0 20 0 11 0 12345 1000000 5000 18446744073709551615';

describe('/proc parsing', () => {
  it.each<[string, string, number | string]>([
    ['utime + stime', stat, 200],
    ['a command name with ") "', stat.replace('(node worker)', '(a) b)'), 200],
    ['a truncated line', '4242 (node) S 1 2', 'utime/stime (fields 14, 15) are missing or not numbers'],
    ['not a stat line', 'hello', 'no "(comm)" field: not a /proc/<pid>/stat line'],
  ])('parseCpuTicks: %s', (_name, text, expected) => {
    const r = parseCpuTicks(text);
    if (typeof expected === 'number') expect(r).toEqual({ ok: true, value: expected });
    else expect(r).toEqual({ ok: false, message: expected });
  });

  it('parseRssBytes reads VmRSS in kB', () => {
    expect(parseRssBytes('Name:\tnode\nVmRSS:\t   51200 kB\nThreads: 11\n')).toEqual({ ok: true, value: 51200 * 1024 });
    expect(parseRssBytes('Name:\tkthreadd\n').ok).toBe(false);
  });

  it.each<[string, number, number, number, number | undefined]>([
    ['half a core of one', 100, 2000, 1, 0.5],
    ['a full core of two', 200, 1000, 2, 1],
    ['idle', 0, 1000, 1, 0],
    ['no time passed', 50, 0, 1, undefined],
    ['counter went back (restart)', -10, 1000, 1, undefined],
  ])('cpuRatio: %s', (_name, dTicks, dMs, cores, expected) => {
    expect(cpuRatio({ ticks: 1000, at: 0 }, { ticks: 1000 + dTicks, at: dMs }, 100, cores)).toBe(expected);
  });
});
