// Runs the benchmarks named on the command line (default: all), each in its own process, after a
// build (some measure the built CLI). Results land in bench/RESULTS.md.
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const all = readdirSync(here).filter((f) => f.endsWith('.ts') && f !== 'results.ts').map((f) => f.slice(0, -3));
const wanted = process.argv.slice(2);
const unknown = wanted.filter((w) => !all.includes(w));
if (unknown.length) {
  console.error(`unknown benchmark ${unknown.join(', ')}; available: ${all.join(', ')}`);
  process.exit(2);
}
execFileSync('npm', ['run', 'build'], { stdio: 'inherit' });
for (const name of wanted.length ? wanted : all) {
  console.error(`\n== bench ${name}`);
  execFileSync(process.execPath, ['--import', 'tsx', join(here, `${name}.ts`)], { stdio: 'inherit' });
}
