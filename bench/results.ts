import { execSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { resolve } from 'node:path';

const resultsFile = resolve(import.meta.dirname, 'RESULTS.md');

export function machine(): string {
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  let sqlite = '';
  try {
    sqlite = execSync('git rev-parse --short HEAD', { stdio: ['ignore', 'pipe', 'ignore'] }).toString().trim();
  } catch {
    sqlite = 'unknown';
  }
  return `${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, commit ${sqlite}`;
}

/** Replaces (or appends) the section of bench/RESULTS.md that belongs to `name`. */
export function writeSection(name: string, command: string, body: string): void {
  const start = `<!-- bench:${name} -->`;
  const end = `<!-- /bench:${name} -->`;
  const section = `${start}\n## ${name}\n\n- when: ${new Date().toISOString()}\n- machine: ${machine()}\n- command: \`${command}\`\n\n${body.trim()}\n${end}`;
  let text = existsSync(resultsFile) ? readFileSync(resultsFile, 'utf8') : '# Benchmark results\n\nWritten by `npm run bench`; each section by its own benchmark.\n';
  const re = new RegExp(`${start}[\\s\\S]*?${end}`);
  text = re.test(text) ? text.replace(re, section) : `${text.trimEnd()}\n\n${section}\n`;
  writeFileSync(resultsFile, text);
}

export function table(rows: Array<Record<string, string | number>>): string {
  const cols = Object.keys(rows[0] ?? {});
  return [
    `| ${cols.join(' | ')} |`,
    `| ${cols.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${cols.map((c) => String(r[c])).join(' | ')} |`),
  ].join('\n');
}
