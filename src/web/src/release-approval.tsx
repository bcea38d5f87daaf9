import { useState } from 'react';
import { ApiError, type Decision, type ReleaseRow, api } from './api.tsx';
import { useSession } from './session.tsx';
import { ErrorBox, navigate, useApi } from './ui.tsx';

/** Approving a release is the release captain's own act: the server refuses admin standing in, so the button is not shown to it either. */
export function canApproveReleases(roles: readonly string[]): boolean {
  return roles.includes('release-captain');
}

/**
 * When this decision is its release's current one and it waits for the release captain: an
 * Approve button for release captains (`POST /api/v1/releases/:id/approvals`), a note for
 * everyone else. The release is decided again on approval; the page moves to that decision.
 */
export function ReleaseApproval({ decision }: { decision: Decision }) {
  const session = useSession();
  const captain = decision.checks.flatMap((g) => g.checks).find((c) => c.id === 'approval.release_captain');
  const waiting = !decision.whatIf && captain !== undefined && captain.result !== 'pass';
  const releases = useApi<{ releases: ReleaseRow[] }>(waiting ? `/api/v1/releases?service=${encodeURIComponent(decision.service)}&limit=500` : null);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ApiError | undefined>();
  if (!waiting || releases.status !== 'ready') return null;
  const release = releases.data.releases.find((r) => r.decisionId === decision.id);
  // An older decision of a release that has been decided again since: approve from the current one.
  if (!release) return null;
  if (!canApproveReleases(session.roles)) {
    return <p className="card muted" data-testid="awaiting-approval">This release waits for a release captain’s approval; your roles ({session.roles.join(', ')}) cannot give it.</p>;
  }
  async function approve() {
    setBusy(true);
    setError(undefined);
    try {
      const approved = await api<{ decisionId: string }>(`/api/v1/releases/${encodeURIComponent(release!.id)}/approvals`, { method: 'POST', body: comment.trim() ? { comment: comment.trim() } : {} });
      navigate(`/decisions/${encodeURIComponent(approved.decisionId)}`);
    } catch (err) {
      setError(err instanceof ApiError ? err : new ApiError(0, 'CLIENT', String(err)));
      setBusy(false);
    }
  }
  return (
    <section className="card" aria-labelledby="approve-title" data-testid="approve">
      <h2 id="approve-title">Release captain approval</h2>
      <p className="small">Release <code>{release.id}</code> waits for a release captain. Approving decides it again, now, with your approval.</p>
      <label htmlFor="approve-comment">Comment <span className="muted">(optional)</span></label>
      <input id="approve-comment" value={comment} onChange={(e) => setComment(e.target.value)} />
      <button type="button" onClick={() => void approve()} disabled={busy}>{busy ? 'Approving…' : `Approve ${decision.service} ${decision.version}`}</button>
      {error ? <ErrorBox title="The approval was refused" error={error} /> : null}
    </section>
  );
}
