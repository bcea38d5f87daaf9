import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import type { Env } from '../../config/env.js';
import { RampartError } from '../../platform/errors.js';
import type { ServiceBudgetView } from '../../services/budgets.js';
import { contextFor } from '../context.js';
import { readDataFile } from '../read-input.js';

/** A 20-cell bar of the remaining budget; an overspent budget shows as empty with a minus sign. */
export function budgetBar(remainingPct: number | undefined): string {
  if (remainingPct === undefined) return '[ no data          ]';
  const cells = Math.max(0, Math.min(20, Math.round(remainingPct / 5)));
  return `[${'#'.repeat(cells)}${'.'.repeat(20 - cells)}]${remainingPct < 0 ? '-' : ''}`;
}

export function registerBudget(program: Command, env: Env) {
  program.command('budget').description('error budgets').command('status [service]')
    .description('remaining budget, burn rate per window, band and time to exhaustion')
    .action(async (service: string | undefined, _o, cmd: Command) => {
      const ctx = contextFor(cmd, env);
      const views = service
        ? [await ctx.api().get<ServiceBudgetView>(`/api/v1/services/${encodeURIComponent(service)}/budget`)]
        : (await ctx.api().get<{ budgets: ServiceBudgetView[] }>('/api/v1/budgets')).budgets;
      if (ctx.globals.output === 'json') return ctx.out.json(views);
      const rows = views.flatMap((v) => v.slos.map((s) => ({
        service: v.service, slo: `${s.slo} ${s.objectivePercent}%`,
        remaining: s.remainingPct === undefined ? s.state : `${s.remainingPct.toFixed(1)}%`,
        bar: budgetBar(s.remainingPct), band: s.band ?? '-',
        burn: s.burn.map((b) => `${b.window}:${b.rate === undefined ? (b.state === 'no-data' ? '-' : '?') : b.rate}`).join(' '),
        alert: s.alert,
        exhaustion: s.exhaustion ? (s.exhaustion.hours === null ? 'never' : `${s.exhaustion.hours.toFixed(1)} h at ${s.exhaustion.burnRate}×`) : '-',
      })));
      ctx.out.table(rows, [['service', 'SERVICE'], ['slo', 'SLO'], ['remaining', 'REMAINING'], ['bar', 'BUDGET'], ['band', 'BAND'], ['alert', 'ALERT'], ['exhaustion', 'EXHAUSTS IN'], ['burn', 'BURN RATE BY WINDOW']]);
      for (const v of views) {
        for (const s of v.slos) for (const e of s.errors ?? []) ctx.out.note(`${v.service}/${s.slo}: ${e}`);
        for (const u of v.unmeasured) ctx.out.note(`${v.service}/${u.slo}: ${u.reason}`);
      }
    });

  const slo = program.command('slo').description('SLO rules and imports');
  slo.command('rules')
    .description('write Prometheus recording and alert rules (and promtool unit tests) for the catalog\'s SLOs')
    .option('--service <name>', 'only this service')
    .option('--out <file>', 'rule file (default: stdout)')
    .option('--tests <dir>', 'also write promtool test files here (with a copy of the rules)')
    .option('--config <file>', 'rampart.yaml')
    .action(async (o: { service?: string; out?: string; tests?: string; config?: string }) => {
      const { loadRuntimeConfig } = await import('../../main.js');
      const { resolveAll } = await import('../../domain/catalog/resolve.js');
      const { slosFromService } = await import('../../domain/slo/from-catalog.js');
      const { generateRules, generateRuleTests } = await import('../../domain/slo/index.js');
      const config = loadRuntimeConfig({ env, ...(o.config ? { configFile: o.config } : {}) });
      const services = resolveAll(config.catalog).filter((s) => !o.service || s.name === o.service);
      if (o.service && services.length === 0) throw new RampartError('BAD_REQUEST', `--service ${o.service}: not in the catalog`);
      const slos = services.flatMap((s) => slosFromService(s).slos);
      const rules = generateRules(slos);
      for (const s of rules.skipped) process.stderr.write(`skipped ${s.service}/${s.slo}: ${s.problems.map((p) => `${p.field}: ${p.message}`).join('; ')}\n`);
      if (o.out) writeFileSync(o.out, rules.yaml);
      else process.stdout.write(rules.yaml);
      if (o.tests) {
        mkdirSync(o.tests, { recursive: true });
        writeFileSync(join(o.tests, 'slo-rules.yaml'), rules.yaml);
        const tests = generateRuleTests(slos, 'slo-rules.yaml');
        writeFileSync(join(o.tests, 'slo-rules.test.yaml'), tests.yaml);
        process.stderr.write(`wrote ${join(o.tests, 'slo-rules.yaml')} and slo-rules.test.yaml; run: promtool test rules ${join(o.tests, 'slo-rules.test.yaml')}\n`);
      }
    });

  slo.command('import <file>')
    .description('read OpenSLO v1 or Sloth prometheus/v1 specs; print the SLOs found and every unsupported field')
    .action(async (file: string, _o, cmd: Command) => {
      const ctx = contextFor(cmd, env);
      readDataFile(file, 'SLO spec');
      const { readFileSync } = await import('node:fs');
      const text = readFileSync(file, 'utf8');
      const { importOpenSlo } = await import('../../config/importers/openslo.js');
      const { importSloth } = await import('../../config/importers/sloth.js');
      const { formatIssue } = await import('../../config/importers/import-result.js');
      const result = /apiVersion:\s*sloth\.slok\.dev\//.test(text) ? importSloth(text, file) : importOpenSlo(text, file);
      if (ctx.globals.output === 'json') ctx.out.json(result);
      else {
        ctx.out.table(result.slos.map((s) => ({ service: s.service, name: s.name, objective: `${s.objectivePercent}%`, indicator: s.indicator.kind, window: s.window.kind === 'rolling' ? `${s.window.days}d` : 'calendar month' })),
          [['service', 'SERVICE'], ['name', 'SLO'], ['objective', 'OBJECTIVE'], ['indicator', 'INDICATOR'], ['window', 'WINDOW']]);
        for (const i of result.issues) ctx.out.note(formatIssue(i));
      }
      if (result.issues.some((i) => i.severity === 'error')) process.exitCode = 2;
    });
}
