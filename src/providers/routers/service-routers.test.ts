import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../config/load.js';
import { systemClock } from '../../platform/clock.js';
import { createSilentLogger } from '../../platform/logger.js';
import { createDataPlane } from '../../proxy/data-plane.js';
import { sendRequests, startVersionServer, type VersionServer } from '../../proxy/test-support.case.js';
import { createRoutedTrafficPort, type RoutedTrafficPort } from '../../services/traffic.js';
import { requireComponent } from '../../testing/components.js';
import { freePort } from '../../testing/ports.js';
import { createTestRampart } from '../../testing/rampart.js';
import { createServiceRouters, type RoutedService } from './service-routers.js';

const nginx = requireComponent('nginx', ['/usr/sbin/nginx'], 'apt-get install -y nginx');
// After `nginx -s reload` returns, the master still has to start the new workers.
const settle = () => new Promise((r) => setTimeout(r, 400));
const share = (r: { byVersion: Map<string, number> }, version: string, n: number) => (r.byVersion.get(version) ?? 0) / n;

describe.runIf(nginx.available)('traffic.services[].router drives the selected router (real nginx, built-in proxy, nop)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-routers-'));
  const dataPlane = createDataPlane({ clock: systemClock });
  let v1: VersionServer;
  let v2: VersionServer;
  let v3: VersionServer;
  let nginxPort: number;
  let close = async () => {};
  let port: RoutedTrafficPort;
  const failures: string[] = [];

  beforeAll(async () => {
    [v1, v2, v3] = await Promise.all([startVersionServer('v1'), startVersionServer('v2'), startVersionServer('v3')]);
    nginxPort = await freePort();
    const text = [
      'traffic:',
      '  services:',
      `    - { service: api, port: ${nginxPort}, stable: { version: v1, url: "${v1.url}" }, canary: { version: v2, url: "${v2.url}" }, router: { type: nginx, config: { prefix: nginx } } }`,
      `    - { service: web, port: 0, stable: { version: v1, url: "${v1.url}" }, canary: { version: v2, url: "${v2.url}" } }`,
      `    - { service: batch, port: 0, stable: { version: v1, url: "${v1.url}" }, router: { type: nop } }`,
    ].join('\n');
    const parsed = parseConfig(text, join(dir, 'rampart.yaml'));
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const services: RoutedService[] = parsed.config.traffic.services.map((t) => ({ ...t, stable: { version: t.stable.version, url: t.stable.url! } }));
    const web = parsed.config.traffic.services[1]!;
    const added = await dataPlane.addService({ service: web.service, port: 0, stable: { version: 'v1', url: v1.url }, canary: { version: 'v2', url: v2.url } });
    if (!added.ok) throw new Error(added.message);
    const routers = await createServiceRouters(services, { clock: systemClock, logger: createSilentLogger(), proxies: dataPlane, dataDir: dir, configDir: dir });
    if (!routers.ok) throw new Error(routers.message);
    close = routers.close;
    port = createRoutedTrafficPort(services.map((s) => ({ ...s, router: routers.routers.get(s.service)! })), (_s, m) => failures.push(m));
  });

  afterAll(async () => {
    await close();
    await dataPlane.close(500);
    await Promise.all([v1, v2, v3].map((v) => v?.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('each service gets the router its config names', () => {
    expect(['api', 'web', 'batch'].map((s) => port.routerOf(s))).toEqual(['nginx', 'builtin-proxy', 'nop']);
  });

  it('nginx (prefix relative to the config file) starts with everything on stable', async () => {
    const r = await sendRequests(`http://127.0.0.1:${nginxPort}`, 300, { concurrency: 8 });
    expect([r.failures, share(r, 'v1', 300)]).toEqual([0, 1]);
  });

  it('setWeight 30 moves 30 % of the real nginx traffic to canary (±3 %, 4,000 requests)', async () => {
    await port.setWeight('api', 30);
    await settle();
    const r = await sendRequests(`http://127.0.0.1:${nginxPort}`, 4000, { concurrency: 16 });
    expect(r.failures).toBe(0);
    expect(Math.abs(share(r, 'v2', 4000) - 0.3)).toBeLessThanOrEqual(0.03);
    expect(share(r, 'v1', 4000) + share(r, 'v2', 4000)).toBe(1);
  });

  it('a new canary version (setUpstreams) at 50 % replaces the old one in nginx', async () => {
    await port.setUpstreams('api', { version: 'v1', url: v1.url }, { version: 'v3', url: v3.url });
    await port.setWeight('api', 50);
    await settle();
    const r = await sendRequests(`http://127.0.0.1:${nginxPort}`, 2000, { concurrency: 16 });
    expect(r.failures).toBe(0);
    expect(r.byVersion.get('v2') ?? 0).toBe(0);
    expect(Math.abs(share(r, 'v3', 2000) - 0.5)).toBeLessThanOrEqual(0.04);
  });

  it('a header route sends matching requests to canary; reset returns everything to stable', async () => {
    await port.setWeight('api', 0);
    await port.setHeaderRoute('api', 'beta', [{ headerName: 'x-beta', headerValue: { exact: '1' } }]);
    await settle();
    const beta = await sendRequests(`http://127.0.0.1:${nginxPort}`, 200, { concurrency: 8, headersFor: () => ({ 'x-beta': '1' }) });
    expect(share(beta, 'v3', 200)).toBe(1);
    await port.setWeight('api', 80);
    await port.reset('api');
    await settle();
    const all = await sendRequests(`http://127.0.0.1:${nginxPort}`, 1000, { concurrency: 16, headersFor: (i): Record<string, string> => (i % 2 ? { 'x-beta': '1' } : {}) });
    expect([all.failures, share(all, 'v1', 1000)]).toEqual([0, 1]);
  });

  it('nginx cannot mirror: the port rejects with the router\'s reason and the split is unchanged', async () => {
    await expect(port.setMirror('api', { name: 'shadow', percentage: 10 })).rejects.toMatchObject({ code: 'UNAVAILABLE', message: expect.stringMatching(/nginx router could not set mirror shadow: .*does not mirror/) });
    expect(failures.at(-1)).toMatch(/does not mirror/);
  });

  it('the same port drives the built-in proxy of a service without a router field', async () => {
    await port.setWeight('web', 100);
    const proxied = dataPlane.get('web')!;
    expect(proxied.routing().canaryWeight).toBe(10_000);
    await port.setUpstreams('web', { version: 'v1', url: v1.url }, { version: 'v3', url: v3.url });
    expect(proxied.upstreams().canary).toEqual({ version: 'v3', url: v3.url });
    await port.reset('web');
    expect(proxied.routing().canaryWeight).toBe(0);
  });

  it('nop accepts valid changes and still rejects invalid ones', async () => {
    await port.setWeight('batch', 40);
    await expect(port.setWeight('batch', 140)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe.runIf(nginx.available)('rampart up with a service behind nginx', () => {
  it('starts nginx on the service port in front of stable (no built-in listener), and stops it on close', async () => {
    const v1 = await startVersionServer('v1');
    const listen = await freePort();
    const r = await createTestRampart({
      configYaml: `traffic:\n  services:\n    - { service: api, port: ${listen}, stable: { version: v1, url: "${v1.url}" }, router: { type: nginx } }\n`,
    });
    try {
      const res = await sendRequests(`http://127.0.0.1:${listen}`, 50, { concurrency: 4 });
      expect([res.failures, share(res, 'v1', 50)]).toEqual([0, 1]);
      const metrics = await r.request('/metrics', { token: null });
      expect(await metrics.text()).not.toMatch(/http_requests_total\{[^}]*service="api"/);
    } finally {
      await r.cleanup();
      await v1.close();
    }
    const after = await sendRequests(`http://127.0.0.1:${listen}`, 1, { concurrency: 1 });
    expect(after.failures).toBe(1);
  });
});

describe('createServiceRouters', () => {
  it('refuses two services whose prefixes name one directory but whose nginx settings differ, starting nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rampart-routers-'));
    try {
      const svc = (service: string, port: number, config: Record<string, unknown>): RoutedService => ({
        service, host: '127.0.0.1', port, stable: { version: 'v1', url: 'http://127.0.0.1:9' }, router: { type: 'nginx', config: { manage: false, ...config } },
      });
      const r = await createServiceRouters([svc('api', 18081, { prefix: 'ngx' }), svc('web', 18082, { prefix: join(dir, 'ngx'), workerProcesses: 2 })],
        { clock: systemClock, logger: createSilentLogger(), proxies: createDataPlane({ clock: systemClock }), dataDir: dir, configDir: dir });
      expect(r).toEqual({ ok: false, message: `web and api share the nginx under ${join(dir, 'ngx')} but set different workerProcesses; make them equal or give one its own prefix` });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
