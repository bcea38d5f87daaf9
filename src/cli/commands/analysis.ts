import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Env } from '../../config/env.js';
import { RampartError } from '../../platform/errors.js';
import { contextFor } from '../context.js';

interface RunOptions { arg: string[]; dryRun?: boolean; form: string; from?: string; to?: string; step?: string; config?: string }

const phaseExit = (phase: string) => (phase === 'Successful' ? 0 : 1);

function describeMeasurement(metric: string, m: { phase: string; value?: unknown; message?: string; condition?: { success?: string; failure?: string }; query?: string; window?: string; sampleCount?: number }): string {
  const value = m.value === undefined ? '-' : JSON.stringify(m.value);
  const cond = m.condition?.success ?? m.condition?.failure ?? '(no condition)';
  return `${new Date().toISOString().slice(11, 19)}  ${metric}  ${m.phase}  value=${value}  condition=${cond}${m.window ? `  window=${m.window}` : ''}${m.sampleCount !== undefined ? `  samples=${m.sampleCount}` : ''}${m.message ? `  — ${m.message}` : ''}`;
}

export function registerAnalysis(program: Command, env: Env) {
  const analysis = program.command('analysis').description('metric analysis: Argo-compatible AnalysisTemplates');

  analysis.command('lint <file...>')
    .description('validate templates and print them with every default filled in; exit 2 on any error')
    .action(async (files: string[], _o, cmd: Command) => {
      const ctx = contextFor(cmd, env);
      const { loadAnalysisTemplates } = await import('../../config/analysis/load-templates.js');
      const { formatTemplateProblem } = await import('../../config/analysis/problems.js');
      const { resolve } = await import('../../domain/analysis/index.js');
      const report: Array<{ file: string; templates: unknown[]; problems: readonly unknown[] }> = [];
      let failed = false;
      for (const file of files) {
        let text: string;
        try {
          text = readFileSync(file, 'utf8');
        } catch {
          throw new RampartError('BAD_REQUEST', `${file}: file not found`);
        }
        const loaded = loadAnalysisTemplates(text, file);
        if (!loaded.ok) failed = true;
        const resolved = loaded.templates.map((t) => {
          const r = resolve(t.template, { keepPlaceholders: true });
          if (!r.ok) failed = true;
          return r.ok ? { name: t.template.name, line: t.line, semantics: r.analysis.semantics, metrics: r.analysis.metrics.map((m) => ({
            name: m.name, provider: m.provider.type, interval: m.intervalMs === null ? null : `${m.intervalMs / 1000}s`, initialDelay: `${m.initialDelayMs / 1000}s`,
            count: m.count, failureLimit: m.failureLimit, inconclusiveLimit: m.inconclusiveLimit, consecutiveErrorLimit: m.consecutiveErrorLimit,
            successCondition: m.successCondition?.source ?? null, failureCondition: m.failureCondition?.source ?? null, dryRun: m.dryRun, noData: m.noData,
          })), unresolved: r.analysis.unresolved } : { name: t.template.name, problems: r.problems };
        });
        report.push({ file, templates: resolved, problems: loaded.problems });
        if (ctx.globals.output !== 'json') {
          for (const p of loaded.problems) ctx.out.note(formatTemplateProblem(p));
          for (const s of loaded.skipped) ctx.out.note(`${file}:${s.line}: skipped ${s.kind}${s.name ? ` ${s.name}` : ''}`);
          for (const t of resolved as Array<{ name: string; metrics?: Array<Record<string, unknown>> }>) {
            ctx.out.line(`${file}: ${t.name}`);
            if (t.metrics) ctx.out.table(t.metrics, [['name', 'METRIC'], ['provider', 'PROVIDER'], ['interval', 'INTERVAL'], ['count', 'COUNT'], ['failureLimit', 'FAIL LIMIT'], ['inconclusiveLimit', 'INCONCL LIMIT'], ['consecutiveErrorLimit', 'ERROR LIMIT'], ['successCondition', 'SUCCESS'], ['failureCondition', 'FAILURE'], ['dryRun', 'DRY RUN']]);
          }
        }
      }
      if (ctx.globals.output === 'json') ctx.out.json(report);
      process.exitCode = failed ? 2 : 0;
    });

  analysis.command('templates').description('the built-in templates (the spec\'s), in their prometheus and builtin forms').action(async (_o, cmd: Command) => {
    const ctx = contextFor(cmd, env);
    const { loadBuiltinTemplates } = await import('../../templates/load-builtin-templates.js');
    const set = loadBuiltinTemplates();
    const rows = set.templates.map((t) => ({ name: t.name, form: t.form, semantics: t.template.semantics, metrics: t.template.metrics.map((m) => m.name).join(', '), args: t.template.args.map((a) => a.name).join(', ') }));
    if (ctx.globals.output === 'json') return ctx.out.json(rows);
    ctx.out.table(rows, [['name', 'TEMPLATE'], ['form', 'FORM'], ['semantics', 'SEMANTICS'], ['args', 'ARGS'], ['metrics', 'METRICS']]);
  });

  analysis.command('run <template...>')
    .description('run an analysis here and now against live data, printing each measurement as it lands; exit 0 only when Successful')
    .option('--arg <name=value...>', 'template arguments', [])
    .option('--dry-run', 'measure and explain, but no metric can fail the run')
    .option('--form <form>', 'built-in template form: prometheus or builtin', 'prometheus')
    .option('--from <time>', 'retrospective: run over past data from this ISO-8601 time (Prometheus query_range)')
    .option('--to <time>', 'retrospective: until this time (default now)')
    .option('--step <duration>', 'retrospective: measurement spacing, default the metrics\' interval')
    .option('--config <file>', 'rampart.yaml, for analysis.providers')
    .action(async (templates: string[], o: RunOptions, cmd: Command) => {
      const ctx = contextFor(cmd, env);
      const spec = await import('../../services/analysis-spec.js');
      const { loadRuntimeConfig, metricProviders } = await import('../../main.js');
      const { systemClock } = await import('../../platform/clock.js');
      const runner = await import('../../analysis/index.js');
      const config = loadRuntimeConfig({ env, ...(o.config ? { configFile: o.config } : {}) });
      const providers = metricProviders(config, systemClock);
      const analysisSpec = { templates: templates.map((t) => spec.templateSource(t, o.form as 'prometheus')), args: spec.parseArgs(o.arg), dryRun: Boolean(o.dryRun) };
      const resolved = spec.resolveSpec(analysisSpec);

      let state;
      if (o.from) {
        const from = Date.parse(o.from);
        const to = o.to ? Date.parse(o.to) : Date.now();
        if (Number.isNaN(from) || Number.isNaN(to) || from >= to) throw new RampartError('BAD_REQUEST', '--from/--to: give two ISO-8601 times, --from before --to');
        state = await runner.runRetrospective(resolved, providers, { from, to });
      } else {
        state = runner.createRunState(resolved, Date.now());
        const abort = new AbortController();
        process.once('SIGINT', () => abort.abort());
        for (;;) {
          const step = await runner.stepRun(state, resolved, providers, Date.now(), {
            signal: abort.signal,
            finishedAt: () => Date.now(),
            onMeasurement: (metric, m) => ctx.globals.output !== 'json' && ctx.out.line(describeMeasurement(metric, m as never)),
          });
          state = step.state;
          if (step.nextAt === null) break;
          if (abort.signal.aborted) state = runner.requestTermination(state, Date.now(), 'interrupted (Ctrl-C)');
          await new Promise((r) => setTimeout(r, Math.max(0, step.nextAt! - Date.now())));
        }
      }
      if (ctx.globals.output === 'json') ctx.out.json(state);
      else {
        ctx.out.line(`${state.phase}: ${state.summary ?? state.message}`);
        for (const line of state.metricLines ?? []) ctx.out.line(`  ${line}`);
      }
      process.exitCode = phaseExit(state.phase);
    });

  analysis.command('get <id>').description('a stored analysis run with every measurement').action(async (id: string, _o, cmd: Command) => {
    const ctx = contextFor(cmd, env);
    const run = await ctx.api().get<{ id: string; phase: string; state: { summary?: string; message: string; results: Array<{ name: string; measurements: Array<Record<string, unknown>> }> } }>(`/api/v1/analysis-runs/${encodeURIComponent(id)}`);
    if (ctx.globals.output === 'json') return ctx.out.json(run);
    ctx.out.line(`${run.id}  ${run.phase}: ${run.state.summary ?? run.state.message}`);
    for (const r of run.state.results) for (const m of r.measurements) ctx.out.line(describeMeasurement(r.name, m as never));
  });

  analysis.command('terminate <id>').action(async (id: string, _o, cmd: Command) => {
    const ctx = contextFor(cmd, env);
    const run = await ctx.api().post<{ id: string; phase: string }>(`/api/v1/analysis-runs/${encodeURIComponent(id)}/terminate`, {});
    if (ctx.globals.output === 'json') return ctx.out.json(run);
    ctx.out.line(`${run.id}: termination requested (${run.phase})`);
  });
}
