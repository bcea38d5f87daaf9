import type { Flag, FlagVersion } from './api.tsx';
import { FlagEditor } from './flag-editor.tsx';
import { RolloutBar, StateTag } from './flags.tsx';
import { canEditFlags, useSession } from './session.tsx';
import { Async, Link, Time, json, useApi } from './ui.tsx';

/** One flag: state, kill switch with its evidence, the editors for permitted roles, and history as diffs. */
export function FlagDetail({ flagKey }: { flagKey: string }) {
  const session = useSession();
  const base = `/api/v1/flags/${encodeURIComponent(flagKey)}`;
  const flag = useApi<Flag>(base);
  const history = useApi<{ versions: FlagVersion[] }>(`${base}/history`);
  const changed = () => {
    flag.reload();
    history.reload();
  };
  return (
    <>
      <p className="crumbs"><Link to="/flags">Flags</Link> / {flagKey}</p>
      <h1>{flagKey}</h1>
      <Async value={flag} label={`flag ${flagKey}`}>
        {(f) => (
          <>
            <section className="card" aria-labelledby="flag-state">
              <h2 id="flag-state">State</h2>
              <dl className="facts">
                <dt>State</dt><dd><StateTag state={f.state} killed={Boolean(f.kill)} /></dd>
                <dt>Rollout</dt><dd><RolloutBar percent={f.rolloutPercent} /></dd>
                <dt>Default variant</dt><dd><code>{f.defaultVariant ?? '—'}</code></dd>
                <dt>Variants</dt><dd>{Object.entries(f.variants).map(([k, v]) => <code key={k} className="variant">{k}={json(v)}</code>)}</dd>
                <dt>Version</dt><dd>v{f.version}, <Time iso={f.updatedAt} /> by {f.updatedBy}</dd>
                <dt>Written as</dt><dd>{f.source ? 'featureConfig (the spec’s form)' : 'flagd definition'}</dd>
              </dl>
            </section>
            <KillSwitch flag={f} />
            {canEditFlags(session.roles)
              ? <FlagEditor flag={f} onChanged={changed} />
              : <p className="muted" data-testid="read-only">Your roles ({session.roles.join(', ')}) may read flags; changing them needs deployer or release-captain.</p>}
          </>
        )}
      </Async>
      <section className="card" aria-labelledby="history-title">
        <h2 id="history-title">Change history</h2>
        <Async value={history} label="history">
          {({ versions }) => (
            <ol className="history" reversed>
              {[...versions].sort((a, b) => b.version - a.version).map((v) => (
                <li key={v.version} data-testid={`version-${v.version}`}>
                  <div><strong>v{v.version}</strong> <Time iso={v.time} /> · {v.actor} · “{v.reason}”</div>
                  <table className="diff">
                    <caption className="sr-only">Changes in version {v.version}</caption>
                    <thead><tr><th scope="col">Path</th><th scope="col">Before</th><th scope="col">After</th></tr></thead>
                    <tbody>
                      {v.diff.length === 0 ? <tr><td colSpan={3} className="muted">no change to the definition</td></tr> : v.diff.map((d, i) => (
                        <tr key={`${d.path}-${i}`}>
                          <td><code>{d.path || '(whole flag)'}</code></td>
                          <td>{'from' in d ? <del>{json(d.from)}</del> : <span className="muted">added</span>}</td>
                          <td>{'to' in d ? <ins>{json(d.to)}</ins> : <span className="muted">removed</span>}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </li>
              ))}
            </ol>
          )}
        </Async>
      </section>
    </>
  );
}

function KillSwitch({ flag }: { flag: Flag }) {
  const meta = (flag.definition.metadata ?? {}) as Record<string, unknown>;
  const errorThreshold = typeof meta.killSwitchErrorThreshold === 'number' ? meta.killSwitchErrorThreshold : 0.05;
  const latency = typeof meta.killSwitchLatencyThresholdMs === 'number' ? meta.killSwitchLatencyThresholdMs : 500;
  const kill = flag.kill;
  return (
    <section className={`card ${kill ? 'alert' : ''}`} aria-labelledby="kill-title">
      <h2 id="kill-title">Kill switch</h2>
      {kill ? (
        <>
          <p><span className="tag bad">tripped</span> The flag serves its default variant <code>{flag.defaultVariant}</code>; enabling it again clears the kill.</p>
          <dl className="facts" data-testid="kill-evidence">
            {typeof kill.reason === 'string' ? <><dt>Evidence</dt><dd>{kill.reason}</dd></> : null}
            {kill.trigger !== undefined ? <><dt>Trigger</dt><dd>{String(kill.trigger)}</dd></> : null}
            {typeof kill.value === 'number' ? <><dt>Value</dt><dd>{kill.value}</dd></> : null}
            {typeof kill.threshold === 'number' ? <><dt>Threshold</dt><dd>{kill.threshold}</dd></> : null}
            {typeof kill.samples === 'number' ? <><dt>Samples</dt><dd>{kill.samples}</dd></> : null}
            {typeof kill.at === 'number' || typeof kill.at === 'string' ? <><dt>At</dt><dd><Time iso={kill.at} /></dd></> : null}
          </dl>
        </>
      ) : (
        <p><span className="tag">armed</span> Switches the flag off when the on-path error ratio exceeds {errorThreshold * 100} % or its p95 latency {latency} ms (from reported metrics).</p>
      )}
    </section>
  );
}
