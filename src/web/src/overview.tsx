import type { Flag, Service } from './api.tsx';
import { ActiveRollouts, ExceptionSummary } from './overview-release.tsx';
import { objectives } from './slo-text.tsx';
import { Async, Link, NotAvailable, useApi } from './ui.tsx';

const tierTitles: Record<number, string> = { 1: 'Tier 1 · critical path', 2: 'Tier 2 · supporting', 3: 'Tier 3 · internal' };

/** Services by tier from the catalog, plus what the server can tell today; the rest says it is not available yet. */
export function Overview() {
  const services = useApi<{ services: Service[] }>('/api/v1/services');
  const flags = useApi<{ flags: Flag[] }>('/api/v1/flags');
  return (
    <>
      <h1>Overview</h1>
      <Async value={services} label="services">
        {({ services: list }) => (
          <div className="tiers">
            {([1, 2, 3] as const).map((tier) => {
              const inTier = list.filter((s) => s.tier === tier);
              return (
                <section key={tier} className="card tier" aria-labelledby={`tier-${tier}`}>
                  <h2 id={`tier-${tier}`}>{tierTitles[tier]} <span className="count">({inTier.length})</span></h2>
                  {inTier.length === 0 ? <p className="muted">No services in this tier.</p> : (
                    <ul className="services" data-testid={`tier-${tier}`}>
                      {inTier.map((s) => (
                        <li key={s.name}>
                          <Link to={`/services/${encodeURIComponent(s.name)}`}>{s.name}</Link>
                          <span className="muted"> — {s.description}</span>
                          <div className="small">
                            <span className="tag">{s.strategy}</span>{' '}
                            {s.slo.bestEffort ? <span className="tag">best effort</span> : objectives(s.slo).join(' · ')}
                            {' '}<span className="muted">health: not available yet</span>
                          </div>
                        </li>
                      ))}
                    </ul>
                  )}
                </section>
              );
            })}
          </div>
        )}
      </Async>
      <h2>Flags</h2>
      <Async value={flags} label="flags">
        {({ flags: all }) => (
          <section className="card" aria-label="Flag summary">
            <p>
              {all.length} flags: {all.filter((f) => f.state === 'ENABLED' && !f.kill).length} enabled,{' '}
              {all.filter((f) => f.state !== 'ENABLED').length} disabled,{' '}
              <span className={all.some((f) => f.kill) ? 'bad' : ''}>{all.filter((f) => f.kill).length} stopped by their kill switch</span>.{' '}
              <Link to="/flags">All flags</Link>
            </p>
          </section>
        )}
      </Async>
      <h2>Release path</h2>
      <div className="grid">
        <NotAvailable title="Error budgets" what="budget remaining per service needs the error-budget capability, which this server does not run yet." />
        <ActiveRollouts />
        <NotAvailable title="Change windows and freezes" what="change windows, the next change and active freezes are not served by the API yet." />
        <ExceptionSummary />
      </div>
    </>
  );
}
