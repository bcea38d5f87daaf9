import type { SloDefinition, WindowCounts } from '../../domain/slo/index.js';
import { fillWindow, leRegex, promString } from '../../domain/slo/rules-queries.js';
import type { CountsFetcher } from './types.js';

function queries(slo: SloDefinition, window: string): { total: string; good: string } {
  const svc = `service=${promString(slo.service)}`;
  const ind = slo.indicator;
  if (ind.kind === 'availability') {
    const metric = ind.series?.requestsMetric ?? 'http_requests_total';
    const code = ind.series?.errorCodeRegex ?? '5..';
    const total = `sum(increase(${metric}{${svc}}[${window}]))`;
    return { total, good: `${total} - (sum(increase(${metric}{${svc},code=~${promString(code)}}[${window}])) or vector(0))` };
  }
  if (ind.kind === 'latency') {
    const h = ind.series?.histogramMetric ?? 'http_request_duration_seconds';
    return {
      total: `sum(increase(${h}_count{${svc}}[${window}]))`,
      good: `sum(increase(${h}_bucket{${svc},le=~${promString(leRegex(ind.thresholdSeconds))}}[${window}]))`,
    };
  }
  const total = fillWindow(ind.totalQuery, window);
  return { total, good: ind.goodQuery ? fillWindow(ind.goodQuery, window) : `(${total}) - (${fillWindow(ind.errorQuery ?? '0', window)})` };
}

/**
 * Asks Prometheus (`/api/v1/query`, evaluated at the range's end) for total and good requests
 * per range. `[]` is no data (samples 0), never zero traffic; a failed query is reported as such.
 */
export function createPrometheusCounts(address: string, timeoutMs = 5000): CountsFetcher {
  const base = address.replace(/\/+$/, '');
  async function scalar(query: string, atMs: number): Promise<number | undefined> {
    const res = await fetch(`${base}/api/v1/query`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ query, time: String(atMs / 1000) }),
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body = (await res.json()) as { status: string; error?: string; data?: { result: Array<{ value: [number, string] }> } };
    if (body.status !== 'success') throw new Error(body.error ?? `Prometheus answered ${res.status}`);
    const first = body.data?.result[0];
    return first ? Number(first.value[1]) : undefined;
  }
  return {
    async counts(slo, ranges) {
      const out = new Map<number, WindowCounts | { error: string }>();
      await Promise.all(ranges.map(async (r) => {
        const length = r.toMs - r.fromMs;
        const q = queries(slo, `${Math.round(length / 1000)}s`);
        try {
          const [total, good] = await Promise.all([scalar(q.total, r.toMs), scalar(q.good, r.toMs)]);
          out.set(length, total === undefined || Number.isNaN(total)
            ? { good: 0, total: 0, samples: 0 }
            : { good: Math.max(0, Math.min(total, good ?? 0)), total, samples: 1 });
        } catch (err) {
          out.set(length, { error: `${base}: ${(err as Error).message}` });
        }
      }));
      return out;
    },
  };
}
