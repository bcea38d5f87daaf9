import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatTemplateProblem } from './problems.js';
import { loadAnalysisTemplates } from './load-templates.js';

const ROOT = path.resolve(process.cwd(), '../shared/conformance');
const EXAMPLES = path.join(ROOT, 'argo-rollouts/examples');
const present = existsSync(EXAMPLES);

if (!present && process.env.CI === 'true') {
  throw new Error(`conformance suite missing: ${EXAMPLES} (CI=true requires it)`);
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) return yamlFiles(full);
    return /\.ya?ml$/.test(entry) ? [full] : [];
  });
}

const ANALYSIS_KIND = /^kind:\s*(Cluster)?AnalysisTemplate\s*$/m;

describe.skipIf(!present)(`Argo Rollouts examples (${present ? EXAMPLES : 'missing: ../shared/conformance/argo-rollouts/examples'})`, () => {
  const files = present ? yamlFiles(EXAMPLES).filter((f) => ANALYSIS_KIND.test(readFileSync(f, 'utf8'))) : [];

  it('finds analysis templates to check', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files.map((f) => [path.relative(EXAMPLES, f), f]))('%s loads, or is rejected naming the unsupported part', (_rel, file) => {
    const result = loadAnalysisTemplates(readFileSync(file, 'utf8'), file);
    const documents = result.templates.length + result.rejected.length;
    expect(documents).toBeGreaterThan(0);
    for (const rejected of result.rejected) {
      for (const problem of rejected.problems) {
        // A rejection must say what is unsupported or wrong, where.
        expect(problem.line).toBeGreaterThan(0);
        expect(problem.path).not.toBe('');
        expect(problem.code).toMatch(/UNSUPPORTED|UNKNOWN/);
      }
    }
    // Any metric whose provider Rampart supports must not be the cause of a rejection.
    const text = readFileSync(file, 'utf8');
    if (!/\b(datadog|newRelic|wavefront|kayenta|cloudWatch|graphite|influxdb|skywalking|plugin|secretKeyRef|fieldRef):/.test(text)) {
      expect(result.rejected.map((r) => r.problems.map(formatTemplateProblem))).toEqual([]);
    }
  });

  it('prints a summary: every analysis document accounted for', () => {
    let loaded = 0;
    let rejectedCount = 0;
    let skipped = 0;
    const lines: string[] = [];
    for (const file of files) {
      const result = loadAnalysisTemplates(readFileSync(file, 'utf8'), file);
      loaded += result.templates.length;
      rejectedCount += result.rejected.length;
      skipped += result.skipped.length;
      for (const t of result.templates) lines.push(`  loaded   ${path.relative(EXAMPLES, file)}:${t.line} ${t.template.kind}/${t.template.name} (${t.template.metrics.map((m) => `${m.name}:${m.provider.type}`).join(', ')})`);
      for (const r of result.rejected) lines.push(`  rejected ${path.relative(EXAMPLES, file)}:${r.line} ${r.kind}/${r.name ?? '?'}: ${r.problems.map((p) => p.message).join('; ')}`);
    }
    console.log(`Argo conformance: ${files.length} files with analysis templates; ${loaded} templates loaded, ${rejectedCount} rejected with a reason, ${skipped} other documents skipped\n${lines.join('\n')}`);
    expect(loaded).toBeGreaterThan(0);
    expect(loaded + rejectedCount).toBeGreaterThanOrEqual(files.length);
  });
});
