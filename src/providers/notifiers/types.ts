import type { z } from 'zod';
import type { Clock } from '../../platform/clock.js';

/**
 * Notifiers TELL; they never decide. A notifier turns one NotificationEvent into one delivery
 * (an HTTP call). Which events reach which notifier, retries and backoff live in the outbox
 * (src/services/notifications.ts), so a notifier makes exactly one attempt per `send`.
 */

/** One measurement that decided a verdict, as people read it in a notification. */
export interface DecidingMeasurement {
  readonly metric: string;
  /** The value as text (already formatted: "0.2", "[0.19, 0.21]"). */
  readonly value: string;
  /** The condition it was judged against, e.g. "result[0] < 0.05". */
  readonly condition?: string;
  /** Successful | Failed | Error | Inconclusive. */
  readonly phase?: string;
}

/**
 * Something worth telling people about. `type` is dotted lower case (`rollout.aborted`,
 * `rollout.rolled_back`, `rollout.recovered`, `flag.killed`, `exception.approve`); the webhook
 * publishes it as the CloudEvents type `dev.rampart.<type>`. `subject` names the object the
 * event is about: a rollout's id is its PagerDuty dedup key.
 */
export interface NotificationEvent {
  /** Unique per event (CloudEvents id). */
  readonly id: string;
  readonly type: string;
  /** ISO-8601 time the event happened. */
  readonly time: string;
  readonly subject: { readonly kind: string; readonly id: string };
  readonly service?: string;
  readonly namespace?: string;
  readonly version?: string;
  readonly tier?: 1 | 2 | 3;
  readonly reason?: string;
  readonly actor?: string;
  /** Where people can see more (the dashboard's rollout page). */
  readonly link?: string;
  readonly measurements?: readonly DecidingMeasurement[];
  /** Anything else the producer wants to pass on (JSON only; never a secret). */
  readonly data?: Readonly<Record<string, unknown>>;
}

/**
 * The result of one delivery attempt. Never a rejection: a failure says whether trying again
 * can help (network error, 408, 429, 5xx) or cannot (400, 401, 403, 404: fix the config).
 * `message` never contains a secret (no URL with a key, no header value).
 */
export type SendResult = { readonly ok: true } | { readonly ok: false; readonly retryable: boolean; readonly message: string };

export interface Notifier {
  readonly type: string;
  /** Makes one delivery attempt. Never rejects; safe to call concurrently. */
  send(event: NotificationEvent): Promise<SendResult>;
  /**
   * Optional: false for events this notifier ignores even when subscribed (PagerDuty pages
   * only for tier-1 rollbacks). The outbox writes no row for them.
   */
  accepts?(event: NotificationEvent): boolean;
  /** Optional: releases sockets. Idempotent. */
  close?(): Promise<void>;
}

/** What every notifier may be handed at creation. */
export interface NotifierDeps {
  readonly clock: Clock;
  /** Per-attempt timeout in milliseconds. */
  readonly timeoutMs: number;
}

/**
 * A notifier kind's declarative definition: its type, the zod schema of its configuration (secret
 * fields are wrapped in `secret()` from ./secrets.ts, which drives redaction), and a factory
 * that receives parsed config.
 */
export interface NotifierDefinition<Config = unknown> {
  readonly type: string;
  readonly description: string;
  readonly configSchema: z.ZodType<Config>;
  create(config: Config, deps: NotifierDeps): Notifier;
}
