import type { ReleaseRow, Service } from './api.tsx';
import { budgetText, objectives } from './slo-text.tsx';
import { BudgetCard, HealthCard } from './budget.tsx';
import { Async, Link, ScrollRegion, Time, useApi } from './ui.tsx';

/** One service: its SLO objectives, health, error budget and burn rates, the release gates that apply, and its releases. */
export function ServicePage({ name }: { name: string }) {
  const service = useApi<Service>(`/api/v1/services/${encodeURIComponent(name)}`);
  const releases = useApi<{ releases: ReleaseRow[] }>(`/api/v1/releases?service=${encodeURIComponent(name)}&limit=20`);
  return (
    <>
      <p className="crumbs"><Link to="/">Overview</Link> / {name}</p>
      <Async value={service} label={`service ${name}`}>
        {(s) => (
          <>
            <h1>{s.name}</h1>
            <p>
              {s.description} · <span className="tag">Tier {s.tier} · {s.tierName}</span> · strategy <span className="tag">{s.strategy}</span>
              {s.matchedBy !== s.name ? <> · matched by <code>{s.matchedBy}</code></> : null}
            </p>
            <p className="muted small">Owners: {s.owners.length ? s.owners.join(', ') : 'none listed in the catalog'}</p>
            <section className="card" aria-labelledby="slo-title">
              <h2 id="slo-title">Service level objectives</h2>
              {s.slo.bestEffort ? <p>Best effort: no objective, so no error budget and no SLO gate.</p> : (
                <table>
                  <caption className="sr-only">Objectives over the {s.slo.window} window</caption>
                  <thead><tr><th scope="col">Objective</th><th scope="col">Window</th><th scope="col">Error budget it allows</th></tr></thead>
                  <tbody>
                    {objectives(s.slo).map((text, i) => {
                      const o = [s.slo.availability, s.slo.latency, s.slo.durability, s.slo.completion].filter(Boolean)[i]!;
                      return <tr key={text}><td>{text}</td><td>{s.slo.window}</td><td>{budgetText(o.target, s.slo.window)}</td></tr>;
                    })}
                  </tbody>
                </table>
              )}
            </section>
            <section className="card" aria-labelledby="gates-title">
              <h2 id="gates-title">Release gates that apply</h2>
              <ol className="gates">
                {s.gates.map((g) => (
                  <li key={g.gate} className={g.applies ? '' : 'skipped'}>
                    <strong>{g.gate}</strong> {g.applies ? null : <span className="tag">does not apply</span>}
                    {g.checks.length ? <ul className="small">{g.checks.map((c) => <li key={c}><code>{c}</code></li>)}</ul> : null}
                    {g.note ? <p className="muted small">{g.note}</p> : null}
                  </li>
                ))}
              </ol>
            </section>
            <HealthCard name={s.name} />
            {s.slo.bestEffort ? null : <BudgetCard name={s.name} />}
            <section className="card" aria-labelledby="releases-title">
              <h2 id="releases-title">Release history</h2>
              <p><Link to={`/rollouts/${encodeURIComponent(s.name)}`}>Current rollout, versions and weights</Link></p>
              <Async value={releases} label="releases">
                {({ releases: list }) => list.length === 0 ? <p className="muted">No release of {s.name} has been checked by the gates yet.</p> : (
                  <ScrollRegion label={`Releases of ${s.name}`}>
                    <table data-testid="releases">
                      <caption className="sr-only">Releases of {s.name}, newest first</caption>
                      <thead><tr><th scope="col">Version</th><th scope="col">Environment</th><th scope="col">Gates</th><th scope="col">Checked</th><th scope="col">By</th><th scope="col">Decision</th></tr></thead>
                      <tbody>
                        {list.map((r) => (
                          <tr key={r.id}>
                            <td><code>{r.version}</code></td><td>{r.environment}</td>
                            <td><span className={`tag ${r.allow ? 'good' : 'bad'}`}>{r.allow ? 'allow' : 'deny'}</span></td>
                            <td><Time iso={r.createdAt} /></td><td>{r.createdBy}</td>
                            <td><Link to={`/decisions/${encodeURIComponent(r.decisionId)}`}>{`decision of ${r.version}`}</Link></td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </ScrollRegion>
                )}
              </Async>
            </section>
          </>
        )}
      </Async>
    </>
  );
}
