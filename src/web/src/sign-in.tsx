import { type FormEvent, useState } from 'react';
import { ApiError, type SessionInfo, api } from './api.tsx';
import { ErrorBox } from './ui.tsx';

/** Pastes an API token once; the server answers with a session cookie and a CSRF token. */
export function SignIn({ onSignedIn, notice }: { onSignedIn: (s: SessionInfo) => void; notice?: string }) {
  const [token, setToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const s = await api<SessionInfo>('/api/v1/session', { method: 'POST', body: { token: token.trim() }, quiet401: true });
      setToken('');
      onSignedIn(s);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'CLIENT', String(err)));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="signin" id="main">
      <h1>Rampart</h1>
      <p className="muted">Release reliability control plane</p>
      <form onSubmit={submit} className="card" aria-labelledby="signin-title">
        <h2 id="signin-title">Sign in</h2>
        {notice ? <p role="status">{notice}</p> : null}
        <label htmlFor="token">API token</label>
        <input
          id="token" name="token" type="password" autoComplete="off" spellCheck={false} required
          placeholder="rpt_…" value={token} onChange={(e) => setToken(e.target.value)}
          aria-describedby="token-help"
        />
        <p id="token-help" className="muted small">
          Paste it once: the server keeps a session (http-only cookie, 8 hours); the token is not stored in the browser.
          Create one with <code>rampart token create --name you --role viewer</code>.
        </p>
        <button type="submit" disabled={busy || token.trim() === ''}>{busy ? 'Signing in…' : 'Sign in'}</button>
        {error ? <ErrorBox title="Sign-in failed" error={error} /> : null}
      </form>
    </main>
  );
}
