import { z } from 'zod';
import { headline, measurementLines } from './describe-event.js';
import { postJson } from './http-post.js';
import { secret, secretForms } from './secrets.js';
import type { NotificationEvent, Notifier, NotifierDefinition } from './types.js';

const configSchema = z.strictObject({
  webhookUrl: secret(z.url({ protocol: /^https?$/, error: 'must be the http(s) incoming-webhook URL' }).describe('Slack incoming webhook URL; secret')),
});
export type SlackConfig = z.infer<typeof configSchema>;

// Slack rejects a section text over 3000 characters.
const clip = (s: string, n = 2900) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** The Block Kit message for `e`: headline, service/version/reason fields, measurements, link. */
export function slackMessage(e: NotificationEvent): Record<string, unknown> {
  const title = `${headline(e)}${e.service ? `: ${e.service}` : ''}`;
  const fields = [
    ['Service', e.service ?? '—'],
    ['Version', e.version ?? '—'],
    ['Reason', e.reason ?? '—'],
    ['Namespace', e.namespace ?? '—'],
  ].map(([k, v]) => ({ type: 'mrkdwn', text: `*${k}*\n${clip(v!, 1900)}` }));
  const blocks: Record<string, unknown>[] = [
    { type: 'header', text: { type: 'plain_text', text: clip(title, 150) } },
    { type: 'section', fields },
  ];
  const lines = measurementLines(e);
  if (lines.length > 0) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: clip(`*Deciding measurements*\n${lines.map((l) => `• ${l}`).join('\n')}`) } });
  }
  if (e.link) {
    blocks.push({ type: 'actions', elements: [{ type: 'button', text: { type: 'plain_text', text: 'Open in Rampart' }, url: e.link }] });
  }
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: `${e.type} · ${e.subject.kind} ${e.subject.id} · ${e.time}${e.actor ? ` · by ${e.actor}` : ''}` }] });
  // `text` is the fallback shown in notifications and by clients without Block Kit.
  return { text: `${title}${e.reason ? ` — ${e.reason}` : ''}`, blocks };
}

/** Slack incoming webhook with a Block Kit message. */
export const slackNotifier: NotifierDefinition<SlackConfig> = {
  type: 'slack',
  description: 'Slack incoming webhook (Block Kit: service, version, reason, deciding measurements, link)',
  configSchema,
  create(config, deps): Notifier {
    const secrets = secretForms([config.webhookUrl]);
    return { type: 'slack', send: (event) => postJson(config.webhookUrl, slackMessage(event), {}, deps.timeoutMs, 'slack', secrets) };
  },
};
