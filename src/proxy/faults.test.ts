import { describe, expect, it } from 'vitest';
import { createManualClock } from '../platform/clock.js';
import { createFaultTable, faultAction } from './faults.js';

describe('fault table', () => {
  it('a fault applies until it expires on the clock, then is gone by itself', () => {
    const clock = createManualClock();
    const faults = createFaultTable(clock);
    const slot = faults.slot('api', 'v2');
    const r = faults.set('api', 'v2', { abortShare: 1, abortStatus: 503, durationMs: 30_000 });
    expect(r.ok).toBe(true);
    expect(faultAction(slot.current, clock.now(), 0.5, 0.5)).toEqual({ abort: 503, delayMs: 0 });
    expect(faults.list()).toHaveLength(1);
    clock.advance(29_999);
    expect(faultAction(slot.current, clock.now(), 0.5, 0.5).abort).toBe(503);
    clock.advance(1);
    expect(slot.current).toBeNull();
    expect(faults.list()).toHaveLength(0);
  });

  it('expiry holds even before the timer fires (checked against now per request)', () => {
    const clock = createManualClock();
    const faults = createFaultTable(clock);
    const r = faults.set('api', 'v2', { latencyMs: 500, latencyShare: 1, durationMs: 1000 });
    if (!r.ok) throw new Error(r.message);
    expect(faultAction(r.fault, clock.now() + 999, 0.9, 0.1)).toEqual({ abort: 0, delayMs: 500 });
    expect(faultAction(r.fault, clock.now() + 1000, 0.9, 0.1)).toEqual({ abort: 0, delayMs: 0 });
  });

  it.each([
    [{ abortShare: 0.2, abortStatus: 500, durationMs: 1000 }, 0.19, 0.9, { abort: 500, delayMs: 0 }],
    [{ abortShare: 0.2, abortStatus: 500, durationMs: 1000 }, 0.2, 0.0, { abort: 0, delayMs: 0 }],
    [{ latencyMs: 300, latencyShare: 0.5, durationMs: 1000 }, 0.0, 0.49, { abort: 0, delayMs: 300 }],
    [{ latencyMs: 300, latencyShare: 0.5, durationMs: 1000 }, 0.0, 0.5, { abort: 0, delayMs: 0 }],
  ])('%j with draws %s/%s → %j', (spec, abortDraw, latencyDraw, expected) => {
    const clock = createManualClock();
    const r = createFaultTable(clock).set('s', 'v', spec);
    if (!r.ok) throw new Error(r.message);
    expect(faultAction(r.fault, clock.now(), abortDraw, latencyDraw)).toEqual(expected);
  });

  it.each([
    [{ abortShare: 2, durationMs: 1000 }, 'abortShare'],
    [{ abortShare: 0.5 }, 'durationMs'],
    [{ abortStatus: 200, abortShare: 0.1, durationMs: 5 }, 'abortStatus'],
    [{ latencyMs: -1, durationMs: 5 }, 'latencyMs'],
  ])('rejects %j naming %s', (spec, field) => {
    const r = createFaultTable(createManualClock()).set('s', 'v', spec as never);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.message).toContain(field);
  });

  it('clear removes the fault and reports whether one was active', () => {
    const clock = createManualClock();
    const faults = createFaultTable(clock);
    faults.set('api', 'v2', { abortShare: 1, durationMs: 10_000 });
    expect(faults.clear('api', 'v2')).toBe(true);
    expect(faults.clear('api', 'v2')).toBe(false);
    expect(faults.slot('api', 'v2').current).toBeNull();
  });
});
