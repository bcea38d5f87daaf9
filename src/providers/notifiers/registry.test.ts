import { describe, expect, it } from 'vitest';
import { createManualClock } from '../../platform/clock.js';
import { NOTIFIER_DEFINITIONS } from './definitions.js';
import { nopNotifier } from './nop.js';
import { globMatches, createNotifierRegistry } from './registry.js';
import { rollbackEvent } from './notifier.case.js';

const deps = { clock: createManualClock(), timeoutMs: 1000 };
const registry = createNotifierRegistry(NOTIFIER_DEFINITIONS);

describe('notifier registry', () => {
  it('knows every shipped kind', () => {
    expect(registry.types).toEqual(['github', 'nop', 'pagerduty', 'slack', 'webhook']);
  });

  it.each([
    ['*', 'rollout.aborted', true],
    ['rollout.*', 'rollout.aborted', true],
    ['rollout.*', 'flag.killed', false],
    ['rollout.aborted', 'rollout.aborted', true],
    ['rollout.aborted', 'rollout.abortedx', false],
    ['rollout.aborted', 'rolloutXaborted', false],
    ['*.killed', 'flag.killed', true],
  ])('glob %s matches %s: %s', (glob, type, expected) => {
    expect(globMatches(glob, type)).toBe(expected);
  });

  it('an unknown type names the known ones; duplicate names are refused; nothing is created', () => {
    const r = registry.createSet([
      { name: 'a', type: 'email', events: ['*'] },
      { name: 'b', type: 'nop', events: ['*'] },
      { name: 'b', type: 'nop', events: ['*'] },
    ], deps);
    expect(r).toEqual({ ok: false, problems: [
      { code: 'NOTIFIER_UNKNOWN', path: 'notifications.notifiers[0].type', message: 'unknown notifier type "email"; known types: github, nop, pagerduty, slack, webhook' },
      { code: 'NOTIFIER_DUPLICATE', path: 'notifications.notifiers[2].name', message: 'notifier name "b" is also used by notifications.notifiers[1]; names must be unique' },
    ] });
  });

  it('a missing secret is a problem at its field path', () => {
    const r = registry.createSet([{ name: 'pd', type: 'pagerduty', events: ['*'], config: {} }], deps);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map((p) => p.path)).toEqual(['notifications.notifiers[0].config.routingKey']);
  });

  it('wants = subscribed by glob and accepted by the notifier', () => {
    const r = registry.createSet([
      { name: 'rollouts', type: 'nop', events: ['rollout.*'] },
      { name: 'pd', type: 'pagerduty', events: ['*'], config: { routingKey: 'k' } },
    ], deps);
    if (!r.ok) throw new Error('expected ok');
    const [rollouts, pd] = r.notifiers;
    expect(rollouts!.wants(rollbackEvent())).toBe(true);
    expect(rollouts!.wants(rollbackEvent({ type: 'flag.killed' }))).toBe(false);
    expect(pd!.wants(rollbackEvent())).toBe(true);
    expect(pd!.wants(rollbackEvent({ tier: 2 }))).toBe(false);
  });

  it('nop accepts everything and sends nothing', async () => {
    expect(await nopNotifier.create({}, deps).send(rollbackEvent())).toEqual({ ok: true });
    expect(nopNotifier.configSchema.safeParse({ url: 'x' }).success).toBe(false);
  });
});
