import type { Command } from 'commander';
import type { Env } from '../../config/env.js';
import type { AuditEvent } from '../../domain/audit/chain.js';
import { RampartError } from '../../platform/errors.js';
import { contextFor } from '../context.js';

type ListedEvent = Omit<AuditEvent, 'payload'> & { payload: unknown };

export function registerAudit(program: Command, env: Env) {
  const audit = program.command('audit').description('the tamper-evident audit log');

  audit.command('list')
    .description('recent events, newest first')
    .option('--service <name>')
    .option('--action <action>', 'e.g. token.create, auth.denied')
    .option('--actor <actor>', 'e.g. token:ci')
    .option('--since <time>', 'ISO-8601 time')
    .option('--limit <n>', 'at most this many (1-1000)', '50')
    .action(async (o: Record<string, string | undefined>, cmd: Command) => {
      const ctx = contextFor(cmd, env);
      const q = new URLSearchParams();
      for (const k of ['service', 'action', 'actor', 'since', 'limit']) if (o[k]) q.set(k, o[k]!);
      const { events } = await ctx.api().get<{ events: ListedEvent[] }>(`/api/v1/audit?${q}`);
      if (ctx.globals.output === 'json') return ctx.out.json(events);
      ctx.out.table(events.map((e) => ({ ...e, subject: `${e.subjectKind}/${e.subjectId}`, payload: JSON.stringify(e.payload) })), [
        ['seq', 'SEQ'], ['time', 'TIME'], ['actor', 'ACTOR'], ['action', 'ACTION'], ['subject', 'SUBJECT'], ['service', 'SERVICE'], ['payload', 'PAYLOAD'],
      ]);
    });

  audit.command('export')
    .description('every event in seq order, as stored')
    .option('--format <format>', 'jsonl', 'jsonl')
    .action(async (o: { format: string }, cmd: Command) => {
      if (o.format !== 'jsonl') throw new RampartError('BAD_REQUEST', `--format ${o.format} is not supported; use --format jsonl`);
      const ctx = contextFor(cmd, env);
      const res = await ctx.api().raw('/api/v1/audit/export');
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) process.stdout.write(chunk);
    });

  audit.command('verify')
    .description('re-compute the hash chain straight from the store (no server needed); exit 1 at the first break')
    .option('--data-dir <dir>', 'SQLite data directory (default .rampart or RAMPART_DATA_DIR)')
    .option('--database-url <url>', 'PostgreSQL URL (or RAMPART_DATABASE_URL)')
    .option('--config <file>', 'rampart.yaml, for its store section')
    .option('--workers <n>', 'SQLite: verify in N parallel ranges (default: one per core above 200,000 events)')
    .action(async (o: { dataDir?: string; databaseUrl?: string; config?: string; workers?: string }, cmd: Command) => {
      const ctx = contextFor(cmd, env);
      // Loaded on demand: the store drivers are most of the CLI's start-up time.
      const { canVerifyInParallel, describeStore, loadRuntimeConfig, openStore, sqliteFileOf, verifyAuditChainParallel } = await import('../../main.js');
      const { verifyAuditChain } = await import('../../services/audit-log.js');
      const opts = { env, ...(o.dataDir ? { dataDir: o.dataDir } : {}), ...(o.databaseUrl ? { databaseUrl: o.databaseUrl } : {}), ...(o.config ? { configFile: o.config } : {}) };
      const config = loadRuntimeConfig(opts);
      const store = await openStore(config, opts, { readonly: true });
      const started = performance.now();
      try {
        const showProgress = process.stderr.isTTY && ctx.globals.output !== 'json';
        // A large SQLite chain is checked in parallel ranges (one per core); the seams are checked too.
        const file = sqliteFileOf(config, opts);
        const head = await store.audit.head();
        const workers = o.workers === undefined ? undefined : Number(o.workers);
        if (workers !== undefined && (!Number.isInteger(workers) || workers < 1)) throw new RampartError('BAD_REQUEST', `--workers ${o.workers}: give a whole number of at least 1`);
        const parallel = file && canVerifyInParallel() && (workers === undefined ? (head?.seq ?? 0) > 200_000 : workers > 1);
        const report = parallel
          ? await verifyAuditChainParallel(file, head, workers, workers !== undefined ? 1 : 100_000)
          : await verifyAuditChain(store, showProgress ? (n, total) => ctx.out.note(`verified ${n}/${total}`) : undefined);
        const seconds = (performance.now() - started) / 1000;
        if (ctx.globals.output === 'json') {
          ctx.out.json({ ...report, store: describeStore(config, opts), seconds });
        } else if (report.ok) {
          ctx.out.line(`audit chain intact: ${report.checked} events, head seq ${report.head?.seq ?? 0} (${describeStore(config, opts)}, ${seconds.toFixed(2)} s)`);
        } else {
          ctx.out.line(`audit chain BROKEN at seq ${report.problem!.seq} (${report.problem!.kind}): ${report.problem!.message}`);
        }
        if (!report.ok) process.exitCode = 1;
      } finally {
        await store.close();
      }
    });
}
