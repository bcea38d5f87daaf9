import { type FormEvent, useState } from 'react';
import { ApiError, type Flag, api } from './api.tsx';
import { ErrorBox } from './ui.tsx';

type Outcome = { kind: 'ok'; text: string } | { kind: 'error'; title: string; error: ApiError } | null;

/**
 * The changes a deployer may make: enable/disable, the rollout percentage of a featureConfig flag,
 * and the flagd definition (targeting) as JSON. The server validates every change; a refusal is
 * shown with its message and nothing is saved.
 */
export function FlagEditor({ flag, onChanged }: { flag: Flag; onChanged: () => void }) {
  const path = `/api/v1/flags/${encodeURIComponent(flag.key)}`;
  const rollout = (flag.source?.rollout ?? null) as { percentage?: number } | null;
  const [reason, setReason] = useState('');
  const [percent, setPercent] = useState(String(rollout?.percentage ?? flag.rolloutPercent ?? 0));
  const [text, setText] = useState(() => JSON.stringify(flag.definition, null, 2));
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>(null);

  async function run(title: string, call: () => Promise<Flag>) {
    setBusy(true);
    setOutcome(null);
    try {
      const f = await call();
      setOutcome({ kind: 'ok', text: `${title}: saved as version ${f.version}.` });
      setText(JSON.stringify(f.definition, null, 2));
      onChanged();
    } catch (err) {
      setOutcome({ kind: 'error', title: `${title} was refused`, error: err instanceof ApiError ? err : new ApiError(0, 'CLIENT', String(err)) });
    } finally {
      setBusy(false);
    }
  }

  function saveRollout(e: FormEvent) {
    e.preventDefault();
    const percentage = Number(percent);
    const featureConfig = { ...flag.source, rollout: { type: 'percentage', sticky: true, ...rollout, percentage } };
    void run('Rollout change', () => api<Flag>(path, { method: 'PUT', body: { featureConfig, reason } }));
  }

  function saveDefinition(e: FormEvent) {
    e.preventDefault();
    let definition: unknown;
    try {
      definition = JSON.parse(text);
    } catch (err) {
      setOutcome({ kind: 'error', title: 'The definition is not JSON', error: new ApiError(0, 'JSON', (err as Error).message) });
      return;
    }
    void run('Targeting change', () => api<Flag>(path, { method: 'PUT', body: { definition, reason } }));
  }

  const enabled = flag.state === 'ENABLED';
  const needReason = reason.trim() === '';
  return (
    <section className="card" aria-labelledby="change-title">
      <h2 id="change-title">Change this flag</h2>
      <label htmlFor="reason">Reason (goes into the history and the audit log)</label>
      <input id="reason" value={reason} onChange={(e) => setReason(e.target.value)} placeholder="why this change" />
      <div className="actions">
        {enabled ? (
          <button type="button" disabled={busy || needReason} className="danger"
            onClick={() => void run('Disable', () => api<Flag>(`${path}/disable`, { method: 'POST', body: { reason } }))}>
            Disable flag
          </button>
        ) : null}
        {!enabled || flag.kill ? (
          <button type="button" disabled={busy || needReason}
            onClick={() => void run('Enable', () => api<Flag>(`${path}/enable`, { method: 'POST', body: { reason } }))}>
            {flag.kill ? 'Enable (clears the kill switch)' : 'Enable flag'}
          </button>
        ) : null}
      </div>
      {flag.source ? (
        <form onSubmit={saveRollout} className="inline" aria-label="Change the rollout">
          <label htmlFor="percent">Rollout percentage</label>
          <input id="percent" type="number" min={0} max={100} step={0.01} inputMode="decimal" value={percent} onChange={(e) => setPercent(e.target.value)} />
          <button type="submit" disabled={busy || needReason}>Save rollout</button>
        </form>
      ) : <p className="muted small">This flag is a flagd definition: change its rollout in the targeting below.</p>}
      <form onSubmit={saveDefinition} aria-label="Targeting editor">
        <label htmlFor="definition">Definition (flagd JSON: state, variants, defaultVariant, targeting)</label>
        <textarea id="definition" rows={12} spellCheck={false} value={text} onChange={(e) => setText(e.target.value)} />
        {flag.source ? <p className="muted small">Saving a definition replaces the featureConfig form of this flag.</p> : null}
        <button type="submit" disabled={busy || needReason}>Validate and save</button>
      </form>
      {needReason ? <p className="muted small">Give a reason to enable the buttons.</p> : null}
      <div aria-live="polite">
        {outcome?.kind === 'ok' ? <p className="ok" role="status">{outcome.text}</p> : null}
        {outcome?.kind === 'error' ? <ErrorBox title={outcome.title} error={outcome.error} /> : null}
      </div>
    </section>
  );
}
