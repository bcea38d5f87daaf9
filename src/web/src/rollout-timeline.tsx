import type { CanaryStep, RolloutView } from './api.tsx';
import { duration } from './live.tsx';

function describe(step: CanaryStep): string {
  switch (step.kind) {
    case 'setWeight': return `Set canary weight to ${step.weight} %`;
    case 'pause': return step.durationMs === undefined ? 'Pause until promoted' : `Pause ${duration(step.durationMs)}`;
    case 'analysis': return `Analysis: ${step.analysis.templates.map((t) => t.templateName.split('/').pop()).join(', ')}`;
    case 'setHeaderRoute': return `Header route ${step.name}`;
    case 'setMirrorRoute': return `Mirror ${step.name}${step.percentage === undefined ? '' : ` ${step.percentage} %`}`;
  }
}

/** A timed pause the budget band made longer than its step says (the spec's extended observation). */
function stretched(step: CanaryStep, pause: { startedAt: number; until?: number } | undefined): boolean {
  return step.kind === 'pause' && step.durationMs !== undefined && pause?.until !== undefined && pause.until - pause.startedAt > step.durationMs * 1.01;
}

/** Stable/canary split as last applied, as a bar with both numbers written out. */
export function WeightBar({ stable, canary, weights }: { stable: string; canary: string; weights: { stable: number; canary: number } }) {
  return (
    <div className="weights" data-testid="weights">
      <div className="weight-bar" role="img" aria-label={`stable ${stable} ${weights.stable} %, canary ${canary} ${weights.canary} %`}>
        <span className="stable" style={{ width: `${weights.stable}%` }} />
        <span className="canary" style={{ width: `${weights.canary}%` }} />
      </div>
      <div className="weight-legend small">
        <span><span className="swatch stable" aria-hidden="true" /> stable <code>{stable}</code> <strong data-testid="stable-weight">{weights.stable} %</strong></span>
        <span><span className="swatch canary" aria-hidden="true" /> canary <code>{canary}</code> <strong data-testid="canary-weight">{weights.canary} %</strong></span>
      </div>
    </div>
  );
}

/**
 * The spec's traffic-progression timeline: each step, done / current / to come, with the current
 * step's elapsed time and, for a timed pause, what remains. Non-canary strategies compile to steps
 * on the server; their stored spec has none, so only the strategy and position are shown.
 */
export function Timeline({ rollout, now }: { rollout: RolloutView; now: number }) {
  const st = rollout.status;
  const steps = rollout.spec.strategy.steps;
  const live = st.phase === 'Progressing' || st.phase === 'Paused' || st.phase === 'Pending';
  const elapsed = now - st.stepStartedAt;
  if (!steps) {
    return <p>Strategy <span className="tag">{rollout.spec.strategy.type}</span>: step {st.stepIndex + 1}{live ? `, ${duration(elapsed)} in it` : ''}.</p>;
  }
  return (
    <ol className="timeline" data-testid="timeline">
      <li className={st.stepIndex === -1 && live ? 'current' : 'done'}>
        <span className="marker" aria-hidden="true">{st.stepIndex === -1 && live ? '▶' : '✓'}</span>
        Start canary <code>{st.canary.version}</code>{st.canaryReady ? ' (healthy)' : st.canaryStarted ? ' (waiting for health)' : ''}
        {st.stepIndex === -1 && live ? <span className="sr-only"> (current step)</span> : null}
      </li>
      {steps.map((step, i) => {
        const current = i === st.stepIndex && live;
        const stoppedHere = i === st.stepIndex && st.phase === 'Aborted';
        const state = i < st.stepIndex ? 'done' : current ? 'current' : stoppedHere ? 'stopped' : 'todo';
        const pauseLeft = current && step.kind === 'pause' && st.pause?.until !== undefined ? st.pause.until - now : undefined;
        return (
          <li key={i} className={state} data-testid={`step-${i}`} aria-current={current ? 'step' : undefined}>
            <span className="marker" aria-hidden="true">{state === 'done' ? '✓' : current ? '▶' : stoppedHere ? '✗' : '○'}</span>
            <span className="step-no">{i + 1}.</span> {describe(step)}
            {stoppedHere ? <strong className="bad"> — aborted at this step</strong> : null}
            {current ? (
              <span className="step-time small">
                {' '}— {duration(elapsed)} elapsed
                {pauseLeft !== undefined ? <>, <strong data-testid="pause-left">{duration(pauseLeft)} left</strong></> : null}
                {stretched(step, st.pause) ? <span data-testid="pause-stretched">{` (lengthened to ${duration(st.pause!.until! - st.pause!.startedAt)}: the error budget is below 50 %)`}</span> : null}
                {step.kind === 'pause' && st.pause && st.pause.until === undefined ? ', waiting for promote' : null}
                {st.hold ? <>, held: {st.hold.message}</> : null}
              </span>
            ) : null}
            {current ? <span className="sr-only"> (current step)</span> : null}
          </li>
        );
      })}
    </ol>
  );
}
