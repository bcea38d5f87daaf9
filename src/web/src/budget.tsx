import type { HealthStatus, ServiceBudgetView, ServiceHealthView, SloBudgetView } from './api.tsx';
import { BudgetBurndown } from './budget-chart.tsx';
import { Async, ScrollRegion, Time, useApi } from './ui.tsx';

const bandTag = (band: string | undefined) => (band === 'normal' ? 'good' : band === 'protected' || band === 'exhausted' ? 'bad' : '');
const healthTag = (s: HealthStatus) => (s === 'ok' ? 'good' : s === 'critical' || s === 'warning' ? 'bad' : '');
const pct = (x: number) => `${Math.round(x * 10) / 10} %`;

/** Budget remaining as a bar with the number written out; an overspent budget shows an empty bar and a negative number. */
export function BudgetBar({ remainingPct, band, what }: { remainingPct: number; band?: string | undefined; what: string }) {
  const width = Math.max(0, Math.min(100, remainingPct));
  return (
    <span className="budget">
      <span className={`bar ${band ?? ''}`} role="img" aria-label={`${what}: ${pct(remainingPct)} of the error budget remains${band ? ` (${band})` : ''}`}>
        <span className="fill" style={{ width: `${width}%` }} />
      </span>{' '}
      <strong data-testid="budget-remaining">{pct(remainingPct)}</strong>
      {band ? <> <span className={`tag ${bandTag(band)}`}>{band}</span></> : null}
    </span>
  );
}

export function HealthTag({ status }: { status: HealthStatus }) {
  return <span className={`tag ${healthTag(status)}`} data-testid="health">{status}</span>;
}

// The default multiwindow plan (src/domain/slo/burn-alerts.ts): thresholds follow from the period.
const plan = [
  { severity: 'page', long: '1h', short: '5m', fraction: 0.02 },
  { severity: 'page', long: '6h', short: '30m', fraction: 0.05 },
  { severity: 'ticket', long: '1d', short: '2h', fraction: 0.1 },
  { severity: 'ticket', long: '3d', short: '6h', fraction: 0.1 },
] as const;
const hours: Record<string, number> = { '5m': 1 / 12, '30m': 0.5, '1h': 1, '2h': 2, '6h': 6, '1d': 24, '3d': 72 };

function rateOf(slo: SloBudgetView, window: string): string {
  const b = slo.burn.find((w) => w.window === window);
  if (!b) return '—';
  if (b.rate !== undefined) return `${b.rate}×`;
  return b.state === 'insufficient-data' ? 'too few requests' : 'no data';
}

function SloBudget({ slo }: { slo: SloBudgetView }) {
  const periodHours = (Date.parse(slo.period.to) - Date.parse(slo.period.from)) / 3_600_000;
  return (
    <div className="slo-budget" data-testid={`budget-${slo.slo}`}>
      <h3>{slo.slo} <span className="muted small">objective {slo.objectivePercent} %</span></h3>
      {slo.remainingPct === undefined ? (
        <p className="bad">Not measured ({slo.state}){slo.errors ? `: ${slo.errors.join('; ')}` : ''}. No data is never a pass.</p>
      ) : (
        <>
          <p><BudgetBar remainingPct={slo.remainingPct} band={slo.band} what={slo.slo} /></p>
          <dl className="facts small">
            <dt>Consumed</dt><dd>{pct(slo.consumedPct ?? 0)} of {slo.budgetMinutes} min{slo.remainingMinutes !== undefined ? ` (${slo.remainingMinutes} min left)` : ''}</dd>
            <dt>Window</dt><dd><Time iso={slo.period.from} /> – <Time iso={slo.period.to} /></dd>
            <dt>Exhaustion</dt><dd data-testid="exhaustion">{slo.exhaustion
              ? slo.exhaustion.hours === null ? `never at the ${slo.exhaustion.window} burn rate (${slo.exhaustion.burnRate}×)` : `in ${slo.exhaustion.hours} h at the ${slo.exhaustion.window} burn rate (${slo.exhaustion.burnRate}×)`
              : 'not estimated (no burn rate measured)'}</dd>
          </dl>
        </>
      )}
      <p>Alert: <span className={`tag ${slo.alert === 'page' || slo.alert === 'ticket' ? 'bad' : slo.alert === 'ok' ? 'good' : ''}`} data-testid="alert">{slo.alert}</span></p>
      <ScrollRegion label={`Burn rate of ${slo.slo} per window`}>
        <table className="small">
          <caption className="sr-only">Burn rate of {slo.slo} per window</caption>
          <thead><tr>{slo.burn.map((b) => <th key={b.window} scope="col">{b.window}</th>)}</tr></thead>
          <tbody><tr data-testid="burn-rates">{slo.burn.map((b) => <td key={b.window}>{rateOf(slo, b.window)}</td>)}</tr></tbody>
        </table>
      </ScrollRegion>
      <ScrollRegion label={`Burn-rate alert conditions of ${slo.slo}`}>
        <table className="small">
          <caption className="sr-only">Multiwindow burn-rate alert conditions of {slo.slo}</caption>
          <thead><tr><th scope="col">Alert</th><th scope="col">Fires when both windows burn above</th><th scope="col">Long window</th><th scope="col">Short window</th></tr></thead>
          <tbody>
            {plan.map((c) => (
              <tr key={c.long}>
                <td>{c.severity}</td>
                <td>{Math.round((c.fraction * periodHours / hours[c.long]!) * 100) / 100}×</td>
                <td>{c.long}: {rateOf(slo, c.long)}</td><td>{c.short}: {rateOf(slo, c.short)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollRegion>
    </div>
  );
}

/** The service's error budget per SLO: remaining, consumed, burn per window, alert state, exhaustion. */
export function BudgetCard({ name }: { name: string }) {
  const budget = useApi<ServiceBudgetView>(`/api/v1/services/${encodeURIComponent(name)}/budget`);
  return (
    <>
      <section className="card" aria-labelledby="budget-title">
        <h2 id="budget-title">Error budget and burn rates</h2>
        <Async value={budget} label="the error budget">
          {(b) => (
            <>
              {b.slos.length === 0 ? <p className="muted">No SLO with an error budget.</p> : b.slos.map((s) => <SloBudget key={s.slo} slo={s} />)}
              {b.unmeasured.length ? <ul className="small muted">{b.unmeasured.map((u) => <li key={u.slo}>{u.slo}: {u.reason}</li>)}</ul> : null}
            </>
          )}
        </Async>
      </section>
      <BudgetBurndown name={name} />
    </>
  );
}

/** Health from the key-metrics table: status, every reason, each metric against its bounds. */
export function HealthCard({ name }: { name: string }) {
  const health = useApi<ServiceHealthView>(`/api/v1/services/${encodeURIComponent(name)}/health`);
  return (
    <section className="card" aria-labelledby="health-title">
      <h2 id="health-title">Health</h2>
      <Async value={health} label="service health">
        {(h) => (
          <>
            <p><HealthTag status={h.status} /> <span className="small muted">over the last {h.windowSeconds / 60} min, at <Time iso={h.at} /></span></p>
            {h.reasons.length ? <ul className="small" data-testid="health-reasons">{h.reasons.map((r) => <li key={r}>{r}</li>)}</ul> : <p className="ok small">Every metric is within its bounds.</p>}
          </>
        )}
      </Async>
    </section>
  );
}
