import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Env } from '../../config/env.js';
import type { RolloutStatus } from '../../domain/rollout/index.js';
import { RampartError } from '../../platform/errors.js';
import { type CliContext, contextFor } from '../context.js';

interface RolloutView {
  id: string; service: string; phase: string; release: string | null; createdAt: string; createdBy: string;
  status: RolloutStatus; spec: { strategy: { type: string; steps?: unknown[] } }; analysisRuns: Record<string, string>;
}

function describeStep(step: unknown): string {
  const s = step as Record<string, { duration?: number; templates?: Array<{ templateName?: string } | string> } | number>;
  if ('setWeight' in s) return `setWeight ${String(s.setWeight)}`;
  if ('pause' in s) {
    const p = s.pause as { duration?: number };
    return p?.duration !== undefined ? `pause ${p.duration}s` : 'pause (until promote)';
  }
  if ('analysis' in s) return `analysis ${JSON.stringify((s.analysis as { templates?: unknown[] }).templates ?? [])}`;
  return Object.keys(s)[0] ?? '?';
}

/** A live view like `kubectl argo rollouts get rollout`: steps with the current one marked, weights, runs. */
function printStatus(ctx: CliContext, r: RolloutView): void {
  const st = r.status;
  const elapsed = Math.round((Date.now() - st.stepStartedAt) / 1000);
  ctx.out.line(`Rollout ${r.id}  ${r.service}  ${st.phase}${st.hold ? ` (held: ${st.hold.reason})` : ''}  ${st.message}`);
  ctx.out.line(`  stable ${st.stable.version}  ${st.weights.stable}%   canary ${st.canary.version}  ${st.weights.canary}%   strategy ${r.spec.strategy.type}`);
  if (st.abort) ctx.out.line(`  aborted by ${st.abort.actor}: ${st.abort.reason}`);
  (r.spec.strategy.steps ?? []).forEach((step, i) => {
    const marker = i === st.stepIndex ? '▶' : i < st.stepIndex ? '✔' : ' ';
    ctx.out.line(`  ${marker} ${String(i).padStart(2)}  ${describeStep(step)}${i === st.stepIndex ? `   (${elapsed}s)` : ''}`);
  });
  for (const run of st.analysisRuns) ctx.out.line(`  analysis ${run.ref}: ${run.phase}${run.terminated ? ' (terminated)' : ''}  run ${r.analysisRuns[run.ref] ?? '-'}`);
}

export function registerRollout(program: Command, env: Env) {
  const rollout = program.command('rollout').description('progressive delivery: start, watch and steer rollouts');

  rollout.command('set-version <service> <version>')
    .description('start a rollout of VERSION (needs the release whose gates allowed it)')
    .option('--release <id>', 'the release id from `rampart gate check --server`')
    .option('--strategy-file <file>', 'an Argo `strategy:` block instead of the tier\'s strategy')
    .action(async (service: string, version: string, o: { release?: string; strategyFile?: string }, cmd: Command) => {
      const ctx = contextFor(cmd, env);
      let strategy: string | undefined;
      if (o.strategyFile) {
        try {
          strategy = readFileSync(o.strategyFile, 'utf8');
        } catch {
          throw new RampartError('BAD_REQUEST', `--strategy-file ${o.strategyFile}: file not found`);
        }
      }
      const r = await ctx.api().post<RolloutView>(`/api/v1/rollouts/${encodeURIComponent(service)}`, { version, ...(o.release ? { release: o.release } : {}), ...(strategy ? { strategy } : {}) });
      if (ctx.globals.output === 'json') return ctx.out.json(r);
      printStatus(ctx, r);
    });

  rollout.command('status <service>')
    .description('the current rollout; --watch refreshes every second until it ends')
    .option('--watch', 'keep watching')
    .action(async (service: string, o: { watch?: boolean }, cmd: Command) => {
      const ctx = contextFor(cmd, env);
      for (;;) {
        const r = await ctx.api().get<RolloutView>(`/api/v1/rollouts/${encodeURIComponent(service)}`);
        if (ctx.globals.output === 'json') ctx.out.json(r);
        else {
          if (o.watch) process.stdout.write('\x1b[2J\x1b[H');
          printStatus(ctx, r);
        }
        if (!o.watch || ['Healthy', 'Aborted', 'RolledBack'].includes(r.status.phase)) return;
        await new Promise((res) => setTimeout(res, 1000));
      }
    });

  rollout.command('history <service>').action(async (service: string, _o, cmd: Command) => {
    const ctx = contextFor(cmd, env);
    const { rollouts } = await ctx.api().get<{ rollouts: RolloutView[] }>(`/api/v1/rollouts/${encodeURIComponent(service)}/history`);
    if (ctx.globals.output === 'json') return ctx.out.json(rollouts);
    ctx.out.table(rollouts.map((r) => ({ id: r.id, revision: r.status.canary.revision, version: r.status.canary.version, from: r.status.stable.version, phase: r.status.phase, created: r.createdAt, by: r.createdBy, release: r.release })),
      [['id', 'ROLLOUT'], ['revision', 'REV'], ['version', 'VERSION'], ['from', 'FROM'], ['phase', 'PHASE'], ['created', 'CREATED'], ['by', 'BY'], ['release', 'RELEASE']]);
  });

  const verb = (name: 'promote' | 'abort' | 'retry' | 'pause' | 'resume' | 'undo', description: string, extra?: (c: Command) => Command) => {
    let c = rollout.command(`${name} <service>`).description(description);
    if (extra) c = extra(c);
    c.action(async (service: string, o: { full?: boolean; reason?: string; toRevision?: string }, cmd: Command) => {
      const ctx = contextFor(cmd, env);
      const toRevision = o.toRevision === undefined ? undefined : Number(o.toRevision);
      if (toRevision !== undefined && (!Number.isInteger(toRevision) || toRevision < 1)) throw new RampartError('BAD_REQUEST', `--to-revision ${o.toRevision}: give a revision number (see rollout history)`);
      const r = await ctx.api().post<RolloutView>(`/api/v1/rollouts/${encodeURIComponent(service)}/commands`, {
        verb: name, ...(o.full ? { full: true } : {}), ...(o.reason ? { reason: o.reason } : {}), ...(toRevision ? { toRevision } : {}),
      });
      if (ctx.globals.output === 'json') return ctx.out.json(r);
      ctx.out.line(`${name} sent to rollout ${r.id} of ${service}; see \`rampart rollout status ${service}\``);
    });
  };
  verb('promote', 'skip the current pause or step; --full goes to 100 %', (c) => c.option('--full', 'promote to 100 % at once'));
  verb('abort', 'roll back: all traffic to stable', (c) => c.option('--reason <text>'));
  verb('retry', 'restart an aborted rollout from its first step');
  verb('pause', 'hold the rollout where it is');
  verb('resume', 'continue a held rollout');
  verb('undo', 'go back to the previous version (instant while it is still warm)', (c) => c.option('--to-revision <n>'));
}
