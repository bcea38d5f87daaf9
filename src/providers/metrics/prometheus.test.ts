import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../testing/ports.js';
import { sendJson, startTestServer } from '../../testing/http-test-server.js';
import { metricFor, metricProviderContract } from './provider.case.js';
import { createPrometheusProvider, parseSampleValue, windowOf } from './prometheus.js';

/** Answers like Prometheus' /api/v1/query for a few scripted query texts. */
function fakePrometheus(query: string, time: number, res: ServerResponse): void {
  const answer = /^answer\((.+)\)$/.exec(query);
  const vector = (values: string[]) => sendJson(res, 200, { status: 'success', data: { resultType: 'vector', result: values.map((v, i) => ({ metric: { i: String(i) }, value: [time, v] })) } });
  if (answer) return vector([answer[1] ?? '']);
  if (query === 'two') return vector(['0.1', '0.2']);
  if (query === 'nan') return vector(['NaN']);
  if (query === 'inf') return vector(['+Inf']);
  if (query === 'empty') return vector([]);
  if (query === 'scalar') return sendJson(res, 200, { status: 'success', data: { resultType: 'scalar', result: [time, '42'] } });
  if (query === 'matrix') return sendJson(res, 200, { status: 'success', data: { resultType: 'matrix', result: [] } });
  if (query === 'bad') return sendJson(res, 400, { status: 'error', errorType: 'bad_data', error: '1:5: parse error: unexpected <EOF>' });
  if (query === 'overloaded') return sendJson(res, 503, { status: 'error', errorType: 'timeout', error: 'query timed out in expression evaluation' });
  if (query === 'html') {
    res.writeHead(502, { 'content-type': 'text/html' });
    return void res.end('<html>bad gateway</html>');
  }
  if (query === 'hang') return; // never answers
  sendJson(res, 400, { status: 'error', errorType: 'bad_data', error: `unknown test query ${query}` });
}

describe('prometheus provider', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let closedPort: number;
  beforeAll(async () => {
    server = await startTestServer((req, body, res) => {
      const form = new URLSearchParams(body);
      if (req.url === '/api/v1/query_range') {
        const start = Number(form.get('start'));
        return sendJson(res, 200, { status: 'success', data: { resultType: 'matrix', result: [{ metric: {}, values: [[start, '0.01'], [start + 30, 'NaN']] }] } });
      }
      fakePrometheus(form.get('query') ?? '', Number(form.get('time')), res);
    });
    closedPort = await freePort();
  });
  afterAll(() => server.close());

  metricProviderContract('prometheus', { empty: true, hanging: true }, async () => ({
    provider: createPrometheusProvider({ defaultTimeoutSeconds: 5 }),
    answering: (v) => metricFor({ type: 'prometheus', address: server.url, query: `answer(${v})` }),
    failing: () => metricFor({ type: 'prometheus', address: `http://127.0.0.1:${closedPort}`, query: 'up' }),
    empty: () => metricFor({ type: 'prometheus', address: server.url, query: 'empty' }),
    hanging: () => metricFor({ type: 'prometheus', address: server.url, query: 'hang' }),
    foreign: () => metricFor({ type: 'web', url: server.url }),
    close: async () => {},
  }));

  const provider = createPrometheusProvider({ defaultTimeoutSeconds: 5 });
  const now = 1_767_607_200_000;
  const measure = (query: string, extra: { timeoutSeconds?: number } = {}) => provider.measure(metricFor({ type: 'prometheus', address: `${server.url}/`, query, ...extra }), { now });

  it.each([
    ['answer(0.013)', { kind: 'value', value: [0.013], sampleCount: 1 }],
    ['two', { kind: 'value', value: [0.1, 0.2], sampleCount: 2 }],
    ['scalar', { kind: 'value', value: 42, sampleCount: 1 }],
    ['inf', { kind: 'value', value: [Infinity] }],
    ['empty', { kind: 'noData', sampleCount: 0 }],
    ['bad', { kind: 'error', errorCode: 'bad_query', message: expect.stringContaining('parse error: unexpected <EOF>') }],
    ['overloaded', { kind: 'error', errorCode: 'timeout' }],
    ['html', { kind: 'error', errorCode: 'unavailable', message: expect.stringContaining('HTTP 502') }],
    ['matrix', { kind: 'error', errorCode: 'bad_response', message: expect.stringContaining('matrix') }],
  ])('query %s → %o', async (query, expected) => {
    expect(await measure(query)).toMatchObject(expected);
  });

  it('"NaN" (0/0, no traffic) stays NaN — a value, not a pass and not no data', async () => {
    const m = await measure('nan');
    expect(m.kind).toBe('value');
    if (m.kind === 'value') expect(Number.isNaN((m.value as number[])[0])).toBe(true);
  });

  it('POSTs a form with the query and the evaluation time, and forwards headers', async () => {
    const before = server.requests.length;
    await provider.measure(metricFor({ type: 'prometheus', address: server.url, query: 'answer(1)', headers: [{ key: 'X-Scope-OrgID', value: 'team-a' }] }), { now });
    const request = server.requests[before];
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/api/v1/query');
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request?.headers['x-scope-orgid']).toBe('team-a');
    expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({ query: 'answer(1)', time: '1767607200.000' });
  });

  it('a query slower than its timeout is a timeout error', async () => {
    const started = performance.now();
    const m = await measure('hang', { timeoutSeconds: 0.3 });
    expect([m.kind, m.errorCode]).toEqual(['error', 'timeout']);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('a connection refused is unavailable and names the cause', async () => {
    const m = await provider.measure(metricFor({ type: 'prometheus', address: `http://127.0.0.1:${closedPort}`, query: 'up' }), { now });
    expect(m).toMatchObject({ kind: 'error', errorCode: 'unavailable', message: expect.stringContaining('ECONNREFUSED') });
  });

  it('the configured address replaces the template\'s (templates written for a cluster, run locally)', async () => {
    const local = createPrometheusProvider({ defaultTimeoutSeconds: 5, address: server.url });
    const m = await local.measure(metricFor({ type: 'prometheus', address: 'http://prometheus.monitoring:9090', query: 'answer(0.5)' }), { now });
    expect(m).toMatchObject({ kind: 'value', value: [0.5] });
  });

  it('queryRange returns one observation per step; a missing step is no data', async () => {
    const from = 1_767_607_200_000;
    const points = await provider.queryRange?.(metricFor({ type: 'prometheus', address: server.url, query: 'x' }), { from, to: from + 60_000, stepMs: 30_000 });
    expect(Array.isArray(points)).toBe(true);
    const list = points as { at: number; observation: { kind: string; value?: unknown } }[];
    expect(list.map((p) => [p.at - from, p.observation.kind])).toEqual([[0, 'value'], [30_000, 'value'], [60_000, 'noData']]);
    expect(list[0]?.observation.value).toEqual([0.01]);
  });

  it.each([
    ['0.5', 0.5], ['+Inf', Infinity], ['-Inf', -Infinity], ['1e-3', 0.001],
  ])('parses sample value %s', (raw, expected) => {
    expect(parseSampleValue(raw)).toBe(expected);
  });

  it.each([
    ['sum(rate(x[2m])) / sum(rate(y[2m]))', '2m'],
    ['avg_over_time((a/b)[1h:]) * 3 > rate(c[5m])', '1h'],
    ['up', undefined],
  ])('windowOf(%s) = %s', (query, window) => {
    expect(windowOf(query).window).toBe(window);
  });
});
