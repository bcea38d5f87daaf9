import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { formatProblem, loadConfigFile } from '../../config/load.js';
import { configJsonSchema } from '../../config/schema.js';
import { RampartError } from '../../platform/errors.js';
import type { Env } from '../../config/env.js';
import { contextFor } from '../context.js';

export function registerConfig(program: Command, env: Env) {
  const config = program.command('config').description('check and describe rampart.yaml');

  config.command('validate [file]')
    .description('validate a config file (default: RAMPART_CONFIG or ./rampart.yaml); exit 2 with every problem')
    .action((file: string | undefined, _o, cmd: Command) => {
      const ctx = contextFor(cmd, env);
      const path = file ?? env.configFile ?? 'rampart.yaml';
      if (!file && !env.configFile && !existsSync(path)) {
        throw new RampartError('BAD_REQUEST', 'no rampart.yaml here: name a file (`rampart config validate FILE`); without one Rampart uses its built-in spec catalog');
      }
      const r = loadConfigFile(path);
      if (ctx.globals.output === 'json') {
        ctx.out.json(r.ok ? { valid: true, file: path, services: r.config.catalog.services.length } : { valid: false, file: path, problems: r.problems });
      } else if (r.ok) {
        ctx.out.line(`${path} is valid: ${r.config.catalog.services.length} services`);
      } else {
        for (const p of r.problems) ctx.out.note(formatProblem(p));
        ctx.out.note(`${r.problems.length} problem${r.problems.length === 1 ? '' : 's'} in ${path}; nothing was changed`);
      }
      if (!r.ok) process.exitCode = 2;
    });

  config.command('schema')
    .description('print the JSON Schema of rampart.yaml (for editors and CI linters)')
    .action(() => {
      process.stdout.write(`${JSON.stringify(configJsonSchema(), null, 2)}\n`);
    });
}
