import { readFileSync } from 'node:fs';
import { type Command, Option } from 'commander';
import type { Env } from '../../config/env.js';
import type { DecisionRecord } from '../../domain/gates/index.js';
import { RampartError } from '../../platform/errors.js';
import { type CliContext, contextFor } from '../context.js';

interface CheckOptions {
  service: string;
  version: string;
  env: string;
  kind: string;
  evidence: string[];
  format?: string;
  step: string[];
  at?: string;
  emergency?: boolean;
  approver?: string;
  incident?: string;
  config?: string;
  errorBudgetRemaining?: string;
  burnRate?: string;
  activeP1?: string;
  rollbacks24h?: string;
  releaseCaptain?: string;
}

const num = (v: string | undefined, flag: string): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n)) throw new RampartError('BAD_REQUEST', `${flag} ${v}: give a number`);
  return n;
};

/** Prints a decision: the six gates' checks as a table, then the verdict and violations. */
export function printDecision(ctx: CliContext, record: DecisionRecord & { whatIf?: boolean }, releaseId?: string): void {
  if (ctx.globals.output === 'json') return ctx.out.json(releaseId ? { release: releaseId, decision: record } : record);
  const rows = record.checks.flatMap((g) => g.checks.map((c) => ({
    gate: c.gate, check: c.check, value: c.value, threshold: c.threshold,
    result: c.bypassed ? `${c.result} (bypassed: emergency)` : c.waived ? `${c.result} (waived: ${c.waived.exceptionId})` : c.result, source: c.source ?? '-',
  })));
  ctx.out.table(rows, [['gate', 'GATE'], ['check', 'CHECK'], ['value', 'VALUE'], ['threshold', 'THRESHOLD'], ['result', 'RESULT'], ['source', 'SOURCE']]);
  ctx.out.line('');
  ctx.out.line(`${record.allow ? 'ALLOW' : 'DENY'}  ${record.service} ${record.version} → ${record.environment}  decision ${record.id}${releaseId ? `  release ${releaseId}` : ''}${record.whatIf ? '  (what-if: evaluated at --at)' : ''}`);
  ctx.out.line(`clock ${record.clock.iso} (${record.clock.zone})  policy ${record.policy.name}  ${'open' in record.window ? `window ${record.window.open ? 'open' : 'closed'}: ${record.window.reason}` : `window: ${record.window.error}`}`);
  for (const e of record.exceptions ?? []) ctx.out.line(`exception ${e.id} (${e.type}) waived ${e.checks.join(', ')}${e.cveIds ? `: ${e.cveIds.join(', ')}` : ''}`);
  for (const v of record.violations) ctx.out.line(`  - ${v}`);
}

