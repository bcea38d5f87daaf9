import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Hono } from 'hono';
import { afterAll, describe, expect, it } from 'vitest';
import { serveWeb } from './static.js';

describe('serveWeb', () => {
  const root = mkdtempSync(join(tmpdir(), 'rampart-web-'));
  mkdirSync(join(root, 'assets'));
  writeFileSync(join(root, 'index.html'), '<!doctype html><title>Rampart</title>');
  writeFileSync(join(root, 'assets', 'index-abc.js'), 'console.log(1)');
  writeFileSync(join(tmpdir(), 'rampart-secret.txt'), 'secret');
  const app = new Hono();
  app.use(serveWeb(root));
  app.all('*', (c) => c.json({ from: 'api' }, 404));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it.each([
    ['/', 200, 'text/html; charset=utf-8', 'no-cache'],
    ['/flags/search', 200, 'text/html; charset=utf-8', 'no-cache'],
    ['/assets/index-abc.js', 200, 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable'],
  ])('serves %s', async (path, status, type, cache) => {
    const res = await app.request(path);
    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe(type);
    expect(res.headers.get('cache-control')).toBe(cache);
    expect(res.headers.get('content-security-policy')).toMatch(/script-src 'self'/);
  });

  it.each([
    ['/api/v1/nope'], ['/ofrep/v1/x'], ['/healthz'], ['/metrics'], ['/assets/missing.js'], ['/%2e%2e/rampart-secret.txt'],
  ])('leaves %s to the API', async (path) => {
    const res = await app.request(path);
    expect(await res.json()).toEqual({ from: 'api' });
  });

  it('passes state-changing methods through', async () => {
    expect((await app.request('/', { method: 'POST' })).status).toBe(404);
  });

  it('says how to build when dist/web is missing', async () => {
    const bare = new Hono();
    bare.use(serveWeb(join(root, 'nothing-here')));
    const res = await bare.request('/');
    expect(res.status).toBe(404);
    expect(await res.text()).toMatch(/npm run build:web/);
  });
});
