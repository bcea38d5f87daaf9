import type { Command } from 'commander';
import type { Env } from '../config/env.js';
import { type ApiClient, createApiClient } from './client.js';
import { type Out, type OutputFormat, createOut } from './output.js';

export interface GlobalOptions {
  server?: string;
  token?: string;
  output: OutputFormat;
}

/** What every command gets: the env, global flags, an output and (lazily) an API client. */
export interface CliContext {
  env: Env;
  out: Out;
  globals: GlobalOptions;
  api(): ApiClient;
}

export function contextFor(cmd: Command, env: Env): CliContext {
  const globals = cmd.optsWithGlobals() as GlobalOptions;
  const server = globals.server ?? env.server ?? 'http://127.0.0.1:8080';
  const token = globals.token ?? env.token;
  return { env, globals, out: createOut(globals.output), api: () => createApiClient(server, token) };
}
