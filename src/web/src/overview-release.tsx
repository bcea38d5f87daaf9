import type { AuditPage, ExceptionList, RolloutView } from './api.tsx';
import { WeightBar } from './rollout-timeline.tsx';
import { Async, ErrorBox, Link, useApi } from './ui.tsx';

const terminal = new Set(['Healthy', 'Aborted', 'RolledBack']);

/** One service's current rollout, shown only while it runs. */
function LiveRollout({ service }: { service: string }) {
  const r = useApi<RolloutView>(`/api/v1/rollouts/${encodeURIComponent(service)}`);
  if (r.status === 'loading') return <li className="muted small" role="status">Loading the rollout of {service}…</li>;
  if (r.status === 'error') return <li><ErrorBox title={`Could not load the rollout of ${service}`} error={r.error} /></li>;
  if (terminal.has(r.data.status.phase)) return null;
  const st = r.data.status;
  const steps = r.data.spec.strategy.steps?.length;
  return (
    <li>
      <Link to={`/rollouts/${encodeURIComponent(service)}`}>{service}</Link> <code>{st.canary.version}</code> <span className="tag">{st.phase}</span>
      <span className="small muted"> step {st.stepIndex + 1}{steps ? ` of ${steps}` : ''}</span>
      <WeightBar stable={st.stable.version} canary={st.canary.version} weights={st.weights} />
    </li>
  );
}

/**
 * Rollouts running now: the services with a rollout (from the audit log's `rollout.create`
 * events, newest 50), each read for its current status; finished ones are not listed.
 */
export function ActiveRollouts() {
  const created = useApi<AuditPage>('/api/v1/audit?action=rollout.create&limit=50');
  return (
    <section className="card" aria-labelledby="active-rollouts">
      <h3 id="active-rollouts">Active rollouts</h3>
      <Async value={created} label="rollouts">
        {({ events }) => {
          const services = [...new Set(events.map((e) => e.service).filter((s): s is string => Boolean(s)))];
          return services.length === 0 ? <p className="muted">No rollout has been started on this server.</p> : (
            <>
              <ul className="services" data-testid="active-rollouts">{services.map((s) => <LiveRollout key={s} service={s} />)}</ul>
              <p className="small"><Link to="/rollouts">All rollouts</Link></p>
            </>
          );
        }}
      </Async>
    </section>
  );
}

/** Pending exceptions and those whose review is due. */
export function ExceptionSummary() {
  const list = useApi<ExceptionList>('/api/v1/exceptions?limit=500');
  return (
    <section className="card" aria-labelledby="exception-summary">
      <h3 id="exception-summary">Exceptions</h3>
      <Async value={list} label="exceptions">
        {({ exceptions }) => {
          const pending = exceptions.filter((e) => e.state === 'pending').length;
          const active = exceptions.filter((e) => e.state === 'approved').length;
          const review = exceptions.filter((e) => e.needsReview).length;
          return <p>{pending} pending, {active} active, <span className={review ? 'bad' : ''}>{review} needing review</span>. <Link to="/exceptions">Exceptions</Link></p>;
        }}
      </Async>
    </section>
  );
}
