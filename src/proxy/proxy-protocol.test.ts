import { createServer, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import type { Duplex } from 'node:stream';
import { request } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../platform/clock.js';
import { freePort } from '../testing/ports.js';
import { createFaultTable } from './faults.js';
import { createMetricsStore } from './metrics-store.js';
import { createServiceProxy, type ServiceProxyOptions } from './service-proxy.js';
import { sendRequests, setupProxy, startVersionServer, type VersionServer } from './test-support.case.js';

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()?.();
});
const setup = (extra: Partial<ServiceProxyOptions> = {}, upstreams?: { stable: VersionServer; canary: VersionServer }) => setupProxy(cleanups, extra, upstreams);

describe('built-in proxy: failures, timeouts, mirror, faults', () => {
  it('a refused connection answers 502 and is counted against that version', async () => {
    const deadPort = await freePort();
    const stable = await startVersionServer('v1');
    const canary = await startVersionServer('v2');
    await canary.close();
    const { proxy, url, metrics } = await setup({ canary: { version: 'v2', url: `http://127.0.0.1:${deadPort}` } }, { stable, canary });
    proxy.setWeight(100);
    const r = await sendRequests(url, 20, { concurrency: 4 });
    expect(r.statuses.get(502)).toBe(20);
    const m = metrics.errorRatio('api', 'v2', 60, Date.now());
    expect(m).toEqual({ value: 1, requests: 20 });
    expect(metrics.countsOver('api', 'v1', 60, Date.now()).requests).toBe(0);
  });

  it('a slow upstream answers 504 after the per-request timeout', async () => {
    const slow = await startVersionServer('v1', (_req, res) => {
      const t = setTimeout(() => res.end('late'), 2_000);
      res.on('close', () => clearTimeout(t));
      return true;
    });
    const canary = await startVersionServer('v2');
    const { url, metrics } = await setup({ timeoutMs: 200 }, { stable: slow, canary });
    const started = performance.now();
    const res = await request(`${url}/`);
    await res.body.text();
    expect(res.statusCode).toBe(504);
    expect(performance.now() - started).toBeLessThan(1_500);
    expect(metrics.countsOver('api', 'v1', 60, Date.now())).toMatchObject({ requests: 1, errors: 1 });
  });

  it('mirrors a share of requests to canary without the client seeing canary', async () => {
    const failingCanary = await startVersionServer('v2', (_req, res) => {
      res.writeHead(500, { 'x-version': 'v2' });
      res.end('boom');
      return true;
    });
    const stable = await startVersionServer('v1');
    const { proxy, url, metrics } = await setup({}, { stable, canary: failingCanary });
    expect(proxy.setMirror({ name: 'shadow', percentage: 50 })).toEqual({ ok: true });
    const r = await sendRequests(url, 2_000, { concurrency: 16 });
    expect(r.failures).toBe(0);
    expect(r.byVersion.get('v1')).toBe(2_000);
    // Mirrored requests finish on their own; wait (bounded) for them to land.
    for (let i = 0; i < 50 && metrics.countsOver('api', 'v2', 60, Date.now()).requests < failingCanary.hits(); i++) await new Promise((r) => setTimeout(r, 20));
    expect(failingCanary.hits() / 2_000).toBeGreaterThan(0.45);
    expect(failingCanary.hits() / 2_000).toBeLessThan(0.55);
    expect(metrics.errorRatio('api', 'v2', 60, Date.now()).value).toBe(1);
  });

  it('an abort fault answers its status for its share; a latency fault delays and tells the service', async () => {
    const { proxy, faults, url, canary } = await setup();
    proxy.setWeight(100);
    expect(faults.set('api', 'v2', { abortShare: 0.3, abortStatus: 503, durationMs: 60_000 }).ok).toBe(true);
    const r = await sendRequests(url, 2_000, { concurrency: 16 });
    const aborted = (r.statuses.get(503) ?? 0) / 2_000;
    expect(aborted).toBeGreaterThan(0.25);
    expect(aborted).toBeLessThan(0.35);
    faults.set('api', 'v2', { latencyMs: 150, latencyShare: 1, durationMs: 60_000 });
    const t0 = performance.now();
    const res = await request(`${url}/`);
    await res.body.text();
    expect(performance.now() - t0).toBeGreaterThanOrEqual(145);
    expect(canary.lastHeaders()['x-rampart-fault-latency-ms']).toBe('150');
    faults.clear('api', 'v2');
    const fast = await sendRequests(url, 200, { concurrency: 8 });
    expect(fast.statuses.get(200)).toBe(200);
  });
});

