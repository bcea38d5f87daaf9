import { z } from 'zod';
import { headline, measurementLines } from './describe-event.js';
import { postJson, trimBase } from './http-post.js';
import { secret, secretForms } from './secrets.js';
import type { NotificationEvent, Notifier, NotifierDefinition } from './types.js';

const configSchema = z.strictObject({
  routingKey: secret(z.string().min(1).describe('Events API v2 integration (routing) key; secret')),
  baseUrl: z.url().default('https://events.pagerduty.com').describe('Events API host; /v2/enqueue is appended'),
  tiers: z.array(z.union([z.literal(1), z.literal(2), z.literal(3)])).min(1).default([1]).describe('Tiers whose rollbacks page'),
  triggerOn: z.array(z.string().min(1)).min(1).default(['rollout.rolled_back', 'rollout.aborted']),
  resolveOn: z.array(z.string().min(1)).default(['rollout.recovered']),
  severity: z.enum(['critical', 'error', 'warning', 'info']).default('critical'),
});
export type PagerDutyConfig = z.infer<typeof configSchema>;

/** One incident per rollout: the trigger and its resolve carry the same key. */
export function dedupKey(e: NotificationEvent): string {
  return `rampart/${e.subject.kind}/${e.subject.id}`;
}

/** The Events API v2 body for `e`: a trigger or a resolve (undefined when `e` is neither). */
export function pagerDutyEvent(e: NotificationEvent, config: PagerDutyConfig): Record<string, unknown> | undefined {
  if (config.resolveOn.includes(e.type)) return { routing_key: config.routingKey, event_action: 'resolve', dedup_key: dedupKey(e) };
  if (!config.triggerOn.includes(e.type)) return undefined;
  return {
    routing_key: config.routingKey,
    event_action: 'trigger',
    dedup_key: dedupKey(e),
    payload: {
      summary: `${headline(e)}: ${e.service ?? e.subject.id}${e.version ? ` ${e.version}` : ''}${e.reason ? ` — ${e.reason}` : ''}`.slice(0, 1024),
      source: `rampart/${e.namespace ?? 'default'}/${e.service ?? e.subject.id}`,
      severity: config.severity,
      timestamp: e.time,
      ...(e.service ? { component: e.service } : {}),
      ...(e.namespace ? { group: e.namespace } : {}),
      class: e.type,
      custom_details: {
        service: e.service, version: e.version, tier: e.tier, reason: e.reason, actor: e.actor,
        measurements: measurementLines(e), subject: e.subject,
      },
    },
    ...(e.link ? { links: [{ href: e.link, text: 'Rollout in Rampart' }] } : {}),
  };
}

/** PagerDuty Events API v2: triggers on a rollback of a paging tier, resolves on recovery. */
export const pagerDutyNotifier: NotifierDefinition<PagerDutyConfig> = {
  type: 'pagerduty',
  description: 'PagerDuty Events API v2 (trigger on a tier-1 rollback, resolve on recovery, dedup key per rollout)',
  configSchema,
  create(config, deps): Notifier {
    const secrets = secretForms([config.routingKey]);
    return {
      type: 'pagerduty',
      // Resolves are accepted at any tier: resolving an incident that was never opened is harmless.
      accepts: (e) => config.resolveOn.includes(e.type) || (config.triggerOn.includes(e.type) && e.tier !== undefined && config.tiers.includes(e.tier)),
      async send(event) {
        const body = pagerDutyEvent(event, config);
        if (!body) return { ok: false, retryable: false, message: `pagerduty: event type ${event.type} is neither in triggerOn nor in resolveOn` };
        return postJson(`${trimBase(config.baseUrl)}/v2/enqueue`, body, {}, deps.timeoutMs, 'pagerduty', secrets);
      },
    };
  },
};
