import { createContext, useContext } from 'react';
import type { SessionInfo } from './api.tsx';

/** Roles that may change flags (the server's flag routes: deployer or release-captain; admin holds all). */
const flagEditors = ['admin', 'deployer', 'release-captain'];

export interface Session extends SessionInfo {
  signOut: () => Promise<void>;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside a signed-in page');
  return s;
}

/**
 * Whether to show a button: a convenience only. The server checks every request again and a
 * refused one is shown as its 403 message.
 */
export function canEditFlags(roles: readonly string[]): boolean {
  return roles.some((r) => flagEditors.includes(r));
}

/** Roles the rollout command route accepts (deployer, release-captain; admin holds all). */
const rolloutOperators = ['admin', 'deployer', 'release-captain'];

/** Whether to show the rollout verbs; the server checks every command again. */
export function canOperateRollouts(roles: readonly string[]): boolean {
  return roles.some((r) => rolloutOperators.includes(r));
}
