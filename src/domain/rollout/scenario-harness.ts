import type { AnalysisPhase } from '../analysis/phase.js';
import { decide } from './decide.js';
import type { Decision } from './decide.js';
import type { Effect } from './effects.js';
import type { Command, Health, Observations, SyntheticFailure } from './observations.js';
import type { RolloutSpec } from './spec.js';
import type { RolloutStatus } from './status.js';
import { createRolloutStatus } from './status.js';

/**
 * A manual-clock world for scenario tests (pure, in memory): it calls decide(), applies the
 * effects to a fake router and analysis registry, and lets a test script time and verdicts.
 * Used by the tests only; it lives beside them so the property and scenario suites share it.
 */
export class RolloutWorld {
  now: number;
  status: RolloutStatus;
  canaryHealth: Health = 'Healthy';
  stableHealth: Health = 'Healthy';
  speedFactor = 1;
  synthetic: SyntheticFailure[] = [];
  /** Observed run phases by ref, as a metric provider would report them. */
  readonly runs = new Map<string, AnalysisPhase>();
  /** Every effect ever applied, in order. */
  readonly log: Effect[] = [];
  /** Traffic as the router has it: canary weight in percent, and the versions. */
  traffic = { canary: 0, canaryVersion: '', stableVersion: '' };
  running = new Set<string>();
  last: Decision | undefined;

  constructor(readonly spec: RolloutSpec, start = 1_000_000, canary = 'v2', stable = 'v1') {
    this.now = start;
    this.status = createRolloutStatus({ id: 'r1', service: 'api', canary: { version: canary, revision: 2 }, stable: { version: stable, revision: 1 } }, start);
    // No canary upstream until one is set (the router sends a weight-0 "canary" nowhere).
    this.traffic = { canary: 0, canaryVersion: stable, stableVersion: stable };
    this.running.add(stable);
  }

  observations(commands: readonly Command[] = []): Observations {
    return {
      analysis: Object.fromEntries([...this.runs].map(([ref, phase]) => [ref, { phase, message: `run ${phase}` }])),
      canaryHealth: this.canaryHealth, stableHealth: this.stableHealth, syntheticFailures: this.synthetic, commands, speedFactor: this.speedFactor,
    };
  }

  /** One reconcile: decide, then apply every effect. */
  tick(...commands: Command[]): Decision {
    return this.tickWith(this.observations(commands));
  }

  /** One reconcile with observations the test built itself. */
  tickWith(observations: Observations): Decision {
    const d = decide(this.spec, this.status, observations, this.now);
    this.status = d.status;
    for (const e of d.effects) this.apply(e);
    this.last = d;
    return d;
  }

  /** Advances the clock by `ms` in reconciles no further apart than the requeue asks (or `ms`). */
  advance(ms: number): void {
    const end = this.now + ms;
    for (let i = 0; i < 10_000 && this.now < end; i++) {
      const wait = this.last?.requeueAfterMs ?? end - this.now;
      this.now = Math.min(end, this.now + Math.max(1, wait));
      this.tick();
    }
  }

  /** Sets the verdict of every run that has none yet. */
  verdict(phase: AnalysisPhase): void {
    for (const [ref, p] of this.runs) if (p === 'Running' || p === 'Pending') this.runs.set(ref, phase);
  }

  apply(e: Effect): void {
    this.log.push(e);
    switch (e.type) {
      case 'setWeight': this.traffic = { canary: e.canaryWeight, canaryVersion: e.canary.version, stableVersion: e.stable.version }; break;
      case 'startAnalysis': if (!this.runs.has(e.ref)) this.runs.set(e.ref, 'Running'); break;
      case 'terminateAnalysis': if (this.runs.get(e.ref) === 'Running') this.runs.set(e.ref, 'Successful'); break;
      case 'startVersion':
        this.running.add(e.version.version);
        // Blue-green: the preview listener reaches the new version as soon as it runs.
        if (e.previewService && e.version.version !== this.traffic.stableVersion) this.traffic = { ...this.traffic, canaryVersion: e.version.version };
        break;
      case 'stopVersion':
        this.running.delete(e.version.version);
        // As the reconciler does: a stopped canary is no upstream any more.
        if (this.traffic.canaryVersion === e.version.version && this.traffic.stableVersion !== e.version.version) {
          this.traffic = { canary: 0, canaryVersion: this.traffic.stableVersion, stableVersion: this.traffic.stableVersion };
        }
        break;
      default: break;
    }
  }

  effectsOf(type: Effect['type']): Effect[] {
    return this.log.filter((e) => e.type === type);
  }
}
