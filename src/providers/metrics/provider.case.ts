import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolve } from '../../domain/analysis/index.js';
import type { MetricValue, ResolvedMetric } from '../../domain/analysis/index.js';
import type { ProviderSpec } from '../../domain/analysis/template.js';
import type { MetricProvider, ProviderMeasurement } from './types.js';

/** A metric using `provider`, resolved with Argo defaults: test set-up only. */
export function metricFor(provider: ProviderSpec, name = 'm'): ResolvedMetric {
  const result = resolve({ kind: 'AnalysisTemplate', name: 't', semantics: 'argo', args: [], dryRun: [], measurementRetention: [], metrics: [{ name, provider }] });
  if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('; '));
  return result.analysis.metrics[0] as ResolvedMetric;
}

/**
 * What one implementation gives the shared suite: a provider wired to a scripted backend and
 * metrics that make that backend answer a given number, fail, or hang.
 */
export interface ProviderHarness {
  readonly provider: MetricProvider;
  /** A metric whose backend answers `value`. */
  answering(value: number): ResolvedMetric;
  /** A metric whose backend cannot be reached or fails. */
  failing(): ResolvedMetric;
  /** A metric whose backend answers with nothing to judge; absent when the kind has no such answer. */
  empty?(): ResolvedMetric;
  /** A metric whose backend never answers (to test cancellation); absent for synchronous sources. */
  hanging?(): ResolvedMetric;
  /** A metric of another provider type (this provider must refuse it as misconfigured). */
  foreign(): ResolvedMetric;
  close(): Promise<void>;
}

/** The number a measurement carries, wherever the kind puts it (scalar, [x], {value: x}, job output). */
export function numberIn(m: ProviderMeasurement): number | undefined {
  const dig = (v: MetricValue | undefined): number | undefined => {
    if (typeof v === 'number') return v;
    if (Array.isArray(v)) return dig(v[0] as MetricValue);
    if (v !== null && typeof v === 'object') return dig((v as Record<string, MetricValue>).value);
    return undefined;
  };
  if (m.kind === 'value') return dig(m.value);
  if (m.kind === 'job') return dig(m.output);
  return undefined;
}

/**
 * The contract every metric provider honours. Call from `<impl>.test.ts`. The no-data and
 * in-flight cancellation cases are registered only for kinds whose harness provides `empty` /
 * `hanging` (a synchronous source cannot hang), so no registered case passes vacuously.
 */
export function metricProviderContract(name: string, has: { readonly empty: boolean; readonly hanging: boolean }, setUp: () => Promise<ProviderHarness>): void {
  describe(`metric provider contract: ${name}`, () => {
    let h: ProviderHarness;
    beforeAll(async () => {
      h = await setUp();
    });
    afterAll(async () => {
      await h?.close();
      await h?.provider.close?.();
    });
    const now = Date.UTC(2026, 0, 5, 10, 0, 0);

    it.each([0.25, 0, 0.0042])('fetches the value the backend answers (%s) and explains what it asked', async (value) => {
      const m = await h.provider.measure(h.answering(value), { now });
      expect(m.kind === 'value' || m.kind === 'job').toBe(true);
      expect(numberIn(m)).toBeCloseTo(value, 10);
      expect(typeof m.query).toBe('string');
      expect(m.query?.length).toBeGreaterThan(0);
    });

    it('a failing backend is an error observation with a code and a message, never a rejection', async () => {
      const m = await h.provider.measure(h.failing(), { now });
      expect(m.kind).toBe('error');
      expect(m.errorCode).toMatch(/^(unavailable|bad_query|bad_response|timeout|misconfigured)$/);
      if (m.kind === 'error') expect(m.message.length).toBeGreaterThan(5);
    });

    if (has.empty) it('nothing to judge is no data, never a value', async () => {
      if (!h.empty) throw new Error('harness declares empty but has none');
      const m = await h.provider.measure(h.empty(), { now });
      expect(m.kind).toBe('noData');
    });

    it('an already-cancelled measurement is an aborted error', async () => {
      const controller = new AbortController();
      controller.abort();
      const m = await h.provider.measure(h.answering(1), { now, signal: controller.signal });
      expect([m.kind, m.errorCode]).toEqual(['error', 'aborted']);
    });

    if (has.hanging) it('cancelling an in-flight measurement ends it promptly as aborted', async () => {
      if (!h.hanging) throw new Error('harness declares hanging but has none');
      const controller = new AbortController();
      const started = performance.now();
      const pending = h.provider.measure(h.hanging(), { now, signal: controller.signal });
      setTimeout(() => controller.abort(), 100);
      const m = await pending;
      expect([m.kind, m.errorCode]).toEqual(['error', 'aborted']);
      expect(performance.now() - started).toBeLessThan(3000);
    });

    it('refuses a metric of another provider type as misconfigured', async () => {
      const m = await h.provider.measure(h.foreign(), { now });
      expect([m.kind, m.errorCode]).toEqual(['error', 'misconfigured']);
    });
  });
}
