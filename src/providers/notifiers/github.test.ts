import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createManualClock } from '../../platform/clock.js';
import { githubNotifier } from './github.js';
import { type Receiver, notifierContract, rollbackEvent, startReceiver } from './notifier.case.js';

const token = 'ghp_TESTTOKEN0123456789abcdefghijklmnop';
notifierContract('github', {
  definition: githubNotifier as never,
  config: (url) => ({ token, owner: 'acme', repo: 'ops', baseUrl: url }),
  secrets: [token],
});

describe('github payload', () => {
  let rx: Receiver;
  beforeAll(async () => {
    rx = await startReceiver(201);
  });
  afterAll(() => rx.close());

  it("opens the spec's rollback issue: title, body sections, labels, bearer token", async () => {
    const n = githubNotifier.create(githubNotifier.configSchema.parse({ token, owner: 'acme', repo: 'ops', baseUrl: `${rx.url}/api/v3` }), { clock: createManualClock(), timeoutMs: 2000 });
    expect(await n.send(rollbackEvent())).toEqual({ ok: true });
    const req = rx.requests[0]!;
    expect(req.url).toBe('/api/v3/repos/acme/ops/issues');
    expect(req.headers.authorization).toBe(`Bearer ${token}`);
    expect(req.headers.accept).toBe('application/vnd.github+json');
    const issue = JSON.parse(req.body) as { title: string; body: string; labels: string[] };
    expect(issue.title).toBe('Rollback: checkout in production');
    expect(issue.labels).toEqual(['rollback', 'incident', 'needs-investigation']);
    expect(issue.body.split('\n')).toEqual([
      '## Rollback Details', '',
      '**Service**: checkout', '**Namespace**: production', '**Version**: v2.0.0', '**Reason**: analysis slo-burn-check Failed',
      '**Actor**: auto-controller', '**Time**: 2026-01-05T10:00:00.000Z', '',
      '## Deciding Measurements', '', '- error-rate = 0.2 (result[0] < 0.05: Failed)', '',
      '[Open the rollout in Rampart](http://rampart.local/rollouts/ro_checkout_7)', '',
      '## Action Required', '1. Investigate root cause', '2. Fix and re-deploy when ready', '3. Update this issue with findings', '',
      '/cc @sre-team @platform-team',
    ]);
    expect(req.body).not.toContain(token);
  });

  it("an event without namespace, reason or actor gets the script's defaults", async () => {
    rx.requests.length = 0;
    const n = githubNotifier.create(githubNotifier.configSchema.parse({ token, owner: 'acme', repo: 'ops', baseUrl: rx.url }), { clock: createManualClock(), timeoutMs: 2000 });
    const { namespace: _n, reason: _r, actor: _a, ...bare } = rollbackEvent();
    await n.send(bare);
    const issue = JSON.parse(rx.requests[0]!.body) as { title: string; body: string };
    expect(issue.title).toBe('Rollback: checkout in production');
    expect(issue.body).toContain('**Reason**: Automated rollback triggered\n**Actor**: auto-controller');
  });
});
