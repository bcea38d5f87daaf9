import type { Command } from 'commander';
import type { Env } from '../../config/env.js';
import { RampartError } from '../../platform/errors.js';

export function registerDemo(program: Command, env: Env) {
  program.command('demo')
    .description('watch Rampart work: a bad release rolled back on its own, a good one promoted (real processes, real traffic)')
    .option('--port <port>', 'Rampart API and dashboard port', '8080')
    .option('--exit', 'stop when the demo has run (for scripts)')
    .action(async (o: { port: string; exit?: boolean }) => {
      const port = Number(o.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new RampartError('BAD_REQUEST', `--port ${o.port}: give a port number`);
      const { runDemo } = await import('../../demo/run-demo.js');
      const demo = await runDemo(env, { port }, (line) => process.stdout.write(`${line}\n`));
      if (o.exit) return demo.stop();
      const stop = () => demo.stop().then(() => process.exit(0), () => process.exit(1));
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
}
