import type { Command } from 'commander';
import type { Env } from '../../config/env.js';
import { RampartError } from '../../platform/errors.js';
import type { FlagView } from '../../services/flags.js';
import { contextFor } from '../context.js';
import { parseJsonOption, readDataFile } from '../read-input.js';

interface VersionView { version: number; time: string; actor: string; reason: string; diff: Array<{ path: string; from?: unknown; to?: unknown }> }

const show = (v: unknown) => (v === undefined ? '∅' : JSON.stringify(v));

function looksFriendly(doc: Record<string, unknown>): boolean {
  return !('variants' in doc) && ('rollout' in doc || 'killSwitch' in doc || 'targeting' in doc || 'name' in doc);
}

export function registerFlags(program: Command, env: Env) {
  const flags = program.command('flags').description('feature flags (flagd format or the spec\'s featureConfig form)');

  flags.command('list').description('flags with state, rollout and kill switch').action(async (_o, cmd: Command) => {
    const ctx = contextFor(cmd, env);
    const { flags: list } = await ctx.api().get<{ flags: FlagView[] }>('/api/v1/flags');
    if (ctx.globals.output === 'json') return ctx.out.json(list);
    ctx.out.table(list.map((f) => ({
      ...f, rollout: f.rolloutPercent === null ? '-' : `${f.rolloutPercent}%`, variants: Object.keys(f.variants).join(','),
      kill: f.kill ? `TRIPPED: ${String(f.kill.trigger)}` : 'armed',
    })), [['key', 'FLAG'], ['state', 'STATE'], ['variants', 'VARIANTS'], ['defaultVariant', 'DEFAULT'], ['rollout', 'ROLLOUT'], ['kill', 'KILL SWITCH'], ['version', 'VERSION'], ['updatedBy', 'BY']]);
  });

  flags.command('get <key>').description('one flag: definition, source and kill-switch evidence').action(async (key: string, _o, cmd: Command) => {
    const ctx = contextFor(cmd, env);
    const f = await ctx.api().get<FlagView>(`/api/v1/flags/${encodeURIComponent(key)}`);
    if (ctx.globals.output === 'json') return ctx.out.json(f);
    ctx.out.line(`${f.key}  ${f.state}  version ${f.version} (${f.updatedAt} by ${f.updatedBy})`);
    if (f.rolloutPercent !== null) ctx.out.line(`rollout   ${f.rolloutPercent}% to non-default variants`);
    ctx.out.line(`kill      ${f.kill ? `TRIPPED — ${String(f.kill.reason)}` : 'armed'}`);
    ctx.out.line(JSON.stringify(f.source ?? f.definition, null, 2));
  });

  flags.command('set <key>')
    .description('create or change a flag from a file (flagd definition or featureConfig), or change a featureConfig rollout')
    .option('--file <file>', 'JSON or YAML: a flagd flag definition, or the spec\'s featureConfig')
    .option('--percentage <n>', 'new rollout percentage of a featureConfig flag')
    .requiredOption('--reason <text>', 'why (kept in the history and the audit log)')
    .action(async (key: string, o: { file?: string; percentage?: string; reason: string }, cmd: Command) => {
      const ctx = contextFor(cmd, env);
      let body: Record<string, unknown>;
      if (o.file) {
        const doc = readDataFile(o.file, 'flag file');
        if (!doc || typeof doc !== 'object' || Array.isArray(doc)) throw new RampartError('BAD_REQUEST', `${o.file}: a flag file holds one object`);
        body = looksFriendly(doc as Record<string, unknown>) ? { featureConfig: doc } : { definition: doc };
      } else if (o.percentage !== undefined) {
        const pct = Number(o.percentage);
        if (!Number.isFinite(pct) || pct < 0 || pct > 100) throw new RampartError('BAD_REQUEST', `--percentage ${o.percentage}: give a number from 0 to 100`);
        const current = await ctx.api().get<FlagView>(`/api/v1/flags/${encodeURIComponent(key)}`);
        if (!current.source) throw new RampartError('BAD_REQUEST', `flag ${key} is a flagd definition; change its fractional weights with --file`);
        const rollout = { type: 'percentage', sticky: true, ...(current.source.rollout as object | undefined), percentage: pct };
        body = { featureConfig: { ...current.source, rollout } };
      } else {
        throw new RampartError('BAD_REQUEST', 'give --file FILE or --percentage N');
      }
      const f = await ctx.api().put<FlagView>(`/api/v1/flags/${encodeURIComponent(key)}`, { ...body, reason: o.reason });
      if (ctx.globals.output === 'json') return ctx.out.json(f);
      ctx.out.line(`${f.key} is now version ${f.version}${f.rolloutPercent === null ? '' : ` (rollout ${f.rolloutPercent}%)`}`);
    });

  for (const verb of ['enable', 'disable'] as const) {
    flags.command(`${verb} <key>`)
      .description(verb === 'enable' ? 'enable a flag (also re-arms a tripped kill switch)' : 'disable a flag: callers get their own default')
      .requiredOption('--reason <text>', 'why')
      .action(async (key: string, o: { reason: string }, cmd: Command) => {
        const ctx = contextFor(cmd, env);
        const f = await ctx.api().post<FlagView>(`/api/v1/flags/${encodeURIComponent(key)}/${verb}`, { reason: o.reason });
        if (ctx.globals.output === 'json') return ctx.out.json(f);
        ctx.out.line(`${f.key} ${f.state} (version ${f.version})`);
      });
  }

  flags.command('history <key>').description('every version with its diff, actor and reason').action(async (key: string, _o, cmd: Command) => {
    const ctx = contextFor(cmd, env);
    const { versions } = await ctx.api().get<{ versions: VersionView[] }>(`/api/v1/flags/${encodeURIComponent(key)}/history`);
    if (ctx.globals.output === 'json') return ctx.out.json(versions);
    for (const v of versions) {
      ctx.out.line(`v${v.version}  ${v.time}  ${v.actor}  "${v.reason}"`);
      for (const d of v.diff) ctx.out.line(`    ${d.path}: ${show(d.from)} → ${show(d.to)}`);
    }
  });

  flags.command('import <file>')
    .description('import a flagd flag-set file (all flags validated first; nothing written if one is bad)')
    .requiredOption('--reason <text>', 'why')
    .action(async (file: string, o: { reason: string }, cmd: Command) => {
      const ctx = contextFor(cmd, env);
      const document = readDataFile(file, 'flagd file');
      const { flags: written } = await ctx.api().post<{ flags: FlagView[] }>('/api/v1/flags/import', { document, reason: o.reason });
      if (ctx.globals.output === 'json') return ctx.out.json(written);
      ctx.out.line(`imported ${written.length} flag${written.length === 1 ? '' : 's'}: ${written.map((f) => `${f.key} v${f.version}`).join(', ')}`);
    });

  flags.command('eval <key>')
    .description('evaluate a flag for a context, with the reason')
    .option('--context <json>', 'evaluation context', '{}')
    .action(async (key: string, o: { context: string }, cmd: Command) => {
      const ctx = contextFor(cmd, env);
      const context = parseJsonOption(o.context, '--context');
      const d = await ctx.api().post<Record<string, unknown>>(`/api/v1/flags/${encodeURIComponent(key)}/evaluate`, { context });
      if (ctx.globals.output === 'json') return ctx.out.json(d);
      ctx.out.line(`${key} = ${JSON.stringify(d.value)}  variant ${d.variant ?? '-'}  reason ${d.reason}${d.errorCode ? `  error ${d.errorCode}: ${d.errorMessage}` : ''}`);
    });

  const segment = flags.command('segment').description('named allow lists (e.g. beta-testers)');
  segment.command('list').action(async (_o, cmd: Command) => {
    const ctx = contextFor(cmd, env);
    const { segments } = await ctx.api().get<{ segments: Array<{ name: string; members: string[]; updatedAt: string }> }>('/api/v1/segments');
    if (ctx.globals.output === 'json') return ctx.out.json(segments);
    ctx.out.table(segments.map((s) => ({ ...s, count: s.members.length })), [['name', 'SEGMENT'], ['count', 'MEMBERS'], ['updatedAt', 'UPDATED']]);
  });
  segment.command('set <name>').requiredOption('--member <key...>', 'targeting keys').action(async (name: string, o: { member: string[] }, cmd: Command) => {
    const ctx = contextFor(cmd, env);
    const s = await ctx.api().put<{ name: string; members: string[] }>(`/api/v1/segments/${encodeURIComponent(name)}`, { members: o.member });
    if (ctx.globals.output === 'json') return ctx.out.json(s);
    ctx.out.line(`segment ${s.name}: ${s.members.length} members`);
  });

  const clientKey = flags.command('client-key').description('read-only keys for OFREP and the OpenFeature provider (admin)');
  clientKey.command('create').requiredOption('--name <name>').option('--environment <env>', 'visible to targeting as "environment"', 'production')
    .action(async (o: { name: string; environment: string }, cmd: Command) => {
      const ctx = contextFor(cmd, env);
      const k = await ctx.api().post<{ id: string; key: string; environment: string }>('/api/v1/client-keys', { name: o.name, environment: o.environment });
      if (ctx.globals.output === 'json') return ctx.out.json(k);
      ctx.out.line(k.key);
      ctx.out.note(`client key ${k.id} (${k.environment}) created; store it now, it is not shown again`);
    });
  clientKey.command('list').action(async (_o, cmd: Command) => {
    const ctx = contextFor(cmd, env);
    const { clientKeys } = await ctx.api().get<{ clientKeys: Array<Record<string, unknown>> }>('/api/v1/client-keys');
    if (ctx.globals.output === 'json') return ctx.out.json(clientKeys);
    ctx.out.table(clientKeys, [['id', 'ID'], ['name', 'NAME'], ['environment', 'ENVIRONMENT'], ['prefix', 'PREFIX'], ['createdAt', 'CREATED'], ['revokedAt', 'REVOKED']]);
  });
  clientKey.command('revoke <id>').action(async (id: string, _o, cmd: Command) => {
    const ctx = contextFor(cmd, env);
    const k = await ctx.api().del<{ id: string }>(`/api/v1/client-keys/${encodeURIComponent(id)}`);
    if (ctx.globals.output === 'json') return ctx.out.json(k);
    ctx.out.line(`revoked ${k.id}`);
  });
}
