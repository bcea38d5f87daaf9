import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OFREPProvider } from '@openfeature/ofrep-provider';
import { OpenFeature, ProviderEvents } from '@openfeature/server-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../src/main.js';
import { createSilentLogger } from '../../src/platform/logger.js';
import { RampartProvider } from '../../src/sdk/openfeature-provider.js';

const admin = 'rpt_openfeature-test-admin-000000000000';

describe('OpenFeature against a running Rampart', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-of-'));
  let server: RunningServer;
  let clientKey: string;
  const api = (path: string, method: string, body: unknown) =>
    fetch(`${server.url}${path}`, { method, headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  beforeAll(async () => {
    server = await startServer({ env: { adminToken: admin }, dataDir: dir, port: 0, logger: createSilentLogger() });
    clientKey = ((await (await api('/api/v1/client-keys', 'POST', { name: 'svc', environment: 'production' })).json()) as { key: string }).key;
    await api('/api/v1/flags/checkout-v2', 'PUT', {
      reason: 'test',
      definition: {
        state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off',
        targeting: { if: [{ in: [{ var: 'plan' }, ['enterprise']] }, 'on', 'off'] },
      },
    });
    await api('/api/v1/flags/banner', 'PUT', { reason: 'test', definition: { state: 'ENABLED', variants: { a: 'hello', b: 'bye' }, defaultVariant: 'a' } });
  });
  afterAll(async () => {
    await OpenFeature.close();
    await server.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('evaluates in process with the Rampart provider and hears configuration changes', async () => {
    const provider = new RampartProvider({ server: server.url, clientKey, pollIntervalMs: 50 });
    await OpenFeature.setProviderAndWait('rampart', provider);
    const client = OpenFeature.getClient('rampart');
    expect(await client.getBooleanValue('checkout-v2', false, { targetingKey: 'u1', plan: 'enterprise' })).toBe(true);
    expect(await client.getBooleanDetails('checkout-v2', true, { targetingKey: 'u1', plan: 'free' })).toMatchObject({ value: false, variant: 'off', reason: 'TARGETING_MATCH' });
    expect(await client.getStringValue('banner', 'x')).toBe('hello');
    expect(await client.getNumberDetails('banner', 7)).toMatchObject({ value: 7, errorCode: 'TYPE_MISMATCH' });
    expect(await client.getBooleanDetails('missing', true)).toMatchObject({ value: true, errorCode: 'FLAG_NOT_FOUND' });

    const changed = new Promise<string[]>((resolve) => client.addHandler(ProviderEvents.ConfigurationChanged, (e) => resolve(e?.flagsChanged ?? [])));
    await api('/api/v1/flags/banner', 'PUT', { reason: 'switch', definition: { state: 'ENABLED', variants: { a: 'hello', b: 'bye' }, defaultVariant: 'b' } });
    expect(await changed).toEqual(['banner']);
    expect(await client.getStringValue('banner', 'x')).toBe('bye');
  });

  it('works with the OpenFeature OFREP provider against Rampart\'s OFREP endpoint', async () => {
    await OpenFeature.setProviderAndWait('ofrep', new OFREPProvider({ baseUrl: server.url, headers: [['X-API-Key', clientKey]] }));
    const client = OpenFeature.getClient('ofrep');
    expect(await client.getBooleanValue('checkout-v2', false, { targetingKey: 'u1', plan: 'enterprise' })).toBe(true);
    expect(await client.getBooleanDetails('checkout-v2', true, { targetingKey: 'u2', plan: 'free' })).toMatchObject({ value: false, variant: 'off' });
    expect(await client.getBooleanDetails('missing', true)).toMatchObject({ value: true, errorCode: 'FLAG_NOT_FOUND' });
  });
});
