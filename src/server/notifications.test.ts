import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { ManualClock } from '../platform/clock.js';
import { createRampart } from '../main.js';
import { type Receiver, rollbackEvent, startReceiver } from '../providers/notifiers/notifier.case.js';
import { createTestRampart } from '../testing/rampart.js';

const hmacKey = 'SECRET-api-hmac-key-2b8d';
const routingKey = 'SECRET-api-routing-6c1e';

describe('notifications API and wiring', () => {
  let rx: Receiver;
  let r: Awaited<ReturnType<typeof createTestRampart>>;
  let viewerToken: string;
  beforeAll(async () => {
    rx = await startReceiver();
    r = await createTestRampart({ configYaml: [
      'notifications:',
      '  maxAttempts: 2',
      '  notifiers:',
      '    - name: hook',
      '      type: webhook',
      '      events: ["rollout.*", "flag.killed"]',
      `      config: { url: "${rx.url}/in", secret: "${hmacKey}" }`,
      '    - name: pager',
      '      type: pagerduty',
      `      config: { routingKey: "${routingKey}", baseUrl: "${rx.url}" }`,
      '',
    ].join('\n') });
    const res = await r.request('/api/v1/tokens', { method: 'POST', body: JSON.stringify({ name: 'v', roles: ['viewer'] }) });
    viewerToken = ((await res.json()) as { token: string }).token;
  });
  afterAll(async () => {
    await r.cleanup();
    await rx.close();
  });

  it('deps.notify stores rows, the outbox key delivers them, and the admin API lists them without secrets', async () => {
    await r.deps.notify({ ...rollbackEvent(), id: 'ntf_api_1' });
    await r.deps.notify({ type: 'exception.approve', subject: { kind: 'exception', id: 'exc_1' } });
    const pending = await (await r.request('/api/v1/notifications/outbox?state=pending')).json() as { rows: Array<Record<string, unknown>> };
    expect(pending.rows.map((x) => x.notifier).sort()).toEqual(['hook', 'pager']);
    // notify kicked `outbox:deliver` on the reconciler; the composition root routes it to the outbox.
    (r.deps.clock as ManualClock).advance(0);
    await vi.waitFor(() => expect(rx.requests.map((q) => q.url).sort()).toEqual(['/in', '/v2/enqueue']));
    await vi.waitFor(async () => expect(await r.deps.notifications.list({ state: 'delivered', limit: 5 })).toHaveLength(2));
    const delivered = await r.request('/api/v1/notifications/outbox?state=delivered');
    const text = await delivered.text();
    expect((JSON.parse(text) as { rows: unknown[] }).rows).toHaveLength(2);
    const notifiers = await (await r.request('/api/v1/notifications/notifiers')).text();
    expect(JSON.parse(notifiers)).toMatchObject({ notifiers: [
      { name: 'hook', type: 'webhook', events: ['rollout.*', 'flag.killed'], config: { url: '[redacted]', secret: '[redacted]', source: 'rampart' } },
      { name: 'pager', type: 'pagerduty', events: ['*'], config: { routingKey: '[redacted]', tiers: [1] } },
    ] });
    const audit = await (await r.request('/api/v1/audit?limit=100')).text();
    for (const s of [hmacKey, routingKey, `${rx.url}/in`]) {
      expect(text + notifiers + audit).not.toContain(s);
    }
  });

  it('the outbox API is for admins and validates its query', async () => {
    expect((await r.request('/api/v1/notifications/outbox', { token: viewerToken })).status).toBe(403);
    expect((await r.request('/api/v1/notifications/notifiers', { token: viewerToken })).status).toBe(403);
    expect((await r.request('/api/v1/notifications/outbox', { token: null })).status).toBe(401);
    expect((await r.request('/api/v1/notifications/outbox?state=lost')).status).toBe(400);
  });

  it('a bad notifier config stops the start with the field path, never the secret value', async () => {
    const { mkdtempSync, writeFileSync, rmSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'rampart-bad-notify-'));
    const file = join(dir, 'rampart.yaml');
    writeFileSync(file, 'notifications:\n  notifiers:\n    - { name: hook, type: webhook, config: { url: "not a url SECRET-x", secret: "short-SECRET" } }\n    - { name: mail, type: email }\n');
    try {
      await expect(createRampart({ env: {}, configFile: file, dataDir: dir })).rejects.toMatchObject({
        code: 'CONFIG_INVALID',
        message: expect.stringMatching(/notifications\.notifiers\[0\]\.config\.url: webhook: .*notifications\.notifiers\[1\]\.type: unknown notifier type "email"/s),
      });
      await createRampart({ env: {}, configFile: file, dataDir: dir }).catch((err: Error) => expect(err.message).not.toContain('SECRET'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
