import type { Flag } from './api.tsx';
import { Async, Link, ScrollRegion, Time, useApi } from './ui.tsx';

/** Every flag with its state, rollout share and kill switch, newest change last. */
export function FlagsPage() {
  const flags = useApi<{ flags: Flag[] }>('/api/v1/flags');
  return (
    <>
      <h1>Flags</h1>
      <Async value={flags} label="flags">
        {({ flags: list }) => list.length === 0 ? <p>No flags yet. Create one with <code>rampart flags set</code>.</p> : (
          <ScrollRegion label="Flags table">
            <table>
              <thead>
                <tr>
                  <th scope="col">Flag</th><th scope="col">State</th><th scope="col">Rollout</th>
                  <th scope="col">Default</th><th scope="col">Kill switch</th><th scope="col">Version</th><th scope="col">Changed</th>
                </tr>
              </thead>
              <tbody>
                {list.map((f) => (
                  <tr key={f.key}>
                    <td><Link to={`/flags/${encodeURIComponent(f.key)}`}>{f.key}</Link></td>
                    <td><StateTag state={f.state} killed={Boolean(f.kill)} /></td>
                    <td><RolloutBar percent={f.rolloutPercent} /></td>
                    <td><code>{f.defaultVariant ?? '—'}</code></td>
                    <td>{f.kill ? <span className="tag bad">tripped</span> : <span className="tag">armed</span>}</td>
                    <td>v{f.version}</td>
                    <td><Time iso={f.updatedAt} /> <span className="muted small">by {f.updatedBy}</span></td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollRegion>
        )}
      </Async>
    </>
  );
}

/** The flag's state; a killed flag is enabled on paper but serves its default variant, and says so. */
export function StateTag({ state, killed = false }: { state: string; killed?: boolean }) {
  if (killed && state === 'ENABLED') return <span className="tag bad" title="enabled, but the kill switch tripped: it serves its default variant">killed</span>;
  return <span className={`tag ${state === 'ENABLED' ? 'good' : 'off'}`}>{state.toLowerCase()}</span>;
}

/** A percentage bar with its number; "—" when the targeting is not a plain percentage rollout. */
export function RolloutBar({ percent }: { percent: number | null }) {
  if (percent === null) return <span className="muted" title="targeting is not a plain percentage rollout">—</span>;
  return (
    <span className="rollout">
      <span className="bar" role="img" aria-label={`${percent} % rollout`}><span className="fill" style={{ width: `${percent}%` }} /></span>
      <span data-testid="rollout-percent">{percent} %</span>
    </span>
  );
}
