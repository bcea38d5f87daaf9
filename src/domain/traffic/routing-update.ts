/**
 * Pure transitions of a RoutingConfig. Each returns a new frozen config (the old one is never
 * mutated, so a request holding it sees a consistent whole) or a validation error as data.
 */
import { compileHeaderMatches, type CompileResult, type HeaderMatchSpec } from './header-match.js';
import { FULL_WEIGHT, type CompiledHeaderRoute, type RoutingConfig, type StickySource } from './routing.js';

/** Argo `setHeaderRoute`: a named route; an absent or empty `match` removes the route of that name. */
export interface HeaderRouteSpec {
  name: string;
  match?: HeaderMatchSpec[];
}

/** Argo `setMirrorRoute`: `percentage` (0–100, 0.01 steps) of matching requests copied to canary. */
export interface MirrorSpec {
  name: string;
  percentage: number;
  match?: HeaderMatchSpec[];
}

/** Percent (0–100, at most two decimals) → basis points; an error message for anything else. */
export function percentToBasisPoints(percent: number, field = 'weight'): CompileResult<number> {
  if (typeof percent !== 'number' || !Number.isFinite(percent) || percent < 0 || percent > 100) {
    return { ok: false, message: `${field} must be a number from 0 to 100 (got ${String(percent)})` };
  }
  const bp = Math.round(percent * 100);
  if (Math.abs(bp - percent * 100) > 1e-6) {
    return { ok: false, message: `${field} ${percent} is finer than the 0.01 % step; round it to two decimals` };
  }
  return { ok: true, value: bp };
}

function freeze(config: RoutingConfig): RoutingConfig {
  return Object.freeze({ ...config });
}

/** The config with canary at `percent` of non-routed, non-header-matched traffic. */
export function withWeight(config: RoutingConfig, percent: number): CompileResult<RoutingConfig> {
  const bp = percentToBasisPoints(percent);
  if (!bp.ok) return bp;
  return { ok: true, value: freeze({ ...config, canaryWeight: bp.value }) };
}

/** Adds or replaces the header route named `spec.name`; no match entries removes it. */
export function withHeaderRoute(config: RoutingConfig, spec: HeaderRouteSpec): CompileResult<RoutingConfig> {
  if (typeof spec?.name !== 'string' || spec.name === '') return { ok: false, message: 'headerRoute.name must be a non-empty string' };
  const others = config.headerRoutes.filter((r) => r.name !== spec.name);
  if (!spec.match || spec.match.length === 0) {
    return { ok: true, value: freeze({ ...config, headerRoutes: Object.freeze(others) }) };
  }
  const match = compileHeaderMatches(spec.match, 'headerRoute.match', false);
  if (!match.ok) return match;
  const route: CompiledHeaderRoute = Object.freeze({ name: spec.name, match: match.value });
  return { ok: true, value: freeze({ ...config, headerRoutes: Object.freeze([...others, route]) }) };
}

/** Sets the mirror route, or removes it when `spec` is null. */
export function withMirror(config: RoutingConfig, spec: MirrorSpec | null): CompileResult<RoutingConfig> {
  if (spec === null) return { ok: true, value: freeze({ ...config, mirror: null }) };
  if (typeof spec.name !== 'string' || spec.name === '') return { ok: false, message: 'mirror.name must be a non-empty string' };
  const share = percentToBasisPoints(spec.percentage, 'mirror.percentage');
  if (!share.ok) return share;
  const match = compileHeaderMatches(spec.match ?? [], 'mirror.match', true);
  if (!match.ok) return match;
  return { ok: true, value: freeze({ ...config, mirror: Object.freeze({ name: spec.name, share: share.value, match: match.value }) }) };
}

/** Sets (or clears, with null) where the sticky key comes from. */
export function withSticky(config: RoutingConfig, sticky: StickySource | null): CompileResult<RoutingConfig> {
  if (sticky !== null && (typeof sticky.name !== 'string' || sticky.name === '' || (sticky.from !== 'cookie' && sticky.from !== 'header'))) {
    return { ok: false, message: "sticky must be { from: 'cookie' | 'header', name: non-empty string }" };
  }
  const value = sticky === null ? null : Object.freeze({ from: sticky.from, name: sticky.from === 'header' ? sticky.name.toLowerCase() : sticky.name });
  return { ok: true, value: freeze({ ...config, sticky: value }) };
}

/** Argo's reset at the end (or abort) of a rollout: all traffic to stable, no routes, no mirror; stickiness kept. */
export function resetRouting(config: RoutingConfig): RoutingConfig {
  return freeze({ canaryWeight: 0, sticky: config.sticky, headerRoutes: Object.freeze([]), mirror: null });
}

/** All traffic to canary: blue-green promotion, or the last canary step. */
export function fullCanary(config: RoutingConfig): RoutingConfig {
  return freeze({ ...config, canaryWeight: FULL_WEIGHT });
}
