import { useState } from 'react';
import { ApiError, type RolloutView, api } from './api.tsx';
import { ErrorBox } from './ui.tsx';

type Verb = 'promote' | 'promote-full' | 'pause' | 'resume' | 'abort' | 'retry' | 'undo';

const labels: Record<Verb, string> = {
  promote: 'Promote', 'promote-full': 'Promote full', pause: 'Pause', resume: 'Resume', abort: 'Abort', retry: 'Retry', undo: 'Undo',
};

const explain: Record<Verb, string> = {
  promote: 'skip the current pause or step',
  'promote-full': 'go to 100 % at once',
  pause: 'hold the rollout where it is',
  resume: 'continue a held rollout',
  abort: 'roll back: all traffic to stable',
  retry: 'restart the aborted rollout from its first step',
  undo: 'go back to the previous version',
};

/** The verbs that mean something in the rollout's phase (the controller ignores the others). */
export function verbsFor(r: RolloutView): Verb[] {
  const st = r.status;
  switch (st.phase) {
    case 'Pending':
    case 'Progressing':
    case 'Paused':
      return ['promote', 'promote-full', st.hold ? 'resume' : 'pause', 'abort'];
    case 'Aborted':
      return ['retry'];
    case 'Healthy':
      return ['undo'];
    case 'RolledBack':
      return [];
  }
}

/**
 * The revisions an undo can go back to, newest first: the rollout's previous version and every
 * version its history has run, except the one serving now.
 */
export function undoTargets(rollout: RolloutView, history: readonly RolloutView[]): Array<{ revision: number; version: string }> {
  const st = rollout.status;
  const seen = new Map<number, string>();
  if (st.previous) seen.set(st.previous.revision, st.previous.version);
  // A rollout's canary revision is the one it created; its stable one is only a label, so canaries win.
  for (const ref of [...history.map((h) => h.status.canary), ...history.map((h) => h.status.stable)]) {
    if (!seen.has(ref.revision)) seen.set(ref.revision, ref.version);
  }
  const serving = new Set([st.stable.version, st.canary.version]);
  return [...seen].map(([revision, version]) => ({ revision, version })).filter((t) => !serving.has(t.version)).sort((a, b) => b.revision - a.revision);
}

/**
 * Buttons for the rollout verbs, rendered only for roles that may use them; each sends
 * `POST /api/v1/rollouts/:service/commands` (CSRF token included) and the server checks again.
 */
export function RolloutVerbs({ rollout, history, onSent }: { rollout: RolloutView; history: readonly RolloutView[]; onSent: () => void }) {
  const [busy, setBusy] = useState<Verb | null>(null);
  const [reason, setReason] = useState('');
  const targets = undoTargets(rollout, history);
  // Until the user picks, the choice follows the rollout: the page may have opened before its promotion set `previous`.
  const [picked, setPicked] = useState<number | undefined>();
  const toRevision = picked !== undefined && targets.some((t) => t.revision === picked) ? picked : rollout.status.previous?.revision ?? targets[0]?.revision;
  const [done, setDone] = useState<string | undefined>();
  const [error, setError] = useState<ApiError | undefined>();
  const verbs = verbsFor(rollout);
  async function send(v: Verb) {
    setBusy(v);
    setError(undefined);
    setDone(undefined);
    const body = v === 'promote-full' ? { verb: 'promote', full: true }
      : v === 'abort' ? { verb: 'abort', ...(reason.trim() ? { reason: reason.trim() } : {}) }
      : v === 'undo' && toRevision !== undefined ? { verb: 'undo', toRevision }
      : { verb: v };
    try {
      await api(`/api/v1/rollouts/${encodeURIComponent(rollout.service)}/commands`, { method: 'POST', body });
      setDone(`${labels[v]} sent; the rollout applies it on its next reconcile.`);
      onSent();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'CLIENT', String(err)));
    } finally {
      setBusy(null);
    }
  }
  return (
    <section className="card" aria-labelledby="verbs-title" data-testid="verbs">
      <h2 id="verbs-title">Actions</h2>
      {verbs.length === 0 ? <p className="muted">No action applies to a {rollout.status.phase} rollout.</p> : (
        <>
          {verbs.includes('abort') ? (
            <div className="inline">
              <label htmlFor="abort-reason">Abort reason <span className="muted">(optional)</span></label>
              <input id="abort-reason" value={reason} onChange={(e) => setReason(e.target.value)} />
            </div>
          ) : null}
          {verbs.includes('undo') && targets.length ? (
            <div className="inline">
              <label htmlFor="undo-revision">Undo to revision</label>
              <select id="undo-revision" value={toRevision ?? ''} onChange={(e) => setPicked(Number(e.target.value))}>
                {targets.map((t) => (
                  <option key={t.revision} value={t.revision}>
                    {`revision ${t.revision}: ${t.version}${t.revision === rollout.status.previous?.revision ? ' (previous)' : ''}`}
                  </option>
                ))}
              </select>
            </div>
          ) : null}
          <div className="verbs">
            {verbs.map((v) => (
              <button key={v} type="button" className={v === 'abort' ? 'danger' : v === 'undo' || v === 'pause' ? 'secondary' : ''}
                disabled={busy !== null} title={explain[v]} aria-describedby={`verb-${v}`} onClick={() => void send(v)}>
                {labels[v]}
              </button>
            ))}
          </div>
          <ul className="small muted verb-help">
            {verbs.map((v) => <li key={v} id={`verb-${v}`}>{labels[v]}: {explain[v]}</li>)}
          </ul>
        </>
      )}
      {done ? <p role="status">{done}</p> : null}
      {error ? <ErrorBox title="The command was refused" error={error} /> : null}
    </section>
  );
}
