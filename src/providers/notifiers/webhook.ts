import { createHmac } from 'node:crypto';
import { z } from 'zod';
import { postBody } from './http-post.js';
import { secret, secretForms } from './secrets.js';
import type { NotificationEvent, Notifier, NotifierDefinition } from './types.js';

const configSchema = z.strictObject({
  url: secret(z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).describe('The receiver; secret (it may carry a token)')),
  secret: secret(z.string().min(16, 'use at least 16 characters').describe('HMAC-SHA256 key of the signature header')),
  source: z.string().min(1).default('rampart').describe('CloudEvents source'),
  signatureHeader: z.string().regex(/^[A-Za-z0-9-]+$/).default('X-Rampart-Signature'),
});
export type WebhookConfig = z.infer<typeof configSchema>;

/** The CloudEvents type of a Rampart event: `rollout.aborted` → `dev.rampart.rollout.aborted`. */
export function cloudEventType(type: string): string {
  return `dev.rampart.${type}`;
}

/** A CloudEvents 1.0 structured-mode JSON event for `e`. */
export function toCloudEvent(e: NotificationEvent, source: string): Record<string, unknown> {
  const { id, type, time, subject, ...rest } = e;
  return {
    specversion: '1.0', id, source, type: cloudEventType(type), time,
    subject: `${subject.kind}/${subject.id}`, datacontenttype: 'application/json',
    data: { subject, ...rest },
  };
}

/** `sha256=<hex>` of HMAC-SHA256(secret, body): what a receiver recomputes to verify. */
export function signBody(body: string, key: string): string {
  return `sha256=${createHmac('sha256', key).update(body, 'utf8').digest('hex')}`;
}

/** Generic webhook: a CloudEvents JSON POST, signed with an HMAC-SHA256 header over the exact body. */
export const webhookNotifier: NotifierDefinition<WebhookConfig> = {
  type: 'webhook',
  description: 'CloudEvents 1.0 JSON POST with an HMAC-SHA256 signature header',
  configSchema,
  create(config, deps): Notifier {
    const secrets = secretForms([config.url, config.secret]);
    return {
      type: 'webhook',
      send(event) {
        const body = JSON.stringify(toCloudEvent(event, config.source));
        return postBody(config.url, body, {
          'content-type': 'application/cloudevents+json; charset=utf-8',
          [config.signatureHeader]: signBody(body, config.secret),
        }, deps.timeoutMs, 'webhook', secrets);
      },
    };
  },
};
