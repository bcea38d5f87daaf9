import { useState } from 'react';
import { ApiError, type ExceptionList, type ExceptionView, api } from './api.tsx';
import { ErrorBox } from './ui.tsx';

type Rules = NonNullable<ExceptionList['types']>;

/** Roles the exception still needs, as the server's missingRoles computes them. */
export function missingRoles(e: ExceptionView, rules: Rules): string[] {
  const filled = new Set(e.approvals.map((a) => a.role));
  return (rules[e.type]?.approvers ?? []).filter((r) => !filled.has(r));
}

/**
 * Whether to show Approve: the server's separation-of-duties rules (never the requestor, never
 * twice by one person, a still-missing role or admin when admin stands in). The server decides.
 */
export function mayApprove(e: ExceptionView, who: { actor: string; roles: readonly string[] }, rules: Rules, adminStandsIn: boolean): boolean {
  if (e.state !== 'pending' || who.actor === e.requestor || e.approvals.some((a) => a.person === who.actor)) return false;
  const missing = missingRoles(e, rules);
  return missing.some((r) => who.roles.includes(r)) || (adminStandsIn && who.roles.includes('admin') && missing.length > 0);
}

/** Deny and review: a role of the type's approvers, or admin (review also sre-lead). */
export function mayDecide(e: ExceptionView, roles: readonly string[], rules: Rules): boolean {
  return roles.includes('admin') || (rules[e.type]?.approvers ?? []).some((r) => roles.includes(r));
}

/** A button (with an optional text field) that POSTs to one exception action and reports the outcome. */
export function ExceptionAction({ e, action, label, field, onDone }: {
  e: ExceptionView;
  action: 'approve' | 'deny' | 'review';
  label: string;
  /** The body field the action needs (deny: reason, review: notes). */
  field?: { name: 'reason' | 'notes'; label: string };
  onDone: () => void;
}) {
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  const inputId = `${action}-${e.id}`;
  async function send() {
    setBusy(true);
    setError(undefined);
    try {
      await api(`/api/v1/exceptions/${encodeURIComponent(e.id)}/${action}`, { method: 'POST', body: field ? { [field.name]: text } : {} });
      onDone();
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'CLIENT', String(err)));
    } finally {
      setBusy(false);
    }
  }
  return (
    <div className="exception-action">
      {field ? (
        <>
          <label htmlFor={inputId}>{field.label}</label>
          <input id={inputId} value={text} onChange={(ev) => setText(ev.target.value)} />
        </>
      ) : null}
      <button type="button" className={action === 'deny' ? 'danger' : ''} disabled={busy || (field !== undefined && text.trim() === '')}
        aria-label={`${label} exception ${e.id}`} onClick={() => void send()}>
        {busy ? `${label}…` : label}
      </button>
      {error ? <ErrorBox title={`${label} was refused`} error={error} /> : null}
    </div>
  );
}
