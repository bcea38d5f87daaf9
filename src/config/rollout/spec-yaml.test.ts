import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { strategyFor } from '../../domain/rollout/strategies.js';
import { loadRolloutSpecs } from './load-rollout.js';

const SPEC = path.resolve(process.cwd(), '../shared/spec/release-reliability-framework.md');
const present = existsSync(SPEC);
if (!present && process.env.CI === 'true') throw new Error(`spec missing at ${SPEC}`);

/** The spec's YAML blocks that hold a `strategy:`, in order. */
function strategyBlocks(): string[] {
  const text = readFileSync(SPEC, 'utf8');
  return [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1] ?? '').filter((b) => /^strategy:/m.test(b));
}

describe.skipIf(!present)(`the spec's strategy YAML loads as it is${present ? '' : ` (skipped: ${SPEC} is missing)`}`, () => {
  it('finds the three strategy blocks', () => {
    expect(strategyBlocks()).toHaveLength(3);
  });

  it.each([
    [0, 'progressive-canary'],
    [1, 'standard-canary'],
  ] as const)('block %i is exactly strategyFor(%s)', (i, name) => {
    const r = loadRolloutSpecs(strategyBlocks()[i] ?? '', 'spec.md');
    expect(r.ok, JSON.stringify(r.problems)).toBe(true);
    expect(r.rollouts[0]?.spec.strategy).toEqual(strategyFor(name));
  });

  it('the tier-1 block\'s background failureLimit/successCondition load with a warning that says where they belong', () => {
    const r = loadRolloutSpecs(strategyBlocks()[0] ?? '', 'spec.md');
    expect(r.problems.map((p) => [p.code, p.path])).toEqual([
      ['FIELD_IGNORED', 'strategy.canary.analysis.failureLimit'],
      ['FIELD_IGNORED', 'strategy.canary.analysis.successCondition'],
      ['ANALYSIS_EMPTY', 'strategy.canary.analysis'],
    ]);
  });

  it('the blue-green block is exactly strategyFor(blue-green, api)', () => {
    const r = loadRolloutSpecs(strategyBlocks()[2] ?? '', 'spec.md');
    expect(r.problems).toEqual([]);
    expect(r.rollouts[0]?.spec.strategy).toEqual(strategyFor('blue-green', 'api'));
  });
});
