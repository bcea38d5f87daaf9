import { githubNotifier } from './github.js';
import { nopNotifier } from './nop.js';
import { pagerDutyNotifier } from './pagerduty.js';
import { slackNotifier } from './slack.js';
import type { NotifierDefinition } from './types.js';
import { webhookNotifier } from './webhook.js';

/** Every notifier kind Rampart ships. */
export const NOTIFIER_DEFINITIONS: readonly NotifierDefinition<never>[] = [
  webhookNotifier, slackNotifier, pagerDutyNotifier, githubNotifier, nopNotifier,
] as unknown as readonly NotifierDefinition<never>[];
