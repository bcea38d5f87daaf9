import { describe, expect, it } from 'vitest';
import type { AnalysisPhase } from '../analysis/phase.js';
import { decide } from './decide.js';
import type { Command, Health } from './observations.js';
import { planOf, weightAt } from './plan.js';
import { restoreEffects } from './resume.js';
import { RolloutWorld } from './scenario-harness.js';
import type { RolloutSpec } from './spec.js';
import type { RolloutStatus } from './status.js';
import { strategyFor, STRATEGY_NAMES } from './strategies.js';
import { createSeededRandom } from '../analysis/statistical/test-support/seeded-random.js';

/** The shared seeded PRNG (mulberry32), so every run and every failing seed reproduce. */
const rng = (seed: number): (() => number) => createSeededRandom(seed).next;

/** One scripted instant: time moves, verdicts land, health flips, commands arrive. */
interface Event { readonly advanceMs: number; readonly verdict?: AnalysisPhase; readonly health: Health; readonly commands: Command[]; readonly speed: number }

function script(seed: number, length: number): Event[] {
  const r = rng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
  const verbs: Command[] = [
    { verb: 'promote', actor: 'p' }, { verb: 'promote', full: true, actor: 'p' }, { verb: 'abort', actor: 'p' }, { verb: 'retry', actor: 'p' },
    { verb: 'pause', actor: 'p' }, { verb: 'resume', actor: 'p' }, { verb: 'undo', actor: 'p' },
  ];
  return Array.from({ length }, () => ({
    advanceMs: pick([0, 1, 1000, 30_000, 60_000, 120_000, 300_000, 700_000]),
    ...(r() < 0.5 ? { verdict: pick<AnalysisPhase>(['Successful', 'Successful', 'Successful', 'Failed', 'Error', 'Inconclusive', 'Running']) } : {}),
    health: r() < 0.03 ? 'Unhealthy' : r() < 0.1 ? 'Unknown' : 'Healthy',
    commands: r() < 0.15 ? [pick(verbs)] : [],
    speed: pick([1, 1, 2, 0.5]),
  }));
}

/**
 * Plays events on a world. At tick `crash` the process dies after persisting the status (as JSON)
 * and after applying only the first `applied` of its effects; the in-process router loses its
 * table. The restart restores from the stored status, then the script goes on.
 */
function play(spec: RolloutSpec, events: readonly Event[], crash = -1, applied = 0): RolloutWorld {
  const w = new RolloutWorld(spec);
  events.forEach((e, i) => {
    w.now += e.advanceMs;
    if (e.verdict) w.verdict(e.verdict);
    w.canaryHealth = e.health;
    w.speedFactor = e.speed;
    if (i !== crash) { w.tick(...e.commands); return; }
    const d = decide(spec, w.status, w.observations(e.commands), w.now);
    for (const effect of d.effects.slice(0, applied)) w.apply(effect);
    w.status = JSON.parse(JSON.stringify(d.status)) as RolloutStatus;
    w.last = d;
    w.traffic = { canary: 0, canaryVersion: '', stableVersion: '' };
    for (const effect of restoreEffects(spec, w.status)) w.apply(effect);
  });
  return w;
}

const SPECS: [string, RolloutSpec][] = STRATEGY_NAMES.map((n) => [n, { strategy: strategyFor(n) }]);
const SEEDS = Array.from({ length: 40 }, (_, i) => i + 1);

describe('property: random observations, commands and times', () => {
  it.each(SPECS)('%s: weights never exceed the step, one promotion at most, Failed/Error → all stable in the same call', (_name, spec) => {
    const plan = planOf(spec);
    const seen = { failing: 0, promoted: 0, aborted: 0 };
    for (const seed of SEEDS) {
      const w = new RolloutWorld(spec);
      let promoted = 0;
      for (const e of script(seed, 60)) {
        w.now += e.advanceMs;
        if (e.verdict) w.verdict(e.verdict);
        w.canaryHealth = e.health;
        w.speedFactor = e.speed;
        const before = w.status;
        const live = !['Healthy', 'Aborted', 'RolledBack', 'Pending'].includes(before.phase);
        const failing = live && before.analysisRuns.some((r) => !r.terminated && (r.phase === 'Running' || r.phase === 'Pending') && ['Failed', 'Error'].includes(w.runs.get(r.ref) ?? ''));
        // Same observations as the tick saw (before its effects were applied), minus the commands it consumed.
        const seenByTick = w.observations();
        const d = w.tickWith({ ...seenByTick, commands: e.commands });
        const s = d.status;
        const again = decide(spec, s, seenByTick, w.now);
        expect(again.effects, `seed ${seed}: decide on its own output emitted effects`).toEqual([]);
        expect(again.status, `seed ${seed}: decide on its own output changed the status`).toEqual(s);
        const cap = s.stepIndex >= plan.steps.length ? 100 : weightAt(plan, s.stepIndex);
        expect(s.weights.canary, `seed ${seed}`).toBeLessThanOrEqual(cap);
        expect(s.weights.canary + s.weights.stable).toBe(100);
        promoted += d.effects.filter((x) => x.type === 'notify' && x.event === 'promoted').length;
        expect(promoted, `seed ${seed}`).toBeLessThanOrEqual(1);
        if (failing) {
          seen.failing++;
          expect(s.phase, `seed ${seed}`).toBe('Aborted');
          expect(d.effects[0], `seed ${seed}`).toMatchObject({ type: 'setWeight', canaryWeight: 0, stableWeight: 100 });
        }
        const keys = w.log.map((x) => x.key);
        expect(new Set(keys).size, `seed ${seed}: duplicate effect key`).toBe(keys.length);
      }
      seen.promoted += promoted;
      seen.aborted += w.log.filter((x) => x.type === 'notify' && x.event === 'aborted').length;
    }
    // The random scripts must actually reach the cases the properties are about.
    expect(seen.promoted).toBeGreaterThan(0);
    expect(seen.aborted).toBeGreaterThan(0);
    if (plan.steps.some((st) => st.kind === 'analysis')) expect(seen.failing).toBeGreaterThan(0);
  });

  it.each(SPECS)('%s: a kill -9 at any tick (status stored, 0–3 effects applied), then restore + continue, ends exactly like the uninterrupted run', (_name, spec) => {
    for (const seed of SEEDS.slice(0, 15)) {
      const events = script(seed * 7, 40);
      const whole = play(spec, events);
      for (let crash = 0; crash < events.length; crash++) {
        const resumed = play(spec, events, crash, (seed + crash) % 4);
        expect(resumed.status, `seed ${seed * 7}, crash after tick ${crash}`).toEqual(whole.status);
        expect(resumed.traffic, `seed ${seed * 7}, crash after tick ${crash}`).toEqual(whole.traffic);
      }
    }
  });
});
