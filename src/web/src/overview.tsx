import type { Flag, Service, ServiceBudgetView, ServiceHealthView } from './api.tsx';
import { BudgetBar, HealthTag } from './budget.tsx';
import { ActiveRollouts, ExceptionSummary } from './overview-release.tsx';
import { BudgetSummary, ChangeWindowsCard, PendingApprovalsCard } from './overview-status.tsx';
import { objectives } from './slo-text.tsx';
import { Async, ErrorBox, Link, useApi } from './ui.tsx';

const tierTitles: Record<number, string> = { 1: 'Tier 1 · critical path', 2: 'Tier 2 · supporting', 3: 'Tier 3 · internal' };

function byService<T extends { service: string }>(list: T[] | undefined): Map<string, T> | undefined {
  return list && new Map(list.map((x) => [x.service, x]));
}

/** A row's health and budget, once their lists have loaded (families such as worker-* have neither). */
function RowStatus({ s, health, budgets }: { s: Service; health: Map<string, ServiceHealthView> | undefined; budgets: Map<string, ServiceBudgetView> | undefined }) {
  const h = health?.get(s.name);
  const b = budgets?.get(s.name);
  if (s.name.includes('*')) return <div className="small muted row-status">a family: health and budget are per member service</div>;
  return (
    <div className="small row-status">
      {h ? <span title={h.reasons.join('\n')}>health <HealthTag status={h.status} /></span> : null}
      {b && !s.slo.bestEffort ? (b.remainingPct !== undefined
        ? <span>budget <BudgetBar remainingPct={b.remainingPct} band={b.band} what={s.name} /></span>
        : <span className="muted" data-testid="budget-unmeasured">budget not measured</span>) : null}
    </div>
  );
}

/** Services by tier with health and budget, the release path (budgets, rollouts, windows and freezes, approvals, exceptions) and flags. */
export function Overview() {
  const services = useApi<{ services: Service[] }>('/api/v1/services');
  const flags = useApi<{ flags: Flag[] }>('/api/v1/flags');
  // Health and budgets are computed per service on the server: asked for once the catalog is on
  // screen, so a large catalog's rows are not held back by them.
  const listed = services.status === 'ready';
  const health = useApi<{ services: ServiceHealthView[] }>(listed ? '/api/v1/service-health' : null);
  const budgets = useApi<{ budgets: ServiceBudgetView[] }>(listed ? '/api/v1/budgets' : null);
  const healthMap = byService(health.status === 'ready' ? health.data.services : undefined);
  const budgetMap = byService(budgets.status === 'ready' ? budgets.data.budgets : undefined);
  return (
    <>
      <h1>Overview</h1>
      {health.status === 'error' ? <ErrorBox title="Could not load service health" error={health.error} /> : null}
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
                          </div>
                          <RowStatus s={s} health={healthMap} budgets={budgetMap} />
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
        <BudgetSummary budgets={budgets} bestEffort={new Set(services.status === 'ready' ? services.data.services.filter((s) => s.slo.bestEffort).map((s) => s.name) : [])} />
        <ActiveRollouts />
        <ChangeWindowsCard />
        <PendingApprovalsCard />
        <ExceptionSummary />
      </div>
    </>
  );
}
