import type { Command } from 'commander';
import type { Env } from '../../config/env.js';
import { RampartError } from '../../platform/errors.js';
import type { IncidentRow } from '../../store/release-repositories.js';
import { contextFor } from '../context.js';

export function registerIncident(program: Command, env: Env) {
  const incident = program.command('incident').description('incidents (an open P1 blocks releases of its service)');
  incident.command('open')
    .requiredOption('--service <name>')
    .requiredOption('--severity <P1|P2|P3|P4>')
    .requiredOption('--title <text>')
    .option('--link <url...>', 'links (runbook, chat, ticket)', [])
    .action(async (o: { service: string; severity: string; title: string; link: string[] }, cmd: Command) => {
      if (!/^P[1-4]$/.test(o.severity)) throw new RampartError('BAD_REQUEST', `--severity ${o.severity}: use P1, P2, P3 or P4`);
      const ctx = contextFor(cmd, env);
      const i = await ctx.api().post<IncidentRow>('/api/v1/incidents', { service: o.service, severity: o.severity, title: o.title, links: o.link });
      if (ctx.globals.output === 'json') return ctx.out.json(i);
      ctx.out.line(`${i.id} opened: ${i.severity} ${i.service} — ${i.title}`);
    });
  incident.command('resolve <id>').action(async (id: string, _o, cmd: Command) => {
    const ctx = contextFor(cmd, env);
    const i = await ctx.api().post<IncidentRow>(`/api/v1/incidents/${encodeURIComponent(id)}/resolve`, {});
    if (ctx.globals.output === 'json') return ctx.out.json(i);
    ctx.out.line(`${i.id} resolved at ${i.resolvedAt}`);
  });
  incident.command('list').option('--service <name>').option('--status <open|resolved>').action(async (o: { service?: string; status?: string }, cmd: Command) => {
    const ctx = contextFor(cmd, env);
    const q = new URLSearchParams();
    if (o.service) q.set('service', o.service);
    if (o.status) q.set('status', o.status);
    const { incidents } = await ctx.api().get<{ incidents: IncidentRow[] }>(`/api/v1/incidents?${q}`);
    if (ctx.globals.output === 'json') return ctx.out.json(incidents);
    ctx.out.table(incidents as unknown as Array<Record<string, unknown>>, [['id', 'ID'], ['service', 'SERVICE'], ['severity', 'SEV'], ['kind', 'KIND'], ['status', 'STATUS'], ['openedAt', 'OPENED'], ['title', 'TITLE']]);
  });
}