export function registerGate(program: Command, env: Env) {
  const gate = program.command('gate').description('release gates: check a release against its evidence, replay a decision');

  gate.command('check')
    .description('decide a release from tool reports; offline with local config, or against a server with --server')
    .requiredOption('--service <name>')
    .requiredOption('--version <version>')
    .option('--env <environment>', 'target environment (high CVEs fail in production)', 'production')
    .option('--kind <kind>', 'feature | fix | rollback', 'feature')
    .option('--evidence <path...>', 'report files or directories (JUnit, lcov, Trivy, SARIF, gitleaks, …)', [])
    .option('--format <format>', 'force the report format instead of detecting it')
    .option('--step <name=result...>', 'a step that leaves no report: typecheck|build|compile|lint|format|e2e|golden_path=pass|fail', [])
    .option('--at <time>', 'evaluate at this ISO-8601 instant (what-if)')
    .option('--emergency', 'claim an emergency override (needs --approver and --incident)')
    .option('--approver <name>', 'emergency approver (must be in gates.authorizedOverriders)')
    .option('--incident <id>', 'incident id of the emergency')
    .option('--config <file>', 'rampart.yaml (offline)')
    .option('--error-budget-remaining <pct>', 'offline: SLO fact')
    .option('--burn-rate <x>', 'offline: fast burn rate')
    .option('--active-p1 <n>', 'offline: active P1 incidents')
    .option('--rollbacks-24h <n>', 'offline: rollbacks in the last 24 h')
    .option('--release-captain <name>', 'offline: the release captain who approved')
    .action(async (o: CheckOptions, cmd: Command) => {
      const ctx = contextFor(cmd, env);
      if (o.emergency && (!o.approver || !o.incident)) throw new RampartError('BAD_REQUEST', '--emergency needs --approver NAME and --incident ID');
      if (!['feature', 'fix', 'rollback'].includes(o.kind)) throw new RampartError('BAD_REQUEST', `--kind ${o.kind}: use feature, fix or rollback`);
      if (o.at !== undefined && Number.isNaN(Date.parse(o.at))) throw new RampartError('BAD_REQUEST', `--at ${o.at}: give an ISO-8601 time such as 2026-03-02T10:00:00Z`);
      const emergency = o.emergency ? { approver: o.approver!, incidentId: o.incident! } : undefined;
      const gc = await import('../../services/gate-check.js');
      const online = cmd.optsWithGlobals().server !== undefined || env.server !== undefined;

      if (online) {
        const paths = gc.collectEvidencePaths(o.evidence);
        const evidence = paths.map((p) => ({ name: p, content: readFileSync(p).toString('base64'), encoding: 'base64', ...(o.format ? { format: o.format } : {}) }));
        const release = await ctx.api().post<{ id: string; decision: DecisionRecord }>('/api/v1/releases', {
          service: o.service, version: o.version, environment: o.env, kind: o.kind, evidence, steps: o.step,
          ...(emergency ? { emergency } : {}), ...(o.at ? { at: o.at } : {}),
        });
        printDecision(ctx, release.decision, release.id);
        process.exitCode = release.decision.allow ? 0 : 1;
        return;
      }

      const { loadRuntimeConfig } = await import('../../main.js');
      const { resolveService } = await import('../../domain/catalog/resolve.js');
      const config = loadRuntimeConfig({ env, ...(o.config ? { configFile: o.config } : {}) });
      const service = resolveService(config.catalog, o.service);
      if (!service) throw new RampartError('BAD_REQUEST', `--service ${o.service}: not in the catalog (${config.source}); see \`rampart services list\``);
      const setup = gc.loadGateSetup(config);
      const steps = gc.parseSteps(o.step);
      const reports = await gc.parseReportFiles(gc.collectEvidencePaths(o.evidence), setup, o.format);
      const remaining = num(o.errorBudgetRemaining, '--error-budget-remaining');
      const burn = num(o.burnRate, '--burn-rate');
      const p1 = num(o.activeP1, '--active-p1');
      const rollbacks = num(o.rollbacks24h, '--rollbacks-24h');
      const evidence = gc.assembleEvidence(reports, steps, {
        slo: {
          ...(remaining !== undefined ? { errorBudgetRemainingPct: { value: remaining, source: '--error-budget-remaining' } } : {}),
          ...(burn !== undefined ? { fastBurnRate: { value: burn, source: '--burn-rate' } } : {}),
          ...(p1 !== undefined ? { activeP1: { ids: Array.from({ length: p1 }, (_, i) => `flag-${i + 1}`), source: '--active-p1' } } : {}),
          ...(rollbacks !== undefined ? { rollbacks24h: { count: rollbacks, source: '--rollbacks-24h' } } : {}),
        },
        ...(o.releaseCaptain ? { releaseCaptain: { approver: o.releaseCaptain, source: '--release-captain' } } : {}),
      }, setup);
      const nowMs = o.at ? Date.parse(o.at) : Date.now();
      const { randomUUID } = await import('node:crypto');
      const { record } = await gc.decide(setup, {
        id: `dec_offline_${randomUUID()}`, service: o.service, version: o.version, environment: o.env, tier: String(service.tier),
        kind: o.kind as 'feature', ...(emergency ? { emergency } : {}),
      }, evidence, nowMs);
      printDecision(ctx, record);
      process.exitCode = record.allow ? 0 : 1;
    });

  gate.command('replay <decision>')
    .description('re-evaluate a stored decision from what was stored; exit 0 when identical')
    .action(async (id: string, _o, cmd: Command) => {
      const ctx = contextFor(cmd, env);
      const r = await ctx.api().get<{ identical: boolean; decision: DecisionRecord; replayed: DecisionRecord }>(`/api/v1/decisions/${encodeURIComponent(id)}/replay`);
      if (ctx.globals.output === 'json') ctx.out.json(r);
      else ctx.out.line(`${r.identical ? 'identical' : 'DIFFERENT'}: decision ${id} replayed → ${r.replayed.allow ? 'ALLOW' : 'DENY'} (stored ${r.decision.allow ? 'ALLOW' : 'DENY'}), input digest ${r.replayed.digests.input}`);
      process.exitCode = r.identical ? 0 : 1;
    });

  gate.command('approve <release>')
    .description('approve a release in a role you hold: release-captain (the approval gate), sre (a fix under 20 % budget) or vp-eng (a rollback with the budget exhausted); it is decided again')
    .option('--comment <text>')
    .addOption(new Option('--role <role>', 'the role you approve in').choices(['release-captain', 'sre', 'vp-eng']).default('release-captain'))
    .action(async (id: string, o: { comment?: string; role: string }, cmd: Command) => {
      const ctx = contextFor(cmd, env);
      const r = await ctx.api().post<{ id: string; decision: DecisionRecord }>(`/api/v1/releases/${encodeURIComponent(id)}/approvals`, { role: o.role, ...(o.comment ? { comment: o.comment } : {}) });
      printDecision(ctx, r.decision, r.id);
      process.exitCode = r.decision.allow ? 0 : 1;
    });
}
