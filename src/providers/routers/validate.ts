/**
 * Request validation shared by routers that do not route themselves (nop, nginx), so every router
 * rejects the same bad input with the same message the built-in proxy gives.
 */
import { defaultRouting } from '../../domain/traffic/routing.js';
import { percentToBasisPoints, withHeaderRoute, withMirror } from '../../domain/traffic/routing-update.js';
import type { HeaderRouteSpec, MirrorSpec, RouterResult } from './types.js';

export const ok: RouterResult = Object.freeze({ ok: true });

export function invalid(message: string): RouterResult {
  return { ok: false, code: 'invalid', message };
}

export function checkWeight(percent: number): RouterResult {
  const r = percentToBasisPoints(percent);
  return r.ok ? ok : invalid(r.message);
}

export function checkHeaderRoute(route: HeaderRouteSpec): RouterResult {
  const r = withHeaderRoute(defaultRouting, route);
  return r.ok ? ok : invalid(r.message);
}

export function checkMirror(mirror: MirrorSpec | null): RouterResult {
  const r = withMirror(defaultRouting, mirror);
  return r.ok ? ok : invalid(r.message);
}
