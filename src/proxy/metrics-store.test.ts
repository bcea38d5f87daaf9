import { describe, expect, it } from 'vitest';
import { createManualClock } from '../platform/clock.js';
import { bucketQuantile, createMetricsStore } from './metrics-store.js';

describe('metrics store (1-second ring over the last hour)', () => {
  it('answers error ratio, rate and counts over a window, with the sample count', () => {
    const clock = createManualClock();
    const store = createMetricsStore({ clock });
    const s = store.series('api', 'v2');
    for (let i = 0; i < 60; i++) {
      // 10 requests per second, one of them a 503
      for (let r = 0; r < 10; r++) s.record(r === 0 ? 503 : 200, 0.02, clock.now());
      clock.advance(1000);
    }
    const now = clock.now() - 1; // still inside the last recorded second
    expect(store.errorRatio('api', 'v2', 60, now)).toEqual({ value: 0.1, requests: 600 });
    expect(store.requestRate('api', 'v2', 30, now)).toEqual({ value: 10, requests: 300 });
    expect(store.countsOver('api', 'v2', 5, now)).toMatchObject({ requests: 50, errors: 5 });
  });

  it('no traffic is no data, not zero errors', () => {
    const clock = createManualClock();
    const store = createMetricsStore({ clock });
    expect(store.errorRatio('api', 'nope', 60, clock.now())).toEqual({ value: null, requests: 0 });
    store.series('api', 'v1').record(200, 0.01, clock.now());
    clock.advance(120_000);
    expect(store.errorRatio('api', 'v1', 60, clock.now())).toEqual({ value: null, requests: 0 });
    expect(store.latencyQuantile(0.95, 'api', 'v1', 60, clock.now()).value).toBeNull();
    // A known version without traffic has rate 0 (as Prometheus answers); an unknown one has no data.
    expect(store.requestRate('api', 'v1', 60, clock.now())).toEqual({ value: 0, requests: 0 });
    expect(store.requestRate('api', 'nope', 60, clock.now())).toEqual({ value: null, requests: 0 });
  });

  it('slots older than the ring are reused, never double counted', () => {
    const clock = createManualClock();
    const store = createMetricsStore({ clock, windowSeconds: 10 });
    const s = store.series('api', 'v1');
    s.record(500, 0.01, clock.now());
    clock.advance(10_000); // same slot, ten seconds later
    s.record(200, 0.01, clock.now());
    expect(store.countsOver('api', 'v1', 10, clock.now())).toMatchObject({ requests: 1, errors: 0 });
    expect(store.countsOver('api', 'v1', 3600, clock.now()).requests).toBe(1);
  });

  it('latency quantile interpolates inside buckets like histogram_quantile', () => {
    const clock = createManualClock();
    const store = createMetricsStore({ clock, buckets: [0.1, 0.2, 0.4] });
    const s = store.series('api', 'v1');
    for (let i = 0; i < 50; i++) s.record(200, 0.05, clock.now());
    for (let i = 0; i < 50; i++) s.record(200, 0.15, clock.now());
    const p = store.latencyQuantile(0.75, 'api', 'v1', 60, clock.now());
    expect(p.requests).toBe(100);
    expect(p.value).toBeCloseTo(0.15, 10);
  });

  it.each([
    [0.5, [10, 0, 0, 0], 0.05], [1, [0, 10, 0, 0], 0.2], [0.5, [0, 0, 0, 10], 0.4], [0.25, [5, 5, 0, 0], 0.05],
  ])('bucketQuantile(%s, %j) = %s', (q, buckets, expected) => {
    expect(bucketQuantile(q, [0.1, 0.2, 0.4], buckets)).toBeCloseTo(expected, 10);
  });

  it('renders Prometheus text with cumulative buckets and per-code counters', () => {
    const clock = createManualClock();
    const store = createMetricsStore({ clock, buckets: [0.1, 1] });
    const s = store.series('api', 'v"1', 'prod');
    s.record(200, 0.05, clock.now());
    s.record(500, 0.5, clock.now());
    s.record(200, 5, clock.now());
    const text = store.renderPrometheus();
    const labels = 'service="api",namespace="prod",version="v\\"1"';
    expect(text).toContain(`http_requests_total{${labels},code="200"} 2\n`);
    expect(text).toContain(`http_requests_total{${labels},code="500"} 1\n`);
    expect(text).toContain(`http_request_duration_seconds_bucket{${labels},le="0.1"} 1\n`);
    expect(text).toContain(`http_request_duration_seconds_bucket{${labels},le="1"} 2\n`);
    expect(text).toContain(`http_request_duration_seconds_bucket{${labels},le="+Inf"} 3\n`);
    expect(text).toContain(`http_request_duration_seconds_count{${labels}} 3\n`);
    expect(text).toContain(`http_request_duration_seconds_sum{${labels}} 5.55\n`);
    expect(text).toContain('# TYPE http_request_duration_seconds histogram');
  });
});
