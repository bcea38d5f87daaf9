import { useEffect } from 'react';
import type { AnalysisRun, Measurement, MetricResult } from './api.tsx';
import { Async, ScrollRegion, Time, useApi } from './ui.tsx';

/** A stored measurement value as a number to chart: a scalar, or the first element of a vector. */
export function numericValue(value: unknown): number | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (Array.isArray(value) && value.length > 0) return numericValue(value[0]);
  return undefined;
}

/** A stored value as text (non-finite numbers are stored as `{"$float": "NaN"}`). */
export function valueText(value: unknown): string {
  if (value === undefined) return '—';
  if (value && typeof value === 'object' && !Array.isArray(value) && '$float' in value) return String((value as { $float: string }).$float);
  if (Array.isArray(value)) return `[${value.map(valueText).join(', ')}]`;
  return typeof value === 'number' ? String(Number(value.toPrecision(6))) : JSON.stringify(value);
}

/**
 * The number a condition compares against (`result < 0.05`, `result[0] <= 0.02`) when it makes
 * exactly one comparison with a literal; a compound condition draws no line rather than a wrong one.
 */
export function thresholdOf(condition: string | undefined): number | undefined {
  const found = condition ? [...condition.matchAll(/(?:<=|>=|<|>|==)\s*(-?\d+(?:\.\d+)?(?:e-?\d+)?)/gi)] : [];
  return found.length === 1 ? Number(found[0]![1]) : undefined;
}

const phaseClass = (phase: string) => (phase === 'Successful' ? 'good' : phase === 'Failed' || phase === 'Error' ? 'bad' : 'neutral');

/** Each measurement as a dot against the condition's threshold (dashed): small, inline, no library. */
function MetricChart({ metric }: { metric: MetricResult }) {
  const condition = metric.measurements.find((m) => m.condition)?.condition;
  const conditionText = condition?.success ?? condition?.failure;
  const threshold = thresholdOf(conditionText);
  const points = metric.measurements.map((m, i) => ({ i, v: numericValue(m.value), phase: m.phase })).filter((p): p is { i: number; v: number; phase: string } => p.v !== undefined);
  if (points.length === 0) return <p className="muted small">No numeric value to chart yet.</p>;
  const w = 320;
  const h = 120;
  const pad = 28;
  const max = Math.max(...points.map((p) => p.v), threshold ?? 0) * 1.15 || 1;
  const n = Math.max(metric.measurements.length, 2);
  const x = (i: number) => pad + (i * (w - pad - 8)) / (n - 1);
  const y = (v: number) => h - 16 - (v / max) * (h - 28);
  const label = `${metric.name}: ${points.map((p) => `${valueText(p.v)} (${p.phase})`).join(', ')}${threshold !== undefined ? `; threshold ${threshold} from ${conditionText}` : ''}`;
  return (
    <svg className="chart" viewBox={`0 0 ${w} ${h}`} role="img" aria-label={label} data-testid={`chart-${metric.name}`}>
      <line x1={pad} x2={w - 8} y1={h - 16} y2={h - 16} className="axis" />
      <text x={pad - 4} y={h - 14} className="tick" textAnchor="end">0</text>
      <text x={pad - 4} y={16} className="tick" textAnchor="end">{Number(max.toPrecision(2))}</text>
      {threshold !== undefined ? (
        <>
          <line x1={pad} x2={w - 8} y1={y(threshold)} y2={y(threshold)} className="threshold" />
          <text x={w - 8} y={y(threshold) - 3} className="tick" textAnchor="end">threshold {threshold}</text>
        </>
      ) : null}
      <polyline className="series" points={points.map((p) => `${x(p.i)},${y(p.v)}`).join(' ')} />
      {points.map((p) => <circle key={p.i} cx={x(p.i)} cy={y(p.v)} r={4} className={`dot ${phaseClass(p.phase)}`} />)}
    </svg>
  );
}

function explanation(m: Measurement): string {
  const parts = [m.message];
  const cond = m.condition?.success ? `success when ${m.condition.success}` : m.condition?.failure ? `failure when ${m.condition.failure}` : '';
  if (cond) parts.push(cond);
  if (m.window) parts.push(`over ${m.window}`);
  if (m.sampleCount !== undefined) parts.push(`${m.sampleCount} sample(s)`);
  if (m.requestCount !== undefined) parts.push(`${m.requestCount} request(s)`);
  return parts.filter(Boolean).join('; ');
}

/** One analysis run of a rollout: each metric charted, then every measurement with its explanation. */
export function AnalysisRunCard({ refName, runId, version }: { refName: string; runId: string; version: number }) {
  const run = useApi<AnalysisRun>(`/api/v1/analysis-runs/${encodeURIComponent(runId)}`);
  const { reload } = run;
  useEffect(() => {
    if (version > 0) reload();
  }, [version, reload]);
  return (
    <section className="card" aria-label={`Analysis ${refName}`} data-testid={`analysis-${refName}`}>
      <h3>Analysis <code>{refName}</code> <span className="muted small">run {runId}</span></h3>
      <Async value={run} label={`analysis run ${runId}`}>
        {(r) => (
          <>
            <p>
              <span className={`tag ${phaseClass(r.state.phase)}`} data-testid="run-phase">{r.state.phase}</span>{' '}
              {r.state.summary ?? r.state.message}
            </p>
            {r.state.results.length === 0 ? <p className="muted">No measurement taken yet.</p> : r.state.results.map((metric) => (
              <div key={metric.name} className="metric">
                <h4>
                  {metric.name} <span className={`tag ${phaseClass(metric.phase)}`}>{metric.phase}</span>
                  <span className="muted small"> {metric.counters.successful} successful, {metric.counters.failed} failed, {metric.counters.inconclusive} inconclusive, {metric.counters.error} error{metric.dryRun ? ' (dry run)' : ''}</span>
                </h4>
                <MetricChart metric={metric} />
                <ScrollRegion label={`Measurements of ${metric.name}`}>
                  <table className="measurements">
                    <caption className="sr-only">Measurements of {metric.name}</caption>
                    <thead><tr><th scope="col">#</th><th scope="col">Taken</th><th scope="col">Value</th><th scope="col">Result</th><th scope="col">Explanation</th></tr></thead>
                    <tbody>
                      {metric.measurements.map((m, i) => (
                        <tr key={i} className={`measurement ${phaseClass(m.phase)}`}>
                          <td>{i + 1}</td>
                          <td><Time iso={m.finishedAt ?? m.startedAt} /></td>
                          <td><code>{valueText(m.value)}</code></td>
                          <td><span className={`tag ${phaseClass(m.phase)}`}>{m.phase}</span></td>
                          <td className="small">{explanation(m)}{m.query ? <><br /><code className="query">{m.query}</code></> : null}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </ScrollRegion>
              </div>
            ))}
          </>
        )}
      </Async>
    </section>
  );
}
