import { type FormEvent, useEffect, useState } from 'react';
import { ApiError, type AuditEvent, type AuditPage, type VerifyReport, api } from './api.tsx';
import { Async, ErrorBox, ScrollRegion, Time, useApi } from './ui.tsx';

interface Filters {
  service: string;
  action: string;
  actor: string;
  since: string;
}

const empty: Filters = { service: '', action: '', actor: '', since: '' };

function query(f: Filters, before?: number): string {
  const q = new URLSearchParams({ limit: '50' });
  if (f.service) q.set('service', f.service);
  if (f.action) q.set('action', f.action);
  if (f.actor) q.set('actor', f.actor);
  // <input type="datetime-local"> is in the user's zone; the API wants an instant.
  if (f.since) q.set('since', new Date(f.since).toISOString());
  if (before) q.set('before', String(before));
  return `/api/v1/audit?${q.toString()}`;
}

/** The audit log, newest first, with filters and paging, and the hash chain's verification. */
export function AuditPageView() {
  const verify = useApi<VerifyReport>('/api/v1/audit/verify');
  const [draft, setDraft] = useState<Filters>(empty);
  const [filters, setFilters] = useState<Filters>(empty);
  const first = useApi<AuditPage>(query(filters));
  const [more, setMore] = useState<AuditEvent[]>([]);
  const [next, setNext] = useState<AuditPage['next']>(null);
  const [moreError, setMoreError] = useState<ApiError | null>(null);

  const firstPage = first.status === 'ready' ? first.data : null;
  useEffect(() => {
    setMore([]);
    setMoreError(null);
    setNext(firstPage ? firstPage.next : null);
  }, [firstPage]);

  async function loadOlder() {
    if (!next) return;
    try {
      const page = await api<AuditPage>(query(filters, next.before));
      setMore((m) => [...m, ...page.events]);
      setNext(page.next);
    } catch (err) {
      setMoreError(err instanceof ApiError ? err : new ApiError(0, 'CLIENT', String(err)));
    }
  }

  function apply(e: FormEvent) {
    e.preventDefault();
    setFilters(draft);
  }

  return (
    <>
      <h1>Audit log</h1>
      <section className="card" aria-labelledby="chain-title">
        <h2 id="chain-title">Hash chain</h2>
        <Async value={verify} label="chain verification">
          {(r) => r.ok
            ? <p data-testid="chain-status"><span className="tag good">chain intact</span> {r.checked} events checked{r.head ? <>, head #{r.head.seq} <code className="small">{r.head.hash.slice(0, 16)}…</code></> : null}</p>
            : <p data-testid="chain-status" role="alert"><span className="tag bad">chain broken</span> {r.problem?.message ?? 'verification failed'} (after {r.checked} events)</p>}
        </Async>
      </section>
      <form className="card filters" onSubmit={apply} aria-label="Filter the audit log">
        <div><label htmlFor="f-service">Service</label><input id="f-service" value={draft.service} onChange={(e) => setDraft({ ...draft, service: e.target.value })} /></div>
        <div><label htmlFor="f-action">Action</label><input id="f-action" placeholder="flag.update" value={draft.action} onChange={(e) => setDraft({ ...draft, action: e.target.value })} /></div>
        <div><label htmlFor="f-actor">Actor</label><input id="f-actor" placeholder="token:alice" value={draft.actor} onChange={(e) => setDraft({ ...draft, actor: e.target.value })} /></div>
        <div><label htmlFor="f-since">Since (your time)</label><input id="f-since" type="datetime-local" value={draft.since} onChange={(e) => setDraft({ ...draft, since: e.target.value })} /></div>
        <div className="filter-buttons">
          <button type="submit">Apply filters</button>
          <button type="button" className="secondary" onClick={() => { setDraft(empty); setFilters(empty); }}>Clear</button>
        </div>
      </form>
      <Async value={first} label="audit events">
        {(page) => {
          const events = [...page.events, ...more];
          return events.length === 0 ? <p>No events match these filters.</p> : (
            <>
              <ScrollRegion label="Audit events">
                <table className="audit">
                  <thead><tr><th scope="col">#</th><th scope="col">Time</th><th scope="col">Actor</th><th scope="col">Action</th><th scope="col">Subject</th><th scope="col">Payload</th></tr></thead>
                  <tbody>
                    {events.map((e) => (
                      <tr key={e.seq}>
                        <td>{e.seq}</td>
                        <td><Time iso={e.time} /></td>
                        <td>{e.actor}</td>
                        <td><code>{e.action}</code></td>
                        <td>{e.subjectKind}/{e.subjectId}{e.service ? <span className="muted small"> ({e.service})</span> : null}</td>
                        <td><details><summary>payload</summary><pre>{JSON.stringify(e.payload, null, 2)}</pre></details></td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollRegion>
              {next ? <button type="button" className="secondary" onClick={() => void loadOlder()}>Load older events</button> : <p className="muted small">End of the log.</p>}
              {moreError ? <ErrorBox title="Could not load older events" error={moreError} /> : null}
            </>
          );
        }}
      </Async>
    </>
  );
}
