import { createHmac, timingSafeEqual } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../../platform/clock.js';
import { type Receiver, notifierContract, rollbackEvent, startReceiver } from './notifier.case.js';
import { webhookNotifier } from './webhook.js';

const key = 'whsec-test-0123456789abcdef';
notifierContract('webhook', {
  definition: webhookNotifier as never,
  config: (url) => ({ url: `${url}/hooks/tok-webhook-url-secret`, secret: key }),
  secrets: [`/hooks/tok-webhook-url-secret`, key],
});

describe('webhook payload', () => {
  let rx: Receiver;
  beforeAll(async () => {
    rx = await startReceiver();
  });
  afterAll(() => rx.close());

  it('posts a CloudEvents 1.0 JSON event whose HMAC-SHA256 header the receiver can verify', async () => {
    const n = webhookNotifier.create(webhookNotifier.configSchema.parse({ url: `${rx.url}/in`, secret: key, source: 'rampart/test' }), { clock: createManualClock(), timeoutMs: 2000 });
    expect(await n.send(rollbackEvent({ type: 'rollout.aborted' }))).toEqual({ ok: true });
    const req = rx.requests[0]!;
    expect(req.url).toBe('/in');
    expect(req.headers['content-type']).toBe('application/cloudevents+json; charset=utf-8');
    const ce = JSON.parse(req.body) as Record<string, unknown>;
    expect(ce).toMatchObject({
      specversion: '1.0', id: 'ntf_01TEST', source: 'rampart/test', type: 'dev.rampart.rollout.aborted', time: '2026-01-05T10:00:00.000Z',
      subject: 'rollout/ro_checkout_7', datacontenttype: 'application/json',
      data: { service: 'checkout', version: 'v2.0.0', tier: 1, reason: 'analysis slo-burn-check Failed', measurements: [{ metric: 'error-rate', value: '0.2' }] },
    });
    // Verify as a receiver would: recompute over the raw body, compare in constant time.
    const header = String(req.headers['x-rampart-signature']);
    expect(header).toMatch(/^sha256=[0-9a-f]{64}$/);
    const expected = Buffer.from(`sha256=${createHmac('sha256', key).update(req.body).digest('hex')}`);
    expect(timingSafeEqual(Buffer.from(header), expected)).toBe(true);
    const forged = Buffer.from(`sha256=${createHmac('sha256', 'another-key-0123456789').update(req.body).digest('hex')}`);
    expect(timingSafeEqual(Buffer.from(header), forged)).toBe(false);
    expect(req.body).not.toContain(key);
  });

  it('a short signing secret is refused at config time', () => {
    expect(webhookNotifier.configSchema.safeParse({ url: 'http://x.test/', secret: 'short' }).success).toBe(false);
  });
});
