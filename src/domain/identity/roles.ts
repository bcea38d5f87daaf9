/**
 * Roles. The spec's approver table needs release-captain, security, eng-director, sre-lead,
 * vp-eng and cto; viewer reads, deployer releases, sre operates budgets, admin manages Rampart.
 */
export const roles = [
  'viewer',
  'deployer',
  'release-captain',
  'sre',
  'sre-lead',
  'security',
  'eng-director',
  'vp-eng',
  'cto',
  'admin',
] as const;
export type Role = (typeof roles)[number];

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

/**
 * Whether a holder of `held` may do what needs one of `required`. Every role can read (viewer);
 * admin may call every endpoint. Approvals that need a specific person's role (exceptions) do not
 * use this: they check the role itself, so that admin does not stand in for it.
 */
export function permits(held: readonly Role[], required: readonly Role[]): boolean {
  if (held.includes('admin')) return true;
  if (required.includes('viewer') && held.length > 0) return true;
  return required.some((r) => held.includes(r));
}
