import { describe, expect, it } from 'vitest';
import { systemClock } from '../../platform/clock.js';
import { createSilentLogger } from '../../platform/logger.js';
import { startVersionServer } from '../../proxy/test-support.case.js';
import { freePort } from '../../testing/ports.js';
import { createRuntime } from './registry.js';
import { runtimeContract } from './runtime.case.js';
import { staticUrlRuntime } from './static-url.js';

const deps = { clock: systemClock, logger: createSilentLogger(), dataDir: '/nonexistent' };

runtimeContract('static-url', async () => {
  const upstream = await startVersionServer('1.0.0');
  const dead = await freePort();
  const runtime = await staticUrlRuntime.create(staticUrlRuntime.configSchema.parse({
    versions: { '1.0.0': upstream.url, broken: `http://127.0.0.1:${dead}` }, healthTimeoutMs: 300,
  }), deps);
  return {
    runtime, service: 'api', version: '1.0.0', ownsProcess: false,
    startBroken: () => runtime.start({ service: 'api', version: 'broken' }),
    cleanup: () => upstream.close(),
  };
});

describe('static-url runtime', () => {
  it('renders {{service}} and {{version}} in a URL template', async () => {
    const upstream = await startVersionServer('x');
    const runtime = await staticUrlRuntime.create(staticUrlRuntime.configSchema.parse({ url: `http://127.0.0.1:${upstream.port}/` }), deps);
    const r = await runtime.start({ service: 'api', version: '2.0.0' });
    expect(r).toEqual({ ok: true, value: { service: 'api', version: '2.0.0', url: upstream.url } });
    await upstream.close();
  });

  it.each([
    [{}, 'set url'],
    [{ url: 'http://{{host}}:80' }, 'url may only use'],
    [{ url: 'http://x', extra: 1 }, 'extra'],
  ])('config %j is rejected naming %s', async (config, word) => {
    const r = await createRuntime('static-url', config, deps, 'services.api.runtime');
    expect(r.ok).toBe(false);
    if (!r.ok) {
      expect(r.code).toBe('invalid_config');
      expect(r.message).toContain('services.api.runtime');
      expect(r.message).toContain(word);
    }
  });

  it('an unknown runtime type is a configuration error listing the known ones', async () => {
    const r = await createRuntime('docker', {}, deps);
    expect(r).toMatchObject({ ok: false, code: 'unknown_type' });
    if (!r.ok) expect(r.message).toContain('process, static-url');
  });
});
