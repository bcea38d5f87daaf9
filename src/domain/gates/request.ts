import type { ExceptionGrant } from '../exceptions/grant.js';

/** What a release asks the gates: the facts are in the evidence, this is the who/what/where. */
export interface ReleaseRequest {
  /** Decision id, assigned by the caller (the store), so evaluation stays deterministic. */
  id: string;
  service: string;
  version: string;
  /** e.g. `production`, `staging`: high CVEs fail in the configured production environments. */
  environment: string;
  /** Tier name as the catalog has it; selects tier threshold overrides and tier-scoped freezes. */
  tier?: string;
  kind?: 'feature' | 'fix' | 'rollback';
  /** An emergency claim: valid only with an authorized approver and a non-empty incident id. */
  emergency?: { approver: string; incidentId: string };
  /** Approved exceptions of the service at decision time; stored with the inputs so replays waive the same. */
  exceptions?: ExceptionGrant[];
}
