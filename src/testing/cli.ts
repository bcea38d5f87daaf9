import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';

/** The built CLI, as users run it (`npm test` builds first). */
export const cliPath = resolve(import.meta.dirname, '../../dist/cli/main.js');

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs `rampart …` to completion. `env` is added to a clean environment (no RAMPART_* leaks in). */
export function runRampart(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [cliPath, ...args], { env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code) => ok({ code: code ?? -1, stdout, stderr }));
  });
}

export function cleanEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('RAMPART_')) env[k] = v;
  return { ...env, RAMPART_LOG_LEVEL: 'warn', ...extra };
}

export interface UpProcess {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  /** The admin token printed at first start, if any. */
  bootstrapToken: string | undefined;
}

/** Starts `rampart up` and resolves once it prints its URL. */
export function startUp(args: string[], env: Record<string, string> = {}): Promise<UpProcess> {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [cliPath, 'up', ...args], { env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    const timer = setTimeout(() => fail(new Error(`rampart up did not start in 20 s:\n${out}\n${err}`)), 20_000);
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const url = /Rampart is up at (\S+)/.exec(out)?.[1];
      if (url && out.includes('try:')) {
        clearTimeout(timer);
        ok({ child, url, stdout: () => out, bootstrapToken: /admin token \(shown once[^:]*: (rpt_\S+)/.exec(out)?.[1] });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      fail(new Error(`rampart up exited with ${code}:\n${out}\n${err}`));
    });
  });
}

export function waitExit(child: ChildProcess): Promise<number | null> {
  return new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(child.exitCode) : child.once('exit', (c) => r(c))));
}
