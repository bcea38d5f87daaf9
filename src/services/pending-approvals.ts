import type { DecisionRecord } from '../domain/gates/index.js';
import type { ReleaseService } from './releases.js';

export interface PendingApproval {
  releaseId: string;
  service: string;
  version: string;
  environment: string;
  createdAt: string;
  createdBy: string;
  decisionId: string;
  /** The release captain check as the release's current decision recorded it. */
  check: { result: string; detail: string };
  /** The checks other than the release captain's that fail too: approval alone will not allow it. */
  otherFailures: string[];
}

/**
 * Releases waiting for a release captain: among the newest `scan` releases, those whose current
 * (not what-if) decision denies and whose `approval.release_captain` check did not pass. Read-only;
 * one decision read per release scanned.
 */
export function createPendingApprovals(releases: Pick<ReleaseService, 'list' | 'decision'>) {
  return {
    async list(scan = 100): Promise<PendingApproval[]> {
      const rows = await releases.list({ limit: scan });
      const out: PendingApproval[] = [];
      for (const row of rows) {
        if (row.allow) continue;
        const record = (await releases.decision(row.decisionId)).record as DecisionRecord & { whatIf?: boolean };
        if (record.whatIf) continue;
        const checks = record.checks.flatMap((g) => g.checks);
        const captain = checks.find((c) => c.id === 'approval.release_captain');
        if (!captain || captain.result === 'pass') continue;
        out.push({
          releaseId: row.id, service: row.service, version: row.version, environment: row.environment,
          createdAt: row.createdAt, createdBy: row.createdBy, decisionId: row.decisionId,
          check: { result: captain.result, detail: captain.detail },
          otherFailures: checks.filter((c) => c.id !== captain.id && (c.result === 'fail' || c.result === 'missing') && !c.waived && !c.bypassed).map((c) => c.id),
        });
      }
      return out;
    },
  };
}
