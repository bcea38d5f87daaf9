import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { generateRules } from './rules.js';
import { generateRuleTests } from './rules-tests.js';
import type { SloDefinition } from './types.js';

const rolling30 = { kind: 'rolling', days: 30 } as const;

/**
 * The spec's catalog SLOs (service tables and the error-budget block), plus sample variants
 * that exercise other periods and an integer latency threshold (le="1.0" in Prometheus 3).
 */
const catalog: SloDefinition[] = [
  { service: 'api', name: 'availability', objectivePercent: 99.9, window: rolling30, indicator: { kind: 'availability' } },
  { service: 'api', name: 'latency', objectivePercent: 99.0, window: rolling30, indicator: { kind: 'latency', thresholdSeconds: 0.5 } },
  { service: 'graphql-gateway', name: 'availability', objectivePercent: 99.9, window: rolling30, indicator: { kind: 'availability' } },
  { service: 'graphql-gateway', name: 'latency', objectivePercent: 99.0, window: rolling30, indicator: { kind: 'latency', thresholdSeconds: 0.5 } },
  { service: 'copilot', name: 'availability', objectivePercent: 99.5, window: rolling30, indicator: { kind: 'availability' } },
  { service: 'copilot', name: 'latency', objectivePercent: 95.0, window: rolling30, indicator: { kind: 'latency', thresholdSeconds: 0.5 } },
  { service: 'conductor', name: 'availability', objectivePercent: 99.5, window: { kind: 'rolling', days: 28 }, indicator: { kind: 'availability' } },
  { service: 'conductor', name: 'latency', objectivePercent: 99.0, window: { kind: 'rolling', days: 28 }, indicator: { kind: 'latency', thresholdSeconds: 1 } },
  { service: 'prov-ledger', name: 'availability', objectivePercent: 99.5, window: { kind: 'rolling', days: 7 }, indicator: { kind: 'availability' } },
  { service: 'devtools', name: 'availability', objectivePercent: 95, window: { kind: 'calendar-month' }, indicator: { kind: 'availability' } },
  // A second availability SLO on the same series: its tests need their own input series.
  { service: 'api', name: 'availability-strict', objectivePercent: 99.95, window: rolling30, indicator: { kind: 'availability' } },
];

function findPromtool(): boolean {
  const probe = spawnSync('promtool', ['--version'], { encoding: 'utf8' });
  return probe.status === 0;
}

const hasPromtool = findPromtool();
const missing = 'promtool not found: install it with `apt-get install -y prometheus` (Debian ships promtool in that package)';
const dir = mkdtempSync(path.join(tmpdir(), 'rampart-slo-rules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function promtool(...args: string[]) {
  const run = spawnSync('promtool', args, { cwd: dir, encoding: 'utf8' });
  return { ok: run.status === 0, output: `${run.stdout}${run.stderr}` };
}

describe('generated rules under promtool', () => {
  const rules = generateRules(catalog);
  const tests = generateRuleTests(catalog, 'rules.yaml');
  writeFileSync(path.join(dir, 'rules.yaml'), rules.yaml);
  writeFileSync(path.join(dir, 'rules.test.yaml'), tests.yaml);

  it('generates every catalog SLO and a test for each', () => {
    expect(rules.skipped).toEqual([]);
    expect(tests.skipped).toEqual([]);
    expect(rules.groups.filter((g) => g.name.startsWith('slo-recording-'))).toHaveLength(catalog.length);
  });

  it('passes promtool check rules', (ctx) => {
    if (!hasPromtool) {
      if (process.env.CI === 'true') throw new Error(missing);
      ctx.skip(missing);
    }
    const result = promtool('check', 'rules', 'rules.yaml');
    expect(result.output).toContain('SUCCESS');
    expect(result.ok, result.output).toBe(true);
  });

  it('passes promtool test rules: Prometheus computes the burn rates, budget and alerts the domain predicts', (ctx) => {
    if (!hasPromtool) {
      if (process.env.CI === 'true') throw new Error(missing);
      ctx.skip(missing);
    }
    const result = promtool('test', 'rules', 'rules.test.yaml');
    expect(result.ok, result.output).toBe(true);
  });

  it.for([
    ['a page threshold raised from 14.4 to 20', (y: string) => y.replaceAll('> 14.4\n', '> 20\n')],
    ['errors read without the "no 5xx series means zero" fallback', (y: string) => y.replaceAll(' or vector(0))', ')')],
    ['the latency bucket matched by one exact le string', (y: string) => y.replaceAll('le=~"1(\\\\.0+)?"', 'le="1"')],
  ] as const)('fails promtool test rules with %s (the tests can fail)', ([, mutate], ctx) => {
    if (!hasPromtool) {
      if (process.env.CI === 'true') throw new Error(missing);
      ctx.skip(missing);
    }
    // Two SLOs cover every mutation and keep promtool's run short.
    const few = catalog.filter((s) => (s.service === 'api' && s.name === 'availability') || (s.service === 'conductor' && s.name === 'latency'));
    const good = generateRules(few).yaml;
    const mutated = mutate(good);
    expect(mutated).not.toBe(good);
    writeFileSync(path.join(dir, 'few.yaml'), good);
    writeFileSync(path.join(dir, 'few.test.yaml'), generateRuleTests(few, 'few.yaml').yaml);
    expect(promtool('test', 'rules', 'few.test.yaml').ok).toBe(true);
    writeFileSync(path.join(dir, 'mutated.yaml'), mutated);
    writeFileSync(path.join(dir, 'mutated.test.yaml'), generateRuleTests(few, 'mutated.yaml').yaml);
    const result = promtool('test', 'rules', 'mutated.test.yaml');
    expect(result.ok).toBe(false);
    expect(result.output).toContain('FAILED');
  });
});
