import type { Command } from 'commander';
import type { Env } from '../../config/env.js';
import type { ResolvedService, Slo } from '../../domain/catalog/types.js';
import { RampartError } from '../../platform/errors.js';
import { contextFor } from '../context.js';

export function sloSummary(slo: Slo): string {
  if (slo.bestEffort) return 'best effort';
  const parts: string[] = [];
  if (slo.availability) parts.push(`${slo.availability.target}% availability`);
  if (slo.latency) parts.push(`${slo.latency.target}% < ${slo.latency.thresholdMs}ms`);
  if (slo.durability) parts.push(`${slo.durability.target}% durability`);
  if (slo.completion) parts.push(`${slo.completion.target}% completion`);
  return `${parts.join(', ')} / ${slo.window}`;
}

export function registerServices(program: Command, env: Env) {
  const services = program.command('services').description('the service catalog');

  services.command('slo-status <name>')
    .description('show, or set (sre), the SLO facts the SLO gate reads until budgets are computed from data')
    .option('--remaining <pct>', 'error budget remaining, percent')
    .option('--burn <x>', 'fast burn rate')
    .action(async (name: string, o: { remaining?: string; burn?: string }, cmd: Command) => {
      const ctx = contextFor(cmd, env);
      const path = `/api/v1/services/${encodeURIComponent(name)}/slo-status`;
      const toNum = (v: string | undefined, flag: string) => {
        if (v === undefined) return null;
        const n = Number(v);
        if (!Number.isFinite(n)) throw new RampartError('BAD_REQUEST', `${flag} ${v}: give a number`);
        return n;
      };
      const s = o.remaining === undefined && o.burn === undefined
        ? await ctx.api().get<Record<string, unknown>>(path)
        : await ctx.api().put<Record<string, unknown>>(path, { errorBudgetRemainingPct: toNum(o.remaining, '--remaining'), fastBurnRate: toNum(o.burn, '--burn') });
      if (ctx.globals.output === 'json') return ctx.out.json(s);
      ctx.out.line(`${name}: error budget remaining ${s.errorBudgetRemainingPct ?? '-'}%, fast burn ${s.fastBurnRate ?? '-'} (set by ${s.updatedBy} at ${s.updatedAt})`);
    });

  services.command('list')
    .description('services with tier, strategy and SLO')
    .action(async (_o, cmd: Command) => {
      const ctx = contextFor(cmd, env);
      const { services: list } = await ctx.api().get<{ services: ResolvedService[] }>('/api/v1/services');
      if (ctx.globals.output === 'json') return ctx.out.json(list);
      ctx.out.table(list.map((s) => ({ ...s, tier: `${s.tier} (${s.tierName})`, slo: sloSummary(s.slo) })), [
        ['name', 'SERVICE'], ['tier', 'TIER'], ['strategy', 'STRATEGY'], ['slo', 'SLO'], ['description', 'DESCRIPTION'],
      ]);
    });

  services.command('get <name>')
    .description('one service: tier, SLOs, resolved strategy and the gates that apply')
    .action(async (name: string, _o, cmd: Command) => {
      const ctx = contextFor(cmd, env);
      const s = await ctx.api().get<ResolvedService>(`/api/v1/services/${encodeURIComponent(name)}`);
      if (ctx.globals.output === 'json') return ctx.out.json(s);
      ctx.out.line(`${s.name}${s.matchedBy !== s.name ? ` (matched by ${s.matchedBy})` : ''}: ${s.description}`);
      ctx.out.line(`tier      ${s.tier} (${s.tierName})`);
      ctx.out.line(`strategy  ${s.strategy}`);
      ctx.out.line(`slo       ${sloSummary(s.slo)}`);
      ctx.out.line(`owners    ${s.owners.join(', ') || '-'}`);
      ctx.out.line('');
      ctx.out.table(s.gates.map((g) => ({ gate: g.gate, applies: g.applies ? 'yes' : 'no', checks: g.checks.join(', ') || g.note })), [
        ['gate', 'GATE'], ['applies', 'APPLIES'], ['checks', 'CHECKS'],
      ]);
    });
}
