import { Async, Time, useApi } from './ui.tsx';

/** GET /api/v1/services/:name/budget/burndown */
export interface BurndownView {
  service: string;
  slos: Array<{
    slo: string;
    objectivePercent: number;
    period: { from: string; to: string };
    points: Array<{ at: string; requests: number; remainingPct?: number }>;
    errors?: string[];
  }>;
}

type Slo = BurndownView['slos'][number];

/**
 * Budget remaining through the period as a line from the period's start to now, with the bands'
 * 50 % and 20 % lines dashed; stretches without requests leave gaps (no data is not 100 %).
 */
function BurndownChart({ slo }: { slo: Slo }) {
  const measured = slo.points.map((p, i) => ({ i, v: p.remainingPct })).filter((p): p is { i: number; v: number } => p.v !== undefined);
  if (measured.length === 0) return <p className="muted small">No requests in this period yet: nothing to draw{slo.errors ? ` (${slo.errors.join('; ')})` : ''}.</p>;
  const w = 360;
  const h = 140;
  const pad = 34;
  const top = Math.max(100, ...measured.map((p) => p.v));
  const bottom = Math.min(0, ...measured.map((p) => p.v));
  const n = Math.max(slo.points.length, 2);
  const x = (i: number) => pad + (i * (w - pad - 8)) / (n - 1);
  const y = (v: number) => 10 + ((top - v) / (top - bottom || 1)) * (h - 30);
  const last = measured[measured.length - 1]!;
  const label = `${slo.slo}: budget remaining from ${measured[0]!.v} % to ${last.v} % over the period; ${measured.length} of ${slo.points.length} points measured`;
  // One polyline per run of measured points: a gap stays a gap.
  const runs: Array<Array<{ i: number; v: number }>> = [];
  for (const p of measured) {
    const run = runs[runs.length - 1];
    if (run && run[run.length - 1]!.i === p.i - 1) run.push(p);
    else runs.push([p]);
  }
  return (
    <svg className="chart" viewBox={`0 0 ${w} ${h}`} role="img" aria-label={label} data-testid={`burndown-${slo.slo}`}>
      <line x1={pad} x2={w - 8} y1={y(0)} y2={y(0)} className="axis" />
      <text x={pad - 4} y={y(top) + 4} className="tick" textAnchor="end">{top} %</text>
      <text x={pad - 4} y={y(0) + 4} className="tick" textAnchor="end">0 %</text>
      {[50, 20].map((band) => (
        <g key={band}>
          <line x1={pad} x2={w - 8} y1={y(band)} y2={y(band)} className="threshold" />
          <text x={w - 8} y={y(band) - 3} className="tick" textAnchor="end">{band} %</text>
        </g>
      ))}
      {runs.map((run) => <polyline key={run[0]!.i} className="series" points={run.map((p) => `${x(p.i)},${y(p.v)}`).join(' ')} />)}
      <circle cx={x(last.i)} cy={y(last.v)} r={4} className={`dot ${last.v < 20 ? 'bad' : last.v > 50 ? 'good' : 'neutral'}`} />
    </svg>
  );
}

/** The service page's chart card: each SLO's budget remaining over its current period. */
export function BudgetBurndown({ name }: { name: string }) {
  const burndown = useApi<BurndownView>(`/api/v1/services/${encodeURIComponent(name)}/budget/burndown?points=30`);
  return (
    <section className="card" aria-labelledby="burndown-title">
      <h2 id="burndown-title">Budget remaining over the window</h2>
      <Async value={burndown} label="the budget over the window">
        {(b) => b.slos.length === 0 ? <p className="muted">No SLO with an error budget.</p> : (
          <div className="grid">
            {b.slos.map((s) => (
              <figure key={s.slo}>
                <figcaption className="small">
                  <strong>{s.slo}</strong> ({s.objectivePercent} %), <Time iso={s.period.from} /> to <Time iso={s.period.to} />
                </figcaption>
                <BurndownChart slo={s} />
              </figure>
            ))}
          </div>
        )}
      </Async>
    </section>
  );
}
