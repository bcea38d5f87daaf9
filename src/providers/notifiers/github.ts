import { z } from 'zod';
import { measurementLines } from './describe-event.js';
import { postJson, trimBase } from './http-post.js';
import { secret, secretForms } from './secrets.js';
import type { NotificationEvent, Notifier, NotifierDefinition } from './types.js';

const configSchema = z.strictObject({
  token: secret(z.string().min(1).describe('GitHub token with issues: write; secret')),
  owner: z.string().regex(/^[A-Za-z0-9_.-]+$/),
  repo: z.string().regex(/^[A-Za-z0-9_.-]+$/),
  baseUrl: z.url().default('https://api.github.com').describe('GitHub API root (GitHub Enterprise: https://HOST/api/v3)'),
  labels: z.array(z.string().min(1)).default(['rollback', 'incident', 'needs-investigation']),
  mentions: z.array(z.string().min(1)).default(['@sre-team', '@platform-team']),
  defaultNamespace: z.string().min(1).default('production').describe('Namespace named when the event has none'),
});
export type GitHubConfig = z.infer<typeof configSchema>;

/** The issue the spec's rollback script opens: title, body sections and labels. */
export function githubIssue(e: NotificationEvent, config: Pick<GitHubConfig, 'labels' | 'mentions' | 'defaultNamespace'>): { title: string; body: string; labels: string[] } {
  const service = e.service ?? e.subject.id;
  const namespace = e.namespace ?? config.defaultNamespace;
  const lines = [
    '## Rollback Details',
    '',
    `**Service**: ${service}`,
    `**Namespace**: ${namespace}`,
    ...(e.version ? [`**Version**: ${e.version}`] : []),
    `**Reason**: ${e.reason ?? 'Automated rollback triggered'}`,
    `**Actor**: ${e.actor ?? 'auto-controller'}`,
    `**Time**: ${e.time}`,
  ];
  const measured = measurementLines(e);
  if (measured.length > 0) lines.push('', '## Deciding Measurements', '', ...measured.map((m) => `- ${m}`));
  if (e.link) lines.push('', `[Open the rollout in Rampart](${e.link})`);
  lines.push('', '## Action Required', '1. Investigate root cause', '2. Fix and re-deploy when ready', '3. Update this issue with findings');
  if (config.mentions.length > 0) lines.push('', `/cc ${config.mentions.join(' ')}`);
  return { title: `Rollback: ${service} in ${namespace}`, body: lines.join('\n'), labels: [...config.labels] };
}

/** GitHub issue per event: POST /repos/{owner}/{repo}/issues with a bearer token. */
export const githubNotifier: NotifierDefinition<GitHubConfig> = {
  type: 'github',
  description: 'GitHub issue (the spec\'s "Rollback: SERVICE in NAMESPACE", labels rollback, incident, needs-investigation)',
  configSchema,
  create(config, deps): Notifier {
    const url = `${trimBase(config.baseUrl)}/repos/${encodeURIComponent(config.owner)}/${encodeURIComponent(config.repo)}/issues`;
    const secrets = secretForms([config.token]);
    return {
      type: 'github',
      send: (event) => postJson(url, githubIssue(event, config), {
        authorization: `Bearer ${config.token}`,
        accept: 'application/vnd.github+json',
        'x-github-api-version': '2022-11-28',
        'user-agent': 'rampart',
      }, deps.timeoutMs, 'github', secrets),
    };
  },
};
