import { Command, CommanderError, Option } from 'commander';
import type { Env } from '../config/env.js';
import { RampartError, exitCodes } from '../platform/errors.js';
import { registerAnalysis } from './commands/analysis.js';
import { registerAudit } from './commands/audit.js';
import { registerBudget } from './commands/budget.js';
import { registerConfig } from './commands/config.js';
import { registerException } from './commands/exception.js';
import { registerDemo } from './commands/demo.js';
import { registerFlags } from './commands/flags.js';
import { registerGate } from './commands/gate.js';
import { registerIncident } from './commands/incident.js';
import { registerRollout } from './commands/rollout.js';
import { registerServices } from './commands/services.js';
import { registerAlerts, registerServiceHealth, registerSynthetic } from './commands/safeguards.js';
import { registerToken } from './commands/token.js';
import { registerUp } from './commands/up.js';

export function buildProgram(env: Env): Command {
  const program = new Command('rampart')
    .description('Release reliability control plane: gates, progressive delivery, error budgets, flags, audit')
    .option('--server <url>', 'Rampart server (default RAMPART_SERVER or http://127.0.0.1:8080)')
    .option('--token <token>', 'API token (default RAMPART_TOKEN)')
    .addOption(new Option('--output <format>', 'table for people, json for machines').choices(['table', 'json']).default('table'))
    .showHelpAfterError()
    .exitOverride();
  registerUp(program, env);
  registerServices(program, env);
  registerServiceHealth(program, env);
  registerAlerts(program, env);
  registerSynthetic(program, env);
  registerAudit(program, env);
  registerToken(program, env);
  registerConfig(program, env);
  registerFlags(program, env);
  registerGate(program, env);
  registerAnalysis(program, env);
  registerBudget(program, env);
  registerIncident(program, env);
  registerRollout(program, env);
  registerDemo(program, env);
  registerException(program, env);
  return program;
}

/** Runs the CLI; returns the exit code (0 ok, 1 failed/denied, 2 usage/config/input, 3 unreachable). */
export async function runCli(argv: string[], env: Env): Promise<number> {
  const program = buildProgram(env);
  program.commands.forEach(function override(c: Command) {
    c.exitOverride();
    c.commands.forEach(override);
  });
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : exitCodes.ok;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here too, with exit code 0.
      return err.exitCode === 0 ? exitCodes.ok : exitCodes.usage;
    }
    if (err instanceof RampartError) {
      process.stderr.write(`error: ${err.message}\n`);
      return err.exitCode;
    }
    process.stderr.write(`error: ${(err as Error).stack ?? String(err)}\n`);
    return exitCodes.failed;
  }
}
