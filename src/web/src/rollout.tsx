import { useCallback, useEffect, useState } from 'react';
import type { AuditPage, RolloutView } from './api.tsx';
import { AnalysisRunCard } from './analysis-chart.tsx';
import { type RolloutEvent, type StreamState, duration, useNow, useRolloutEvents } from './live.tsx';
import { RolloutVerbs } from './rollout-verbs.tsx';
import { Timeline, WeightBar } from './rollout-timeline.tsx';
import { canOperateRollouts, useSession } from './session.tsx';
import { Async, Link, ScrollRegion, Time, useApi } from './ui.tsx';

const terminal = new Set(['Healthy', 'Aborted', 'RolledBack']);
const phaseTag = (phase: string) => (phase === 'Healthy' ? 'good' : phase === 'Aborted' || phase === 'RolledBack' ? 'bad' : '');

function StreamBadge({ state }: { state: StreamState }) {
  const text = { live: 'live', connecting: 'connecting…', reconnecting: 'reconnecting…', closed: 'not live: reload the page' }[state];
  return <span className={`tag ${state === 'live' ? 'good' : ''}`} data-testid="stream">{text}</span>;
}

/** Events heard on the stream since the page opened, newest first. */
function EventLog({ events }: { events: Array<RolloutEvent & { at: number }> }) {
  return (
    <section className="card" aria-labelledby="events-title">
      <h2 id="events-title">Live events</h2>
      <ol className="events small" aria-live="polite" data-testid="events">
        {events.length === 0 ? <li className="muted">None since this page opened.</li> : events.map((e, i) => (
          <li key={`${e.at}-${i}`}><Time iso={e.at} /> <code>{e.type}</code> <Link to={`/rollouts/${encodeURIComponent(e.service)}`}>{e.service}</Link> {e.data.reason ?? ''}</li>
        ))}
      </ol>
    </section>
  );
}

/**
 * One service's current rollout, live: the page refetches on every rollout event of the service
 * (SSE), and while a rollout runs it re-reads its analysis runs every 2 s, because measurements
 * are not events. Elapsed and remaining times tick locally.
 */
