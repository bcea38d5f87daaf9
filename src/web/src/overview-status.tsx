import type { ChangeWindows, PendingApproval, ServiceBudgetView } from './api.tsx';
import { BudgetBar } from './budget.tsx';
import { type Loadable, Async, Link, Time, useApi } from './ui.tsx';

/** Open or closed now with the reason and the next change; each window's next opening or closing; freezes in force and to come. */
export function ChangeWindowsCard() {
  const w = useApi<ChangeWindows>('/api/v1/windows');
  return (
    <section className="card" aria-labelledby="windows-title">
      <h3 id="windows-title">Change windows and freezes</h3>
      <Async value={w} label="change windows">
        {(cw) => {
          const inForce = cw.freezes.filter((f) => f.state === 'in-force');
          const upcoming = cw.freezes.filter((f) => f.state === 'upcoming');
          return (
            <>
              <p data-testid="window-now">
                <span className={`tag ${cw.open ? 'good' : 'bad'}`}>{cw.open ? 'open' : 'closed'}</span> now: {cw.reason}.
                {cw.nextChange ? <> {cw.open ? 'Closes' : 'Opens'} <Time iso={cw.nextChange} />.</> : ' No change within a year.'}
              </p>
              <ul className="small" data-testid="windows">
                {cw.windows.map((x) => (
                  <li key={x.name}>
                    <code>{x.name}</code> ({x.kind}, <code>{x.schedule}</code> for {x.duration}, {x.timeZone}):{' '}
                    {x.activeNow
                      ? <>active{x.closesAt ? <>, ends <Time iso={x.closesAt} /></> : ', without end'}</>
                      : <>inactive{x.opensAt ? <>, next starts <Time iso={x.opensAt} /></> : ', never starts again'}</>}
                  </li>
                ))}
              </ul>
              <p className="small muted">Windows from {cw.source}.</p>
              <h4>Freezes</h4>
              {inForce.length === 0 ? <p className="small" data-testid="freezes-active">No freeze in force.</p> : (
                <ul className="small bad" data-testid="freezes-active">
                  {inForce.map((f) => <li key={f.id}><strong>{f.id}</strong>: {f.reason} (until <Time iso={f.end} />{scope(f)})</li>)}
                </ul>
              )}
              {upcoming.length ? <ul className="small">{upcoming.map((f) => <li key={f.id}>{f.id}: {f.reason}, from <Time iso={f.start} /> to <Time iso={f.end} />{scope(f)}</li>)}</ul> : null}
              <p className="small muted">Freezes from {cw.freezesSource}.</p>
            </>
          );
        }}
      </Async>
    </section>
  );
}

function scope(f: ChangeWindows['freezes'][number]): string {
  if (f.services.length === 0 && f.tiers.length === 0) return '; every service';
  return `; ${[...f.services, ...f.tiers.map((t) => `tier ${t}`)].join(', ')}`;
}

/** Releases whose decision waits for a release captain, each linked to its decision (where the captain approves). */
export function PendingApprovalsCard() {
  const list = useApi<{ pending: PendingApproval[]; scanned: number }>('/api/v1/approvals/pending');
  return (
    <section className="card" aria-labelledby="approvals-title">
      <h3 id="approvals-title">Pending approvals</h3>
      <Async value={list} label="pending approvals">
        {({ pending, scanned }) => pending.length === 0 ? <p data-testid="approvals">No release waits for a release captain (newest {scanned} releases).</p> : (
          <ul className="services" data-testid="approvals">
            {pending.map((p) => (
              <li key={p.releaseId}>
                <Link to={`/decisions/${encodeURIComponent(p.decisionId)}`}>{`${p.service} ${p.version}`}</Link>{' '}
                <span className="small muted">{p.environment}, by {p.createdBy}, <Time iso={p.createdAt} /></span>
                {p.otherFailures.length ? (
                  <div className="small">
                    also failing {p.otherFailures.length === 1 ? '1 other check' : `${p.otherFailures.length} other checks`}:{' '}
                    {p.otherFailures.slice(0, 3).map((c) => <code key={c}>{c} </code>)}{p.otherFailures.length > 3 ? '…' : ''}
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </Async>
    </section>
  );
}

/** The services with the least budget left, and why the others have no number. */
export function BudgetSummary({ budgets: list, bestEffort }: { budgets: Loadable<{ budgets: ServiceBudgetView[] }>; bestEffort: ReadonlySet<string> }) {
  return (
    <section className="card" aria-labelledby="budgets-title">
      <h3 id="budgets-title">Error budgets</h3>
      <Async value={list} label="error budgets">
        {({ budgets }) => {
          // Best-effort services have no objective and so no budget: they are not counted.
          const all = budgets.filter((b) => !bestEffort.has(b.service));
          const measured = all.filter((b) => b.remainingPct !== undefined).sort((a, b) => a.remainingPct! - b.remainingPct!);
          const errors = [...new Set(all.flatMap((b) => b.slos.flatMap((s) => s.errors ?? [])))];
          return (
            <>
              <p data-testid="budgets-measured">{measured.length} of {all.length} services with an objective measured.</p>
              {measured.length ? (
                <ul className="services" data-testid="lowest-budgets">
                  {measured.slice(0, 5).map((b) => (
                    <li key={b.service}><Link to={`/services/${encodeURIComponent(b.service)}`}>{b.service}</Link> <BudgetBar remainingPct={b.remainingPct!} band={b.band} what={b.service} /></li>
                  ))}
                </ul>
              ) : null}
              {errors.length ? <ul className="small bad" data-testid="budget-errors">{errors.slice(0, 3).map((e) => <li key={e}>{e}</li>)}</ul> : null}
            </>
          );
        }}
      </Async>
    </section>
  );
}
