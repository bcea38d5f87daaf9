import { Fragment, useState } from 'react';
import { ApiError, type CheckResult, type Decision, type Replay, api } from './api.tsx';
import { ReleaseApproval } from './release-approval.tsx';
import { Async, ErrorBox, Link, ScrollRegion, Time, useApi } from './ui.tsx';

const resultTag = (r: CheckResult['result']) => (r === 'pass' ? 'good' : r === 'warn' ? '' : 'bad');

function CheckRow({ c }: { c: CheckResult }) {
  return (
    <tr data-testid={`check-${c.id}`}>
      <td><code>{c.check}</code></td>
      <td><code>{c.value === null ? '—' : String(c.value)}</code></td>
      <td><code>{c.threshold}</code></td>
      <td>
        <span className={`tag ${resultTag(c.result)}`}>{c.result}</span>
        {c.waived ? <div className="small">waived by exception <code>{c.waived.exceptionId}</code> ({c.waived.type}{c.waived.cveIds ? `: ${c.waived.cveIds.join(', ')}` : ''})</div> : null}
        {c.bypassed ? <div className="small">bypassed by emergency override ({c.bypassed.approver}, {c.bypassed.incidentId})</div> : null}
      </td>
      <td className="small">{c.source ?? <span className="bad">no evidence supplied</span>}</td>
      <td className="small">{c.detail}</td>
    </tr>
  );
}

/** Re-evaluates the stored decision from its stored inputs on the server and says whether it came out the same. */
function ReplayButton({ id }: { id: string }) {
  const [state, setState] = useState<{ busy: boolean; result?: Replay; error?: ApiError }>({ busy: false });
  async function replay() {
    setState({ busy: true });
    try {
      setState({ busy: false, result: await api<Replay>(`/api/v1/decisions/${encodeURIComponent(id)}/replay`) });
    } catch (err) {
      setState({ busy: false, error: err instanceof ApiError ? err : new ApiError(0, 'CLIENT', String(err)) });
    }
  }
  return (
    <div>
      <button type="button" onClick={() => void replay()} disabled={state.busy}>{state.busy ? 'Replaying…' : 'Replay decision'}</button>
      <span role="status" data-testid="replay-result">
        {state.result ? (state.result.identical
          ? <span className="ok">Replayed from the stored inputs: identical to the stored decision.</span>
          : <span className="bad">Replayed from the stored inputs: it differs from the stored decision.</span>) : null}
      </span>
      {state.error ? <ErrorBox title="Replay failed" error={state.error} /> : null}
    </div>
  );
}

/** One release decision: the six gates in order with every check, violations, exceptions used, replay. */
export function DecisionPage({ id }: { id: string }) {
  const decision = useApi<Decision>(`/api/v1/decisions/${encodeURIComponent(id)}`);
  return (
    <>
      <p className="crumbs"><Link to="/">Overview</Link> / decision {id}</p>
      <Async value={decision} label={`decision ${id}`}>
        {(d) => (
          <>
            <h1>
              {d.service} {d.version} <span className={`tag ${d.allow ? 'good' : 'bad'}`} data-testid="verdict">{d.allow ? 'allow' : 'deny'}</span>
            </h1>
            <dl className="facts card">
              <dt>Service</dt><dd><Link to={`/services/${encodeURIComponent(d.service)}`}>{d.service}</Link></dd>
              <dt>Decision</dt><dd><code>{d.id}</code>{d.whatIf ? ' (what-if: not recorded as the release’s)' : ''}</dd>
              <dt>Environment</dt><dd>{d.environment}</dd>
              <dt>Decided</dt><dd><Time iso={d.clock.epochMs} /> (gate zone {d.clock.zone})</dd>
              <dt>Audit level</dt><dd>{d.auditLevel}</dd>
              <dt>Policy</dt><dd>{d.policy.name} (<code>{d.policy.file}</code>): {d.policy.allow ? 'allows' : 'denies'}</dd>
              <dt>Change window</dt><dd>{'error' in d.window ? <span className="bad">{d.window.error}</span> : <>{d.window.open ? 'open' : 'closed'}: {d.window.reason}{d.window.nextChange ? <> · next change <Time iso={d.window.nextChange} /></> : null}</>}</dd>
              {d.freezes.length ? <><dt>Freezes</dt><dd>{d.freezes.map((f) => <div key={f.id}>{f.id}: {f.reason} (<Time iso={f.start} /> – <Time iso={f.end} />)</div>)}</dd></> : null}
              {d.overrides.emergency ? <><dt>Emergency</dt><dd>{d.overrides.granted ? 'granted' : 'refused'} · approver {d.overrides.approver ?? '—'} · incident {d.overrides.incidentId ?? '—'}{d.overrides.refusedReasons.length ? ` · ${d.overrides.refusedReasons.join('; ')}` : ''}</dd></> : null}
            </dl>
            <ReplayButton id={d.id} />
            <ReleaseApproval decision={d} />
            <section className="card" aria-labelledby="violations-title">
              <h2 id="violations-title">Violations</h2>
              {d.violations.length === 0 ? <p className="ok">None.</p> : <ul data-testid="violations">{d.violations.map((v) => <li key={v}>{v}</li>)}</ul>}
            </section>
            <section className="card" aria-labelledby="exceptions-title">
              <h2 id="exceptions-title">Exceptions used</h2>
              {d.exceptions.length === 0 ? <p className="muted">None.</p> : (
                <ul>{d.exceptions.map((e) => <li key={e.id}><Link to="/exceptions">{e.id}</Link> ({e.type}) waived {e.checks.map((c) => <code key={c}>{c} </code>)}{e.cveIds?.length ? `CVEs ${e.cveIds.join(', ')}` : ''}</li>)}</ul>
              )}
            </section>
            <h2>Gates, in order</h2>
            <ol className="gate-list" data-testid="gates">
              {d.checks.map((g) => (
                <li key={g.gate} className="card">
                  <h3><span className="gate-name">{g.gate}</span> <span className={`tag ${g.passed ? 'good' : 'bad'}`}>{g.passed ? 'passed' : 'failed'}</span></h3>
                  {g.checks.length === 0 ? <p className="muted">No checks.</p> : (
                    <ScrollRegion label={`Checks of the ${g.gate} gate`}>
                      <table>
                        <caption className="sr-only">Checks of the {g.gate} gate</caption>
                        <thead><tr><th scope="col">Check</th><th scope="col">Value</th><th scope="col">Threshold</th><th scope="col">Result</th><th scope="col">Evidence source</th><th scope="col">Detail</th></tr></thead>
                        <tbody>{g.checks.map((c) => <CheckRow key={c.id} c={c} />)}</tbody>
                      </table>
                    </ScrollRegion>
                  )}
                </li>
              ))}
            </ol>
            <details className="card">
              <summary>Digests (what replay re-checks)</summary>
              <dl className="facts small">{Object.entries(d.digests).map(([k, v]) => <Fragment key={k}><dt>{k}</dt><dd><code>{v}</code></dd></Fragment>)}</dl>
            </details>
          </>
        )}
      </Async>
    </>
  );
}
