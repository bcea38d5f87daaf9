import { StrictMode, useCallback, useEffect, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { type SessionInfo, type SessionState, api, setCsrfToken, setUnauthenticatedHandler } from './api.tsx';
import { AuditPageView } from './audit.tsx';
import { DecisionPage } from './decision.tsx';
import { ExceptionsPage } from './exceptions.tsx';
import { FlagDetail } from './flag-detail.tsx';
import { FlagsPage } from './flags.tsx';
import { Overview } from './overview.tsx';
import { RolloutPage, RolloutsPage } from './rollout.tsx';
import { ServicePage } from './service.tsx';
import { type Session, SessionContext } from './session.tsx';
import { SignIn } from './sign-in.tsx';
import { Link } from './ui.tsx';
import './styles.css';

function usePath(): string {
  const [path, setPath] = useState(location.pathname);
  useEffect(() => {
    const on = () => {
      setPath(location.pathname);
      // Move focus to the new page's heading so keyboard and screen-reader users land on it.
      requestAnimationFrame(() => document.querySelector<HTMLElement>('main')?.focus());
    };
    window.addEventListener('popstate', on);
    return () => window.removeEventListener('popstate', on);
  }, []);
  return path;
}

function Page({ path }: { path: string }) {
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0) return <Overview />;
  if (parts[0] === 'services' && parts[1]) return <ServicePage name={parts[1]} />;
  if (parts[0] === 'flags' && parts[1]) return <FlagDetail flagKey={parts[1]} />;
  if (parts[0] === 'flags') return <FlagsPage />;
  if (parts[0] === 'audit') return <AuditPageView />;
  if (parts[0] === 'exceptions') return <ExceptionsPage />;
  if (parts[0] === 'decisions' && parts[1]) return <DecisionPage id={parts[1]} />;
  if (parts[0] === 'rollouts' && parts[1]) return <RolloutPage service={parts[1]} />;
  if (parts[0] === 'rollouts') return <RolloutsPage />;
  return <><h1>Not found</h1><p>No page at {path}. <Link to="/">Go to the overview</Link>.</p></>;
}

function App() {
  const path = usePath();
  const [session, setSession] = useState<SessionInfo | null | 'checking'>('checking');
  const [notice, setNotice] = useState<string | undefined>();

  const adopt = useCallback((s: SessionInfo | null) => {
    setCsrfToken(s?.csrfToken);
    setSession(s);
  }, []);

  useEffect(() => {
    setUnauthenticatedHandler(() => {
      setNotice('Your session has ended (expired, signed out or the token was revoked). Sign in again.');
      adopt(null);
    });
    // A reloaded page resumes its session: the cookie is http-only, so ask the server.
    api<SessionState>('/api/v1/session').then(
      (s) => {
        if (!s.signedIn && s.reason !== 'none') setNotice(`Your session has ended (${s.reason === 'revoked' ? 'its token was revoked' : 'it expired'}). Sign in again.`);
        adopt(s.signedIn ? s : null);
      },
      () => adopt(null),
    );
  }, [adopt]);

  if (session === 'checking') return <main id="main"><p role="status">Loading…</p></main>;
  if (session === null) return <SignIn notice={notice} onSignedIn={(s) => { setNotice(undefined); adopt(s); }} />;

  const value: Session = {
    ...session,
    signOut: async () => {
      try {
        await api('/api/v1/session', { method: 'DELETE', quiet401: true });
      } finally {
        adopt(null);
      }
    },
  };
  const section = path.split('/')[1] ?? '';
  return (
    <SessionContext.Provider value={value}>
      <a className="skip" href="#main">Skip to content</a>
      <header className="top">
        <span className="brand">Rampart</span>
        <nav aria-label="Main">
          <ul>
            <li className={section === '' || section === 'services' ? 'active' : ''}><Link to="/">Overview</Link></li>
            <li className={section === 'rollouts' ? 'active' : ''}><Link to="/rollouts">Rollouts</Link></li>
            <li className={section === 'exceptions' ? 'active' : ''}><Link to="/exceptions">Exceptions</Link></li>
            <li className={section === 'flags' ? 'active' : ''}><Link to="/flags">Flags</Link></li>
            <li className={section === 'audit' ? 'active' : ''}><Link to="/audit">Audit</Link></li>
          </ul>
        </nav>
        <span className="who" data-testid="who">{session.actor} <span className="muted">({session.roles.join(', ')})</span></span>
        <button type="button" className="secondary" onClick={() => void value.signOut()}>Sign out</button>
      </header>
      <main id="main" key={path} tabIndex={-1}>
        <Page path={path} />
      </main>
    </SessionContext.Provider>
  );
}

createRoot(document.getElementById('root')!).render(<StrictMode><App /></StrictMode>);
