import type { IncomingMessage, ServerResponse } from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createManualClock } from '../../platform/clock.js';
import { sendJson, startTestServer } from '../../testing/http-test-server.js';
import { createNotifierRegistry } from './registry.js';
import { REDACTED, redact } from './secrets.js';
import type { NotificationEvent, NotifierDefinition, SendResult } from './types.js';

/** A tier-1 rollback: the event every notifier kind is subscribed to in the shared suite. */
export function rollbackEvent(overrides: Partial<NotificationEvent> = {}): NotificationEvent {
  return {
    id: 'ntf_01TEST', type: 'rollout.rolled_back', time: '2026-01-05T10:00:00.000Z',
    subject: { kind: 'rollout', id: 'ro_checkout_7' }, service: 'checkout', namespace: 'production', version: 'v2.0.0', tier: 1,
    reason: 'analysis slo-burn-check Failed', actor: 'auto-controller', link: 'http://rampart.local/rollouts/ro_checkout_7',
    measurements: [{ metric: 'error-rate', value: '0.2', condition: 'result[0] < 0.05', phase: 'Failed' }],
    ...overrides,
  };
}

/** A scripted receiver: answers `status` (default 2xx) and records what it got. */
export interface Receiver {
  readonly url: string;
  readonly requests: { method: string; url: string; body: string; headers: IncomingMessage['headers'] }[];
  /** The next answers' status; `hang` never answers (timeouts). */
  answer(status: number | 'hang'): void;
  close(): Promise<void>;
}

/** Starts a receiver. Error answers echo the whole request back, as careless receivers do. */
export async function startReceiver(okStatus = 200): Promise<Receiver> {
  let status: number | 'hang' = okStatus;
  const server = await startTestServer((req: IncomingMessage, body: string, res: ServerResponse) => {
    if (status === 'hang') return;
    if (status >= 400) return sendJson(res, status, { error: 'rejected', echo: { url: req.url, headers: req.headers, body } });
    return sendJson(res, status, { status: 'success', message: 'Event processed', dedup_key: 'x', id: 1 });
  });
  return { url: server.url, requests: server.requests, answer: (s) => void (status = s), close: server.close };
}

/** What one notifier kind gives the shared suite. */
export interface NotifierHarness {
  readonly definition: NotifierDefinition<never>;
  /** A valid config that sends to `receiverUrl`, with distinctive secret values. */
  config(receiverUrl: string): Record<string, unknown>;
  /** The secret values in that config: none may appear in a message or the redacted config. */
  readonly secrets: readonly string[];
}

/**
 * The contract every HTTP notifier honours. Call from `<kind>.test.ts`: one attempt per send,
 * failures classified (retryable or not) and never thrown, no secret in a message, redaction
 * driven by the schema.
 */
export function notifierContract(name: string, h: NotifierHarness): void {
  describe(`notifier contract: ${name}`, () => {
    let rx: Receiver;
    const timeoutMs = 300;
    const make = (url: string) => {
      const r = createNotifierRegistry([h.definition]).createSet([{ name: 'n', type: h.definition.type, events: ['*'], config: h.config(url) }], { clock: createManualClock(), timeoutMs });
      if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
      return r.notifiers[0]!;
    };
    const noSecretIn = (text: string) => {
      for (const s of h.secrets) expect(text).not.toContain(s);
    };
    beforeAll(async () => {
      rx = await startReceiver(h.definition.type === 'pagerduty' ? 202 : h.definition.type === 'github' ? 201 : 200);
    });
    afterAll(() => rx.close());
    beforeEach(() => {
      rx.requests.length = 0;
      rx.answer(h.definition.type === 'pagerduty' ? 202 : h.definition.type === 'github' ? 201 : 200);
    });

    it('a tier-1 rollback is wanted, and one send is one POST that the receiver accepts', async () => {
      const n = make(rx.url);
      expect(n.wants(rollbackEvent())).toBe(true);
      expect(await n.notifier.send(rollbackEvent())).toEqual({ ok: true });
      expect(rx.requests.map((r) => r.method)).toEqual(['POST']);
    });

    it.each([
      [500, true], [502, true], [503, true], [429, true], [408, true], [400, false], [401, false], [403, false], [404, false], [422, false],
    ])('HTTP %i is a failure with retryable=%s, a message naming the status and no secret in it', async (status, retryable) => {
      rx.answer(status);
      const r = await make(rx.url).notifier.send(rollbackEvent());
      expect(r).toMatchObject({ ok: false, retryable });
      const message = (r as Extract<SendResult, { ok: false }>).message;
      expect(message).toContain(`HTTP ${status}`);
      expect(message.startsWith(h.definition.type)).toBe(true);
      noSecretIn(message);
    });

    it('an unreachable receiver is a retryable failure, never a rejection', async () => {
      const closed = await startReceiver();
      await closed.close();
      const r = await make(closed.url).notifier.send(rollbackEvent());
      expect(r).toMatchObject({ ok: false, retryable: true, message: expect.stringMatching(/cannot reach/) });
      noSecretIn((r as Extract<SendResult, { ok: false }>).message);
    });

    it('a receiver that never answers is a retryable timeout', async () => {
      rx.answer('hang');
      const r = await make(rx.url).notifier.send(rollbackEvent());
      expect(r).toEqual({ ok: false, retryable: true, message: `${h.definition.type}: no answer within ${timeoutMs} ms` });
    });

    it('redaction replaces exactly the secret fields and keeps the rest', () => {
      const config = h.definition.configSchema.parse(h.config(rx.url)) as Record<string, unknown>;
      const shown = redact(h.definition.configSchema, config);
      noSecretIn(JSON.stringify(shown));
      const redactedKeys = Object.keys(shown).filter((k) => shown[k] === REDACTED);
      expect(redactedKeys.length).toBe(h.secrets.length);
      for (const k of Object.keys(shown).filter((key) => shown[key] !== REDACTED)) expect(shown[k]).toEqual(config[k]);
      noSecretIn(JSON.stringify(make(rx.url).redactedConfig));
    });

    it('a config error names the field and never echoes a value', () => {
      const bad = Object.fromEntries(Object.keys(h.config(rx.url)).map((k) => [k, 12345]));
      const r = createNotifierRegistry([h.definition]).createSet([{ name: 'n', type: h.definition.type, events: ['*'], config: bad }], { clock: createManualClock(), timeoutMs });
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.problems[0]?.path).toMatch(/^notifications\.notifiers\[0\]\.config\.\w+/);
        expect(JSON.stringify(r.problems)).not.toContain('12345');
      }
    });
  });
}