export function RolloutPage({ service }: { service: string }) {
  const session = useSession();
  const base = `/api/v1/rollouts/${encodeURIComponent(service)}`;
  const rollout = useApi<RolloutView>(base);
  const history = useApi<{ rollouts: RolloutView[] }>(`${base}/history`);
  const [runVersion, setRunVersion] = useState(0);
  const [events, setEvents] = useState<Array<RolloutEvent & { at: number }>>([]);
  const { reload: reloadRollout } = rollout;
  const { reload: reloadHistory } = history;
  const refresh = useCallback(() => {
    reloadRollout();
    reloadHistory();
    setRunVersion((v) => v + 1);
  }, [reloadRollout, reloadHistory]);
  const stream = useRolloutEvents(service, (e) => {
    setEvents((list) => [{ ...e, at: Date.now() }, ...list].slice(0, 20));
    refresh();
  });
  const running = rollout.status === 'ready' && !terminal.has(rollout.data.status.phase);
  const now = useNow(1000, running);
  useEffect(() => {
    if (!running) return;
    const t = setInterval(() => setRunVersion((v) => v + 1), 2000);
    return () => clearInterval(t);
  }, [running]);

  const none = rollout.status === 'error' && rollout.error.status === 404;
  return (
    <>
      <p className="crumbs"><Link to="/rollouts">Rollouts</Link> / {service}</p>
      <h1>Rollout of {service} <StreamBadge state={stream} /></h1>
      {none ? <p data-testid="no-rollout">No rollout of {service} yet. This page updates by itself when one starts.</p> : (
        <Async value={rollout} label={`the rollout of ${service}`}>
          {(r) => {
            const st = r.status;
            return (
              <>
                <section className="card" aria-labelledby="state-title">
                  <h2 id="state-title">State</h2>
                  <p>
                    <span className={`tag ${phaseTag(st.phase)}`} data-testid="phase">{st.phase}</span>{' '}
                    <span data-testid="message">{st.message}</span>
                  </p>
                  {st.abort ? <p className="bad" data-testid="abort">Aborted by {st.abort.actor} at <Time iso={st.abort.at} />: {st.abort.reason}{st.rollbackVerified === true ? ' — stable verified healthy.' : st.rollbackVerified === false ? ' — stable reported unhealthy!' : ''}</p> : null}
                  <WeightBar stable={st.stable.version} canary={st.canary.version} weights={st.weights} />
                  <dl className="facts">
                    <dt>Rollout</dt><dd><code>{r.id}</code>, attempt {st.attempt}, revision {st.canary.revision}</dd>
                    <dt>Started</dt><dd><Time iso={st.startedAt} /> by {r.createdBy}{running ? ` (${duration(now - st.startedAt)} ago)` : ''}</dd>
                    <dt>Release</dt><dd>{r.release ? <code>{r.release}</code> : '—'}</dd>
                    {st.promotedAt ? <><dt>Promoted</dt><dd><Time iso={st.promotedAt} /></dd></> : null}
                    {st.rollbackWindowUntil && st.previous ? <><dt>Undo window</dt><dd><code>{st.previous.version}</code> stays warm until <Time iso={st.rollbackWindowUntil} /></dd></> : null}
                  </dl>
                </section>
                <section className="card" aria-labelledby="steps-title">
                  <h2 id="steps-title">Traffic progression <span className="tag">{r.spec.strategy.type}</span></h2>
                  <Timeline rollout={r} now={now} />
                </section>
                {canOperateRollouts(session.roles)
                  ? <RolloutVerbs rollout={r} history={history.status === 'ready' ? history.data.rollouts : []} onSent={refresh} />
                  : <p className="muted" data-testid="read-only">Your roles ({session.roles.join(', ')}) may watch rollouts; acting on them needs deployer or release-captain.</p>}
                <h2>Analysis</h2>
                {Object.keys(r.analysisRuns).length === 0 ? <p className="muted">No analysis has started in this rollout yet.</p>
                  : Object.entries(r.analysisRuns).map(([ref, id]) => <AnalysisRunCard key={id} refName={ref} runId={id} version={runVersion} />)}
              </>
            );
          }}
        </Async>
      )}
      <EventLog events={events} />
      <section className="card" aria-labelledby="history-title">
        <h2 id="history-title">History</h2>
        {history.status === 'error' && history.error.status === 404 ? <p className="muted">No rollouts yet.</p> : (
          <Async value={history} label="rollout history">
            {({ rollouts }) => rollouts.length === 0 ? <p className="muted">No rollouts yet.</p> : (
              <ScrollRegion label={`Rollouts of ${service}`}>
                <table>
                  <caption className="sr-only">Rollouts of {service}, newest first</caption>
                  <thead><tr><th scope="col">Revision</th><th scope="col">Version</th><th scope="col">From</th><th scope="col">Phase</th><th scope="col">Started</th><th scope="col">By</th></tr></thead>
                  <tbody>
                    {rollouts.map((h) => (
                      <tr key={h.id}>
                        <td>{h.status.canary.revision}</td><td><code>{h.status.canary.version}</code></td><td><code>{h.status.stable.version}</code></td>
                        <td><span className={`tag ${phaseTag(h.status.phase)}`}>{h.status.phase}</span></td><td><Time iso={h.createdAt} /></td><td>{h.createdBy}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollRegion>
            )}
          </Async>
        )}
      </section>
    </>
  );
}

/** Recent rollouts (from the audit log's `rollout.create` events) and every rollout event, live. */
export function RolloutsPage() {
  const created = useApi<AuditPage>('/api/v1/audit?action=rollout.create&limit=50');
  const [events, setEvents] = useState<Array<RolloutEvent & { at: number }>>([]);
  const stream = useRolloutEvents(null, (e) => {
    setEvents((list) => [{ ...e, at: Date.now() }, ...list].slice(0, 20));
    if (e.type === 'rollout.started') created.reload();
  });
  return (
    <>
      <h1>Rollouts <StreamBadge state={stream} /></h1>
      <section className="card" aria-labelledby="recent-title">
        <h2 id="recent-title">Recent rollouts</h2>
        <Async value={created} label="recent rollouts">
          {({ events: list }) => list.length === 0 ? <p className="muted">No rollout has been started on this server.</p> : (
            <ScrollRegion label={'Rollouts started'}>
              <table>
                <caption className="sr-only">Rollouts started, newest first</caption>
                <thead><tr><th scope="col">Service</th><th scope="col">Version</th><th scope="col">From</th><th scope="col">Started</th><th scope="col">By</th></tr></thead>
                <tbody>
                  {list.map((e) => {
                    const p = (e.payload ?? {}) as { version?: string; stable?: string };
                    return (
                      <tr key={e.id}>
                        <td><Link to={`/rollouts/${encodeURIComponent(e.service ?? '')}`}>{e.service}</Link></td>
                        <td><code>{p.version ?? '?'}</code></td><td><code>{p.stable ?? '?'}</code></td><td><Time iso={e.time} /></td><td>{e.actor}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </ScrollRegion>
          )}
        </Async>
      </section>
      <EventLog events={events} />
    </>
  );
}
