import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../../platform/clock.js';
import { type Receiver, notifierContract, rollbackEvent, startReceiver } from './notifier.case.js';
import { slackNotifier } from './slack.js';

notifierContract('slack', {
  definition: slackNotifier as never,
  config: (url) => ({ webhookUrl: `${url}/services/T000/B000/xoxSlackSecretPath` }),
  secrets: ['/services/T000/B000/xoxSlackSecretPath'],
});

describe('slack payload', () => {
  let rx: Receiver;
  beforeAll(async () => {
    rx = await startReceiver();
  });
  afterAll(() => rx.close());

  it('posts Block Kit with service, version, reason, the deciding measurements and the link', async () => {
    const n = slackNotifier.create({ webhookUrl: `${rx.url}/services/T1/B1/abc` }, { clock: createManualClock(), timeoutMs: 2000 });
    expect(await n.send(rollbackEvent())).toEqual({ ok: true });
    const req = rx.requests[0]!;
    expect(req.url).toBe('/services/T1/B1/abc');
    expect(req.headers['content-type']).toBe('application/json');
    const msg = JSON.parse(req.body) as { text: string; blocks: Array<Record<string, any>> }; // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(msg.text).toBe('Rollout rolled back: checkout — analysis slo-burn-check Failed');
    expect(msg.blocks.map((b) => b.type)).toEqual(['header', 'section', 'section', 'actions', 'context']);
    expect(msg.blocks[0]).toEqual({ type: 'header', text: { type: 'plain_text', text: 'Rollout rolled back: checkout' } });
    expect(msg.blocks[1]!.fields.map((f: { text: string }) => f.text)).toEqual([
      '*Service*\ncheckout', '*Version*\nv2.0.0', '*Reason*\nanalysis slo-burn-check Failed', '*Namespace*\nproduction',
    ]);
    expect(msg.blocks[2]!.text.text).toBe('*Deciding measurements*\n• error-rate = 0.2 (result[0] < 0.05: Failed)');
    expect(msg.blocks[3]!.elements[0]).toMatchObject({ type: 'button', url: 'http://rampart.local/rollouts/ro_checkout_7' });
    expect(msg.blocks[4]!.elements[0].text).toContain('rollout.rolled_back · rollout ro_checkout_7');
  });

  it('an event without measurements or link has no empty blocks', async () => {
    rx.requests.length = 0;
    const n = slackNotifier.create({ webhookUrl: `${rx.url}/x` }, { clock: createManualClock(), timeoutMs: 2000 });
    const { measurements: _m, link: _l, ...bare } = rollbackEvent({ type: 'flag.killed' });
    await n.send(bare);
    const msg = JSON.parse(rx.requests[0]!.body) as { blocks: Array<{ type: string }> };
    expect(msg.blocks.map((b) => b.type)).toEqual(['header', 'section', 'context']);
  });
});
