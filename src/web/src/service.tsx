import type { Service } from './api.tsx';
import { budgetText, objectives } from './slo-text.tsx';
import { Async, Link, NotAvailable, useApi } from './ui.tsx';

/** One service: its SLO objectives with the budget they allow, and the release gates that apply to it. */
export function ServicePage({ name }: { name: string }) {
  const service = useApi<Service>(`/api/v1/services/${encodeURIComponent(name)}`);
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
            <div className="grid">
              <NotAvailable title="Budget remaining and burn rates" what="needs the error-budget capability (budget over the window, burn rates per window and alert states)." />
              <NotAvailable title="Releases and versions" what="release history, current versions and weights arrive with release gates and the rollout controller." />
            </div>
          </>
        )}
      </Async>
    </>
  );
}
