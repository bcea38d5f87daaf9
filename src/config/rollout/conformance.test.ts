import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { RolloutWorld } from '../../domain/rollout/scenario-harness.js';
import type { RolloutSpec } from '../../domain/rollout/spec.js';
import { formatTemplateProblem } from '../analysis/problems.js';
import { loadRolloutSpecs } from './load-rollout.js';

const ROOT = path.resolve(process.cwd(), '../shared/conformance');
const EXAMPLES = path.join(ROOT, 'argo-rollouts/examples');
const present = existsSync(EXAMPLES);
if (!present && process.env.CI === 'true') throw new Error(`conformance examples missing at ${EXAMPLES}`);

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = path.join(dir, n);
    return statSync(p).isDirectory() ? yamlFiles(p) : /\.ya?ml$/.test(n) ? [p] : [];
  });
}

/** Codes that name an unsupported Argo feature (as opposed to a malformed document). */
const UNSUPPORTED = ['EXPERIMENT_UNSUPPORTED', 'TRAFFIC_ROUTER_UNSUPPORTED', 'FIELD_UNSUPPORTED', 'STEP_UNSUPPORTED', 'ARG_SOURCE_UNSUPPORTED'];

const specs: [string, RolloutSpec][] = [];

describe.skipIf(!present)(`Argo Rollouts examples${present ? '' : ` (skipped: ${EXAMPLES} is missing)`}`, () => {
  it('every Rollout loads, or is rejected naming the unsupported field', () => {
    let loaded = 0;
    let rejectedDocs = 0;
    const rejected: string[] = [];
    for (const file of yamlFiles(EXAMPLES).sort()) {
      const r = loadRolloutSpecs(readFileSync(file, 'utf8'), path.relative(EXAMPLES, file));
      loaded += r.rollouts.length;
      rejectedDocs += r.rejected.length;
      for (const spec of r.rollouts) specs.push([path.relative(EXAMPLES, file), spec.spec]);
      for (const doc of r.rejected) {
        expect(doc.problems.length, `${file}: rejected without a reason`).toBeGreaterThan(0);
        for (const p of doc.problems) {
          expect(UNSUPPORTED, formatTemplateProblem(p)).toContain(p.code);
          expect(p.message).toContain(p.path.split('.').at(-1)?.replace(/\[\d+\]$/, '') ?? '');
          rejected.push(formatTemplateProblem(p));
        }
      }
    }
    const rollouts = yamlFiles(EXAMPLES).reduce((n, f) => n + (readFileSync(f, 'utf8').match(/^kind: Rollout$/gm)?.length ?? 0), 0);
    console.log(`argo-rollouts examples: ${rollouts} Rollouts, ${loaded} loaded, ${rejectedDocs} rejected:\n  ${rejected.join('\n  ')}`);
    expect(loaded).toBeGreaterThan(0);
    expect(loaded + rejectedDocs).toBe(rollouts);
  });

  it('every loaded example runs to Healthy under decide() with passing analyses and promote at each indefinite pause', () => {
    expect(specs.length).toBeGreaterThan(0);
    for (const [file, spec] of specs) {
      const w = new RolloutWorld(spec);
      for (let i = 0; i < 200 && w.status.phase !== 'Healthy'; i++) {
        w.verdict('Successful');
        if (w.status.pause && w.status.pause.until === undefined) w.tick({ verb: 'promote', actor: 'test' });
        else w.advance(60_000);
      }
      expect(w.status.phase, file).toBe('Healthy');
    }
  });
});
