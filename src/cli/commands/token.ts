import type { Command } from 'commander';
import type { Env } from '../../config/env.js';
import { roles } from '../../domain/identity/roles.js';
import type { TokenView } from '../../services/tokens.js';
import { contextFor } from '../context.js';

export function registerToken(program: Command, env: Env) {
  const token = program.command('token').description('API tokens (admin)');

  token.command('create')
    .description('create a token; its value is shown once')
    .requiredOption('--name <name>', 'who or what uses it')
    .requiredOption('--role <role...>', `one or more of: ${roles.join(', ')}`)
    .action(async (o: { name: string; role: string[] }, cmd: Command) => {
      const ctx = contextFor(cmd, env);
      const created = await ctx.api().post<TokenView & { token: string }>('/api/v1/tokens', { name: o.name, roles: o.role });
      if (ctx.globals.output === 'json') return ctx.out.json(created);
      ctx.out.line(created.token);
      ctx.out.note(`token ${created.id} "${created.name}" (${created.roles.join(', ')}) created; store it now, it is not shown again`);
    });

  token.command('list')
    .description('tokens (never their values)')
    .action(async (_o, cmd: Command) => {
      const ctx = contextFor(cmd, env);
      const { tokens } = await ctx.api().get<{ tokens: TokenView[] }>('/api/v1/tokens');
      if (ctx.globals.output === 'json') return ctx.out.json(tokens);
      ctx.out.table(tokens.map((t) => ({ ...t, state: t.revokedAt ? `revoked ${t.revokedAt}` : 'active' })), [
        ['id', 'ID'], ['name', 'NAME'], ['roles', 'ROLES'], ['prefix', 'PREFIX'], ['createdAt', 'CREATED'], ['createdBy', 'BY'], ['state', 'STATE'],
      ]);
    });

  token.command('revoke <id>')
    .description('revoke a token at once')
    .action(async (id: string, _o, cmd: Command) => {
      const ctx = contextFor(cmd, env);
      const t = await ctx.api().del<TokenView>(`/api/v1/tokens/${encodeURIComponent(id)}`);
      if (ctx.globals.output === 'json') return ctx.out.json(t);
      ctx.out.line(`revoked ${t.id} "${t.name}"`);
    });
}
