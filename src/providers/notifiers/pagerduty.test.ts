import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../../platform/clock.js';
import { type Receiver, notifierContract, rollbackEvent, startReceiver } from './notifier.case.js';
import { pagerDutyNotifier } from './pagerduty.js';

const routingKey = 'R0UTINGKEYpagerduty0123456789ab';
notifierContract('pagerduty', {
  definition: pagerDutyNotifier as never,
  config: (url) => ({ routingKey, baseUrl: url }),
  secrets: [routingKey],
});

describe('pagerduty payload', () => {
  let rx: Receiver;
  beforeAll(async () => {
    rx = await startReceiver(202);
  });
  afterAll(() => rx.close());
  const make = (extra: Record<string, unknown> = {}) =>
    pagerDutyNotifier.create(pagerDutyNotifier.configSchema.parse({ routingKey, baseUrl: `${rx.url}/`, ...extra }), { clock: createManualClock(), timeoutMs: 2000 });

  it('triggers on a tier-1 rollback, then resolves on recovery with the same dedup_key', async () => {
    const n = make();
    expect(await n.send(rollbackEvent())).toEqual({ ok: true });
    expect(await n.send(rollbackEvent({ id: 'ntf_02', type: 'rollout.recovered', reason: 'stable healthy' }))).toEqual({ ok: true });
    expect(rx.requests.map((r) => r.url)).toEqual(['/v2/enqueue', '/v2/enqueue']);
    const [trigger, resolve] = rx.requests.map((r) => JSON.parse(r.body) as Record<string, any>); // eslint-disable-line @typescript-eslint/no-explicit-any
    expect(trigger).toMatchObject({
      routing_key: routingKey, event_action: 'trigger', dedup_key: 'rampart/rollout/ro_checkout_7',
      payload: {
        summary: 'Rollout rolled back: checkout v2.0.0 — analysis slo-burn-check Failed', source: 'rampart/production/checkout', severity: 'critical',
        timestamp: '2026-01-05T10:00:00.000Z', component: 'checkout', group: 'production', class: 'rollout.rolled_back',
        custom_details: { service: 'checkout', version: 'v2.0.0', tier: 1, measurements: ['error-rate = 0.2 (result[0] < 0.05: Failed)'] },
      },
      links: [{ href: 'http://rampart.local/rollouts/ro_checkout_7' }],
    });
    expect(resolve).toEqual({ routing_key: routingKey, event_action: 'resolve', dedup_key: trigger!.dedup_key });
  });

  it.each([
    ['tier-1 rollback', { tier: 1 }, true],
    ['tier-2 rollback', { tier: 2 }, false],
    ['rollback without a tier', { tier: undefined }, false],
    ['tier-1 promotion', { tier: 1, type: 'rollout.promoted' }, false],
    ['tier-1 abort', { tier: 1, type: 'rollout.aborted' }, true],
    ['recovery of any tier', { tier: 3, type: 'rollout.recovered' }, true],
  ] as const)('accepts a %s: %s', (_label, over, accepted) => {
    expect(make().accepts!(rollbackEvent(over as never))).toBe(accepted);
  });

  it('the paging tiers and event types come from config', () => {
    const n = make({ tiers: [1, 2], triggerOn: ['rollout.paused'] });
    expect(n.accepts!(rollbackEvent({ tier: 2, type: 'rollout.paused' }))).toBe(true);
    expect(n.accepts!(rollbackEvent({ tier: 1 }))).toBe(false);
  });
});
