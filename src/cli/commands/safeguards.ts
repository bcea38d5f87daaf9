import type { Command } from 'commander';
import type { Env } from '../../config/env.js';
import { type HealthMetric, metricLabels } from '../../domain/health/thresholds.js';
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
