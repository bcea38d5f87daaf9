import type { Command } from 'commander';
import type { Env } from '../../config/env.js';
import { EXCEPTION_STATES, EXCEPTION_TYPES } from '../../domain/exceptions/types.js';
import { RampartError } from '../../platform/errors.js';
import type { ExceptionView } from '../../services/exceptions.js';
import { type CliContext, contextFor } from '../context.js';

const path = (id: string, action = '') => `/api/v1/exceptions/${encodeURIComponent(id)}${action}`;

function printOne(ctx: CliContext, e: ExceptionView, verb?: string): void {
  if (ctx.globals.output === 'json') return ctx.out.json(e);
  if (verb) ctx.out.line(`${e.id} ${verb}: ${e.type} exception for ${e.service}${e.version ? ` ${e.version}` : ''} is ${e.state}`);
  const rows: Array<[string, unknown]> = [
    ['id', e.id], ['type', `${e.type} (audit level ${e.auditLevel})`], ['service', e.service], ['version', e.version ?? 'any'],
    ['state', `${e.state}${e.stateReason ? ` — ${e.stateReason}` : ''}`], ['requestor', e.requestor],
    ['approvals', e.approvals.map((a) => `${a.person} as ${a.role} at ${a.at}`).join('; ') || 'none yet'],
    ['reason', e.reason], ['impact', e.impact ?? '-'], ['mitigation', e.mitigation], ['cves', e.cveIds.join(', ') || '-'],
    ['expiration', e.expiration ?? (e.requestedExpiration ? `${e.requestedExpiration} (asked)` : 'from final approval')],
    ['used by', e.deploymentIds.join(', ') || '-'],
    ['review', e.reviewed ? `done by ${e.reviewedBy} at ${e.reviewedAt}: ${e.reviewNotes}` : e.reviewDue ? `due ${e.reviewDue}${e.reviewOverdue ? ' (OVERDUE)' : ''}` : 'not used yet'],
  ];
  if (!verb) for (const [k, v] of rows) ctx.out.line(`${k.padEnd(11)} ${String(v)}`);
}

export function registerException(program: Command, env: Env) {
  const exc = program.command('exception').description('exceptions: justify, approve by the required roles, audit, use, review (spec "Exception Handling")');

  exc.command('request')
    .description('ask for an exception; it waives nothing until every required role approved')
    .requiredOption('--type <type>', EXCEPTION_TYPES.join(' | '))
    .requiredOption('--service <name>', 'a catalog service or family (worker-*)')
    .option('--version <version>', 'bind it to this version only')
    .requiredOption('--reason <text>')
    .requiredOption('--mitigation <text>')
    .option('--impact <text>')
    .option('--cve <id...>', 'security: the CVE ids waived (only these)', [])
    .option('--expires <time>', 'ISO-8601 expiration (required for freeze; caps the type limit otherwise)')
    .action(async (o: { type: string; service: string; version?: string; reason: string; mitigation: string; impact?: string; cve: string[]; expires?: string }, cmd: Command) => {
      if (!(EXCEPTION_TYPES as readonly string[]).includes(o.type)) throw new RampartError('BAD_REQUEST', `--type ${o.type}: use ${EXCEPTION_TYPES.join(', ')}`);
      if (o.expires !== undefined && Number.isNaN(Date.parse(o.expires))) throw new RampartError('BAD_REQUEST', `--expires ${o.expires}: give an ISO-8601 time such as 2026-03-06T18:00:00Z`);
      const ctx = contextFor(cmd, env);
      const e = await ctx.api().post<ExceptionView>('/api/v1/exceptions', {
        type: o.type, service: o.service, reason: o.reason, mitigation: o.mitigation,
        ...(o.version ? { version: o.version } : {}), ...(o.impact ? { impact: o.impact } : {}),
        ...(o.cve.length ? { cveIds: o.cve } : {}), ...(o.expires ? { expiration: new Date(Date.parse(o.expires)).toISOString() } : {}),
      });
      printOne(ctx, e, 'requested');
    });

  exc.command('approve <id>').description('approve with the role your token holds (never your own request)').action(async (id: string, _o, cmd: Command) => {
    const ctx = contextFor(cmd, env);
    printOne(ctx, await ctx.api().post<ExceptionView>(path(id, '/approve'), {}), 'approved');
  });

  exc.command('deny <id>').requiredOption('--reason <text>').action(async (id: string, o: { reason: string }, cmd: Command) => {
    const ctx = contextFor(cmd, env);
    printOne(ctx, await ctx.api().post<ExceptionView>(path(id, '/deny'), { reason: o.reason }), 'denied');
  });

  exc.command('revoke <id>').option('--reason <text>').action(async (id: string, o: { reason?: string }, cmd: Command) => {
    const ctx = contextFor(cmd, env);
    printOne(ctx, await ctx.api().post<ExceptionView>(path(id, '/revoke'), o.reason ? { reason: o.reason } : {}), 'revoked');
  });

  exc.command('review <id>').description('record the post-deployment review').requiredOption('--notes <text>').action(async (id: string, o: { notes: string }, cmd: Command) => {
    const ctx = contextFor(cmd, env);
    printOne(ctx, await ctx.api().post<ExceptionView>(path(id, '/review'), { notes: o.notes }), 'reviewed');
  });

  exc.command('list')
    .option('--state <state>', EXCEPTION_STATES.join(' | '))
    .option('--service <name>')
    .option('--needs-review', 'used and not yet reviewed (overdue ones are marked)')
    .action(async (o: { state?: string; service?: string; needsReview?: boolean }, cmd: Command) => {
      if (o.state && !(EXCEPTION_STATES as readonly string[]).includes(o.state)) throw new RampartError('BAD_REQUEST', `--state ${o.state}: use ${EXCEPTION_STATES.join(', ')}`);
      const ctx = contextFor(cmd, env);
      const q = new URLSearchParams();
      if (o.state) q.set('state', o.state);
      if (o.service) q.set('service', o.service);
      if (o.needsReview) q.set('needsReview', 'true');
      const { exceptions } = await ctx.api().get<{ exceptions: ExceptionView[] }>(`/api/v1/exceptions?${q}`);
      if (ctx.globals.output === 'json') return ctx.out.json(exceptions);
      ctx.out.table(exceptions.map((e) => ({
        id: e.id, type: e.type, service: e.service, state: e.state, requestor: e.requestor, approvers: e.approvers.join(', ') || '-',
        expiration: e.expiration ?? '-', uses: e.deploymentIds.length,
        review: e.reviewed ? 'done' : e.reviewOverdue ? `OVERDUE since ${e.reviewDue}` : e.reviewDue ? `due ${e.reviewDue}` : '-',
      })), [['id', 'ID'], ['type', 'TYPE'], ['service', 'SERVICE'], ['state', 'STATE'], ['requestor', 'REQUESTOR'], ['approvers', 'APPROVERS'], ['expiration', 'EXPIRES'], ['uses', 'USES'], ['review', 'REVIEW']]);
    });

  for (const name of ['get', 'show']) {
    exc.command(`${name} <id>`).description('one exception with its approvals, uses and review').action(async (id: string, _o, cmd: Command) => {
      const ctx = contextFor(cmd, env);
      printOne(ctx, await ctx.api().get<ExceptionView>(path(id)));
    });
  }
}
