import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../testing/ports.js';
import { sendJson, startTestServer } from '../../testing/http-test-server.js';
import { metricFor, metricProviderContract } from './provider.case.js';
import { createWebProvider } from './web.js';

describe('web provider', () => {
  let server: Awaited<ReturnType<typeof startTestServer>>;
  let closedPort: number;
  beforeAll(async () => {
    server = await startTestServer((req, body, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname === '/value') return sendJson(res, 200, { data: { value: Number(url.searchParams.get('n')), checks: [{ ok: true }, { ok: false }] } });
      if (url.pathname === '/echo') return sendJson(res, 200, { method: req.method, body, token: req.headers.authorization ?? null });
      if (url.pathname === '/broken') return sendJson(res, 500, { error: 'database down' });
      if (url.pathname === '/missing') return sendJson(res, 404, { error: 'no such check' });
      if (url.pathname === '/text') {
        res.writeHead(200, { 'content-type': 'text/plain' });
        return void res.end('OK');
      }
      if (url.pathname === '/hang') return;
      sendJson(res, 404, {});
    });
    closedPort = await freePort();
  });
  afterAll(() => server.close());

  metricProviderContract('web', { empty: false, hanging: true }, async () => ({
    provider: createWebProvider({ defaultTimeoutSeconds: 5 }),
    answering: (v) => metricFor({ type: 'web', url: `${server.url}/value?n=${v}`, jsonPath: '{$.data.value}' }),
    failing: () => metricFor({ type: 'web', url: `http://127.0.0.1:${closedPort}/health` }),
    hanging: () => metricFor({ type: 'web', url: `${server.url}/hang` }),
    foreign: () => metricFor({ type: 'prometheus', address: server.url, query: 'up' }),
    close: async () => {},
  }));

  const provider = createWebProvider({ defaultTimeoutSeconds: 5 });
  const now = 0;

  it.each([
    ['/value?n=3', '$.data.checks[1].ok', { kind: 'value', value: false }],
    ['/value?n=3', "$['data']['checks'][-1]", { kind: 'value', value: { ok: false } }],
    ['/value?n=3', undefined, { kind: 'value', value: { data: { value: 3, checks: [{ ok: true }, { ok: false }] } } }],
    ['/value?n=3', '$.data.nope', { kind: 'error', errorCode: 'bad_response', message: expect.stringContaining('$.data has no field "nope"') }],
    ['/broken', undefined, { kind: 'error', errorCode: 'unavailable', message: expect.stringContaining('HTTP 500') }],
    ['/missing', undefined, { kind: 'error', errorCode: 'bad_query', message: expect.stringContaining('HTTP 404') }],
    ['/text', undefined, { kind: 'error', errorCode: 'bad_response', message: expect.stringContaining('did not answer JSON') }],
  ])('GET %s with jsonPath %s → %o', async (path, jsonPath, expected) => {
    const m = await provider.measure(metricFor({ type: 'web', url: `${server.url}${path}`, ...(jsonPath ? { jsonPath } : {}) }), { now });
    expect(m).toMatchObject(expected);
  });

  it('sends method, headers and body as written', async () => {
    const m = await provider.measure(metricFor({ type: 'web', url: `${server.url}/echo`, method: 'POST', body: '{"q":1}', headers: [{ key: 'Authorization', value: 'Bearer t' }] }), { now });
    expect(m).toMatchObject({ kind: 'value', value: { method: 'POST', body: '{"q":1}', token: 'Bearer t' }, query: `POST ${server.url}/echo` });
  });

  it('honours timeoutSeconds', async () => {
    const m = await provider.measure(metricFor({ type: 'web', url: `${server.url}/hang`, timeoutSeconds: 0.2 }), { now });
    expect([m.kind, m.errorCode]).toEqual(['error', 'timeout']);
  });
});
