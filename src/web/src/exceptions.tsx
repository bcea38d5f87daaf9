import type { ExceptionList, ExceptionView } from './api.tsx';
import { ExceptionAction, mayApprove, mayDecide, missingRoles } from './exception-actions.tsx';
import { duration, useNow } from './live.tsx';
import { useSession } from './session.tsx';
import { Async, Link, Time, useApi } from './ui.tsx';

type Rules = NonNullable<ExceptionList['types']>;

function Summary({ e }: { e: ExceptionView }) {
  return (
    <>
      <h3>
        <span className="tag">{e.type}</span> <Link to={`/services/${encodeURIComponent(e.service)}`}>{e.service}</Link>
        {e.version ? <> <code>{e.version}</code></> : null} <span className="muted small">{e.id}</span>
      </h3>
      <dl className="facts small">
        <dt>Reason</dt><dd>{e.reason}</dd>
        <dt>Mitigation</dt><dd>{e.mitigation}</dd>
        {e.impact ? <><dt>Impact</dt><dd>{e.impact}</dd></> : null}
        {e.cveIds.length ? <><dt>CVEs</dt><dd>{e.cveIds.join(', ')}</dd></> : null}
        <dt>Requested</dt><dd><Time iso={e.timestamp} /> by {e.requestor}{e.origin === 'emergency' ? ' (emergency override)' : ''}</dd>
        <dt>Audit level</dt><dd>{e.auditLevel}</dd>
        {e.approvals.length ? <><dt>Approved by</dt><dd>{e.approvals.map((a) => <div key={a.person}>{a.person} as {a.role}, <Time iso={a.at} /></div>)}</dd></> : null}
        {e.uses.length ? <><dt>Used by</dt><dd>{e.uses.map((u) => <div key={u.decisionId}><Link to={`/decisions/${encodeURIComponent(u.decisionId)}`}>{u.decisionId}</Link> (<Time iso={u.at} />): {u.checks.join(', ')}</div>)}</dd></> : null}
      </dl>
    </>
  );
}

/** Pending exceptions (approve or deny by role), active ones with time left, and those needing review. */
export function ExceptionsPage() {
  const session = useSession();
  const list = useApi<ExceptionList>('/api/v1/exceptions?limit=500');
  const now = useNow(1000);
  return (
    <>
      <h1>Exceptions</h1>
      <Async value={list} label="exceptions">
        {({ exceptions, types = {} as Rules, adminStandsIn = false }) => {
          const pending = exceptions.filter((e) => e.state === 'pending');
          const active = exceptions.filter((e) => e.state === 'approved' && (e.expiration === null || Date.parse(e.expiration) > now));
          const review = exceptions.filter((e) => e.needsReview);
          return (
            <>
              <section aria-labelledby="pending-title">
                <h2 id="pending-title">Pending <span className="count">({pending.length})</span></h2>
                {pending.length === 0 ? <p className="muted">Nothing waits for approval.</p> : (
                  <ul className="exceptions" data-testid="pending">
                    {pending.map((e) => {
                      const missing = missingRoles(e, types);
                      return (
                        <li key={e.id} className="card" data-testid={`exception-${e.id}`}>
                          <Summary e={e} />
                          <p className="small">Still needs: <strong>{missing.join(' + ') || '—'}</strong> (each by a different person; never the requestor).</p>
                          {mayApprove(e, session, types, adminStandsIn)
                            ? <ExceptionAction e={e} action="approve" label="Approve" onDone={list.reload} />
                            : <p className="muted small" data-testid="cannot-approve">You cannot approve this one: {session.actor === e.requestor ? 'you requested it' : e.approvals.some((a) => a.person === session.actor) ? 'you already approved it' : `it needs ${missing.join(' or ')}; your roles are ${session.roles.join(', ')}`}.</p>}
                          {mayDecide(e, session.roles, types) ? <ExceptionAction e={e} action="deny" label="Deny" field={{ name: 'reason', label: `Reason to deny ${e.id}` }} onDone={list.reload} /> : null}
                        </li>
                      );
                    })}
                  </ul>
                )}
              </section>
              <section aria-labelledby="active-title">
                <h2 id="active-title">Active <span className="count">({active.length})</span></h2>
                {active.length === 0 ? <p className="muted">No exception is in force.</p> : (
                  <ul className="exceptions" data-testid="active">
                    {active.map((e) => (
                      <li key={e.id} className="card" data-testid={`exception-${e.id}`}>
                        <Summary e={e} />
                        <p>
                          {e.expiration
                            ? <><strong data-testid="time-left">{duration(Date.parse(e.expiration) - now)} left</strong> · expires <Time iso={e.expiration} /></>
                            : 'No expiration.'}
                        </p>
                      </li>
                    ))}
                  </ul>
                )}
              </section>
              <section aria-labelledby="review-title">
                <h2 id="review-title">Needing review <span className="count">({review.length})</span></h2>
                {review.length === 0 ? <p className="muted">No used exception waits for its review.</p> : (
                  <ul className="exceptions" data-testid="needs-review">
                    {review.map((e) => (
                      <li key={e.id} className={`card ${e.reviewOverdue ? 'alert' : ''}`}>
                        <Summary e={e} />
                        <p>{e.reviewDue ? <>Review due <Time iso={e.reviewDue} /></> : 'Review due.'} {e.reviewOverdue ? <span className="tag bad">overdue</span> : null}</p>
                        {mayDecide(e, session.roles, types) || session.roles.includes('sre-lead')
                          ? <ExceptionAction e={e} action="review" label="Record review" field={{ name: 'notes', label: `Review notes for ${e.id}` }} onDone={list.reload} />
                          : null}
                      </li>
                    ))}
                  </ul>
                )}
              </section>
            </>
          );
        }}
      </Async>
    </>
  );
}
