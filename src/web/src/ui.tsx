import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { ApiError, api } from './api.tsx';

export type Loadable<T> =
  | { status: 'loading' }
  | { status: 'error'; error: ApiError }
  | { status: 'ready'; data: T };

/**
 * Fetches `path` on mount and whenever it changes; `reload` fetches again while the current data
 * stays on screen (so forms under it keep their state and their success message). Aborts on unmount.
 */
export function useApi<T>(path: string | null): Loadable<T> & { reload: () => void } {
  const [state, setState] = useState<Loadable<T>>({ status: 'loading' });
  const [tick, setTick] = useState(0);
  const shown = useRef<string | null>(null);
  useEffect(() => {
    if (path === null) return;
    const ctl = new AbortController();
    if (shown.current !== path) setState({ status: 'loading' });
    shown.current = path;
    api<T>(path, { signal: ctl.signal }).then(
      (data) => setState({ status: 'ready', data }),
      (err: unknown) => {
        if ((err as Error).name === 'AbortError') return;
        setState({ status: 'error', error: err instanceof ApiError ? err : new ApiError(0, 'CLIENT', String(err)) });
      },
    );
    return () => ctl.abort();
  }, [path, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}

/** Renders loading and error states for a Loadable, and `children(data)` when it is ready. */
export function Async<T>({ value, label, children }: { value: Loadable<T>; label: string; children: (data: T) => ReactNode }) {
  if (value.status === 'loading') return <p className="muted" role="status" aria-live="polite">Loading {label}…</p>;
  if (value.status === 'error') return <ErrorBox title={`Could not load ${label}`} error={value.error} />;
  return <>{children(value.data)}</>;
}

export function ErrorBox({ title, error }: { title: string; error: ApiError | Error }) {
  const code = error instanceof ApiError ? error.code : undefined;
  return (
    <div className="error" role="alert">
      <strong>{title}</strong>
      {code ? <span className="code"> ({code})</span> : null}
      <p>{error.message}</p>
    </div>
  );
}

const localFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'medium' });

/** A time in the user's zone; the exact UTC instant on hover and for assistive tech. */
export function Time({ iso }: { iso: string | number }) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return <span>{String(iso)}</span>;
  const utc = `${d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC')}`;
  return <time dateTime={d.toISOString()} title={utc}>{localFormat.format(d)}</time>;
}

/** A section whose data this server does not provide yet: says so instead of showing anything made up. */
/** A table that may scroll sideways on a narrow screen: a labelled region the keyboard can reach and scroll. */
export function ScrollRegion({ label, children }: { label: string; children: ReactNode }) {
  return <div className="scroll" tabIndex={0} role="region" aria-label={label}>{children}</div>;
}

export function NotAvailable({ title, what }: { title: string; what: string }) {
  return (
    <section className="card na" aria-label={title}>
      <h3>{title}</h3>
      <p className="muted">Not available yet: {what}</p>
    </section>
  );
}

/** Client-side navigation: pushes the path and tells the router. */
export function navigate(to: string): void {
  if (to === location.pathname + location.search) return;
  history.pushState(null, '', to);
  window.dispatchEvent(new PopStateEvent('popstate'));
}

export function Link({ to, children, className }: { to: string; children: ReactNode; className?: string }) {
  return (
    <a
      href={to}
      className={className}
      aria-current={location.pathname === to ? 'page' : undefined}
      onClick={(e) => {
        if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
        e.preventDefault();
        navigate(to);
      }}
    >
      {children}
    </a>
  );
}

export function json(value: unknown): string {
  return value === undefined ? '(absent)' : JSON.stringify(value);
}
