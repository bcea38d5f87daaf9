import type { Command } from 'commander';
import type { Env } from '../../config/env.js';
import { type HealthMetric, metricLabels } from '../../domain/health/thresholds.js';
import { exitCodes } from '../../platform/errors.js';
import type { SyntheticRun } from '../../services/synthetics.js';
import type { AlertRow, SyntheticResultRow } from '../../store/safeguard-repositories.js';
import type { ServiceHealthView } from '../../services/service-health.js';
import { contextFor } from '../context.js';

/** `rampart services health [SERVICE]`: added under the existing `services` command. */
export function registerServiceHealth(program: Command, env: Env) {
  const services = program.commands.find((c) => c.name() === 'services') ?? program.command('services').description('the service catalog');
  services.command('health [service]')
    .description("health from the spec's key metrics (error rate, p95, CPU, memory, budget burn), with the reasons")
    .action(async (service: string | undefined, _o, cmd: Command) => {
      const ctx = contextFor(cmd, env);
      const views = service
        ? [await ctx.api().get<ServiceHealthView>(`/api/v1/services/${encodeURIComponent(service)}/health`)]
        : (await ctx.api().get<{ services: ServiceHealthView[] }>('/api/v1/service-health')).services;
      if (ctx.globals.output === 'json') return ctx.out.json(service ? views[0] : views);
      const show = (v: ServiceHealthView, metric: HealthMetric) => {
        const m = v.metrics.find((x) => x.metric === metric);
        return m?.value === null || m === undefined ? '?' : `${metricLabels[metric].unit(m.value)}${m.status === 'ok' ? '' : ` (${m.status})`}`;
      };
      ctx.out.table(views.map((v) => ({
        service: v.service, tier: v.tier, status: v.status.toUpperCase(),
        errors: show(v, 'errorRate'), p95: show(v, 'latencyP95Ms'), cpu: show(v, 'cpu'), memory: show(v, 'memory'), burn: show(v, 'budgetBurn'),
      })), [['service', 'SERVICE'], ['tier', 'TIER'], ['status', 'STATUS'], ['errors', 'ERRORS'], ['p95', 'P95'], ['cpu', 'CPU'], ['memory', 'MEMORY'], ['burn', 'BURN']]);
      if (service) for (const r of views[0]?.reasons ?? []) ctx.out.line(`  - ${r}`);
    });
}

/** `rampart alerts`: anomaly alerts, newest first. */
export function registerAlerts(program: Command, env: Env) {
  program.command('alerts').description('anomaly alerts (ErrorRateAnomaly, LatencyAnomaly), newest first')
    .option('--service <name>', 'one service only')
    .option('--state <state>', 'firing or resolved')
    .option('--limit <n>', 'at most this many', '50')
    .action(async (o: { service?: string; state?: string; limit: string }, cmd: Command) => {
      const ctx = contextFor(cmd, env);
      const q = new URLSearchParams({ limit: o.limit, ...(o.service ? { service: o.service } : {}), ...(o.state ? { state: o.state } : {}) });
      const body = await ctx.api().get<{ alerts: AlertRow[] }>(`/api/v1/alerts?${q}`);
      if (ctx.globals.output === 'json') return ctx.out.json(body);
      ctx.out.table(body.alerts.map((a) => ({ ...a, state: a.state.toUpperCase() })), [
        ['openedAt', 'OPENED'], ['service', 'SERVICE'], ['rule', 'RULE'], ['state', 'STATE'], ['resolvedAt', 'RESOLVED'], ['summary', 'SUMMARY'],
      ]);
    });
}

/** `rampart synthetic run SERVICE` (now; exit 1 when a check fails) and `rampart synthetic list`. */
export function registerSynthetic(program: Command, env: Env) {
  const synthetic = program.command('synthetic').description('golden-path synthetic checks (health, GraphQL, scripts)');
  const columns: Array<[string, string]> = [['at', 'AT'], ['service', 'SERVICE'], ['check', 'CHECK'], ['result', 'RESULT'], ['duration', 'DURATION'], ['message', 'MESSAGE']];
  const rowOf = (r: SyntheticResultRow) => ({ ...r, result: r.ok ? 'PASS' : 'FAIL', duration: `${Math.round(r.durationMs)}ms` });

  synthetic.command('run <service>')
    .description("run a service's synthetic checks now and store the results")
    .action(async (service: string, _o, cmd: Command) => {
      const ctx = contextFor(cmd, env);
      const run = await ctx.api().post<SyntheticRun>(`/api/v1/synthetics/${encodeURIComponent(service)}/run`, {});
      if (!run.ok) process.exitCode = exitCodes.failed;
      if (ctx.globals.output === 'json') return ctx.out.json(run);
      ctx.out.table(run.results.map(rowOf), columns);
      ctx.out.note(`${service} (${run.target}): ${run.ok ? 'all checks passed' : `${run.results.filter((r) => !r.ok).length} check(s) failed`}`);
    });

  synthetic.command('list')
    .description('the latest synthetic check results, newest first')
    .option('--service <name>', 'one service only')
    .option('--limit <n>', 'at most this many', '20')
    .action(async (o: { service?: string; limit: string }, cmd: Command) => {
      const ctx = contextFor(cmd, env);
      const q = new URLSearchParams({ limit: o.limit, ...(o.service ? { service: o.service } : {}) });
      const { results } = await ctx.api().get<{ results: SyntheticResultRow[] }>(`/api/v1/synthetics/results?${q}`);
      if (ctx.globals.output === 'json') return ctx.out.json(results);
      ctx.out.table(results.map(rowOf), columns);
    });
}