describe('built-in proxy: protocol', () => {
  it('adds X-Forwarded-For/Proto/Host, keeps Host, drops hop-by-hop headers, streams POST bodies', async () => {
    const { url, stable } = await setup();
    const res = await request(`${url}/echo?x=1`, { method: 'POST', body: 'hello', headers: { 'x-forwarded-for': '10.0.0.1', host: 'shop.example', 'proxy-authorization': 'secret' } });
    expect(await res.body.text()).toBe('v1:hello');
    const h = stable.lastHeaders();
    expect(h['x-forwarded-for']).toBe('10.0.0.1, 127.0.0.1');
    expect(h['x-forwarded-proto']).toBe('http');
    expect(h['x-forwarded-host']).toBe('shop.example');
    expect(h.host).toBe('shop.example');
    expect(h['proxy-authorization']).toBeUndefined();
  });

  it('accepts Expect: 100-continue uploads (answered by the proxy, not forwarded)', async () => {
    const { address, stable } = await setup();
    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: address.port, path: '/upload', method: 'PUT', headers: { expect: '100-continue', 'content-length': '5' } }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('continue', () => req.end('12345'));
      req.on('error', reject);
    });
    expect(answer).toEqual({ status: 200, body: 'v1:12345' });
    expect(stable.lastHeaders().expect).toBeUndefined();
  });

  it('streams a multi-chunk answer as it arrives (chunked, 1 MiB)', async () => {
    const big = Buffer.alloc(256 * 1024, 'x');
    const streaming = await startVersionServer('v1', (_req, res) => {
      res.writeHead(200, { 'x-version': 'v1' });
      let n = 0;
      const tick = () => {
        if (n++ === 4) return void res.end('!');
        res.write(big);
        setTimeout(tick, 5);
      };
      tick();
      return true;
    });
    const canary = await startVersionServer('v2');
    const { url } = await setup({}, { stable: streaming, canary });
    const res = await request(`${url}/stream`);
    const body = await res.body.text();
    expect(res.statusCode).toBe(200);
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(body.length).toBe(4 * 256 * 1024 + 1);
    expect(body.endsWith('x!')).toBe(true);
  });

  it('passes WebSocket upgrades through to the chosen version', async () => {
    // The upstream answers the upgrade with 101 and then echoes bytes.
    const wsUpstream = createServer();
    const upgraded = new Set<Duplex>();
    wsUpstream.on('upgrade', (req, socket) => {
      upgraded.add(socket);
      socket.write(`HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\nconnection: Upgrade\r\nx-seen-xff: ${String(req.headers['x-forwarded-for'])}\r\n\r\n`);
      socket.on('data', (d: Buffer) => socket.write(Buffer.concat([Buffer.from('echo:'), d])));
    });
    await new Promise<void>((r) => wsUpstream.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise((r) => {
      for (const s of upgraded) s.destroy();
      wsUpstream.close(() => r());
    }));
    const wsPort = (wsUpstream.address() as { port: number }).port;
    const proxy = createServiceProxy({ service: 'ws', stable: { version: 'ws', url: `http://127.0.0.1:${wsPort}` }, clock: systemClock, metrics: createMetricsStore({ clock: systemClock }), faults: createFaultTable(systemClock) });
    const { port } = await proxy.start();
    cleanups.push(() => proxy.close(500));
    const reply = await new Promise<string>((resolve, reject) => {
      const sock = connect(port, '127.0.0.1', () => {
        sock.write('GET /socket HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n');
      });
      let text = '';
      let pinged = false;
      sock.on('data', (d: Buffer) => {
        text += d.toString();
        if (!pinged && text.includes('\r\n\r\n')) {
          pinged = true;
          sock.write('ping');
        }
        if (text.includes('echo:ping')) {
          sock.destroy();
          resolve(text);
        }
      });
      sock.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1.1 101/);
    expect(reply).toContain('x-seen-xff: 127.0.0.1');
    expect(reply).toContain('echo:ping');
  });

  it('an upgrade to an unreachable version answers 502', async () => {
    const dead = await freePort();
    const proxy = createServiceProxy({ service: 'ws', stable: { version: 'ws', url: `http://127.0.0.1:${dead}` }, clock: systemClock, metrics: createMetricsStore({ clock: systemClock }), faults: createFaultTable(systemClock) });
    const { port } = await proxy.start();
    cleanups.push(() => proxy.close(500));
    const reply = await new Promise<string>((resolve, reject) => {
      const sock = connect(port, '127.0.0.1', () => sock.write('GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n'));
      let text = '';
      sock.on('data', (d: Buffer) => (text += d.toString()));
      sock.on('close', () => resolve(text));
      sock.on('error', reject);
    });
    expect(reply).toMatch(/^HTTP\/1.1 502/);
  });

  it('blue-green: the preview listener always reaches the new version, the active one follows the weight', async () => {
    const { proxy, url, address } = await setup({ previewPort: 0 });
    expect(address.previewPort).not.toBeNull();
    const preview = await sendRequests(`http://127.0.0.1:${address.previewPort}`, 100, { concurrency: 4 });
    expect(preview.byVersion.get('v2')).toBe(100);
    expect((await sendRequests(url, 100, { concurrency: 4 })).byVersion.get('v1')).toBe(100);
    proxy.setWeight(100); // promotion
    expect((await sendRequests(url, 100, { concurrency: 4 })).byVersion.get('v2')).toBe(100);
  });

  it('drains on close: an in-flight request completes, new connections are refused', async () => {
    const slow = await startVersionServer('v1', (_req, res) => {
      setTimeout(() => {
        res.writeHead(200, { 'x-version': 'v1' });
        res.end('slow');
      }, 300);
      return true;
    });
    const canary = await startVersionServer('v2');
    const { proxy, address } = await setup({}, { stable: slow, canary });
    const inflight = new Promise<{ status: number; body: string; connection: string | undefined }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: address.port, path: '/' }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }));
      });
      req.on('error', reject);
      req.end();
    });
    while (proxy.inFlight() === 0) await new Promise((r) => setTimeout(r, 5));
    const closed = proxy.close(5_000);
    const answer = await inflight;
    expect(answer).toMatchObject({ status: 200, body: 'slow' });
    await closed;
    await expect(request(`http://127.0.0.1:${address.port}/`)).rejects.toThrow();
  });
});
