import type { Command } from 'commander';
import type { Env } from '../../config/env.js';
import { RampartError } from '../../platform/errors.js';

export function registerUp(program: Command, env: Env) {
  program.command('up')
    .description('run the Rampart server and its reconcile loop (embedded defaults: SQLite, the spec catalog)')
    .option('--port <port>', 'listen port (default 8080 or server.port)')
    .option('--host <host>', 'listen address (default 127.0.0.1 or server.host)')
    .option('--data-dir <dir>', 'where the SQLite store lives (default .rampart or RAMPART_DATA_DIR)')
    .option('--config <file>', 'rampart.yaml (default RAMPART_CONFIG; none: built-in defaults)')
    .action(async (o: { port?: string; host?: string; dataDir?: string; config?: string }) => {
      const port = o.port === undefined ? undefined : Number(o.port);
      if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
        throw new RampartError('BAD_REQUEST', `--port ${o.port} is not a port number (0-65535)`);
      }
      const { describeStore, startServer } = await import('../../main.js');
      const running = await startServer({
        env,
        ...(port !== undefined ? { port } : {}),
        ...(o.host ? { host: o.host } : {}),
        ...(o.dataDir ? { dataDir: o.dataDir } : {}),
        ...(o.config ? { configFile: o.config } : {}),
      });
      const { config } = running.rampart.deps;
      const lines = [
        `Rampart is up at ${running.url}`,
        `  catalog: ${config.catalog.services.length} services (${config.source})`,
        `  store:   ${describeStore(config, { env, ...(o.dataDir ? { dataDir: o.dataDir } : {}) })}`,
      ];
      if (running.rampart.bootstrapToken) {
        lines.push(`  admin token (shown once, store it now): ${running.rampart.bootstrapToken}`);
      } else if (!env.adminToken) {
        lines.push('  admin token: created at first start (create more with `rampart token create`)');
      }
      lines.push(`  try: curl -H "Authorization: Bearer <token>" ${running.url}/api/v1/services`);
      process.stdout.write(`${lines.join('\n')}\n`);
      const stop = (signal: string) => {
        process.stdout.write(`${signal}: stopping\n`);
        running.shutdown().then(() => process.exit(0), () => process.exit(1));
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
    });
}
