/**
 * Pure traffic-routing decisions for one service: which version (stable or canary) a request goes
 * to, given an immutable routing config. No I/O; randomness and hashing inputs are arguments.
 *
 * Weights are integers in basis points (1 = 0.01 %, 10,000 = 100 %) so that a 0.01 % step is exact.
 * Sticky users are bucketed by murmur3 of their key into 0 … 9,999 and go to canary when
 * `bucket < canaryWeight`: while the weight only grows, a user once in canary stays there.
 */
import { murmur3x86_32 } from '../flags/murmur3.js';
import type { CompiledHeaderMatch } from './header-match.js';
import { matchesAll } from './header-match.js';

export const FULL_WEIGHT = 10_000;

export type Role = 'stable' | 'canary';

/** Where the sticky key comes from: a cookie or a request header (names compared case-insensitively for headers). */
export interface StickySource {
  readonly from: 'cookie' | 'header';
  readonly name: string;
}

/** Argo `setHeaderRoute`: a request matching every entry of `match` goes to canary. */
export interface CompiledHeaderRoute {
  readonly name: string;
  readonly match: readonly CompiledHeaderMatch[];
}

/** Argo `setMirrorRoute`: `share` basis points of matching requests are copied to canary. */
export interface CompiledMirror {
  readonly name: string;
  readonly share: number;
  readonly match: readonly CompiledHeaderMatch[];
}

/** One immutable routing config; the proxy swaps the whole object, and a request reads it once. */
export interface RoutingConfig {
  readonly canaryWeight: number;
  readonly sticky: StickySource | null;
  readonly headerRoutes: readonly CompiledHeaderRoute[];
  readonly mirror: CompiledMirror | null;
}

export const defaultRouting: RoutingConfig = Object.freeze({ canaryWeight: 0, sticky: null, headerRoutes: [], mirror: null });

/** Reads one request header by lower-case name; undefined when absent. */
export type HeaderLookup = (lowerName: string) => string | undefined;

/** The bucket (0 … 9,999) of a sticky key: floor(murmur3(key) × 10,000 / 2^32). */
export function stickyBucket(key: string): number {
  return Math.floor((murmur3x86_32(key) * FULL_WEIGHT) / 4_294_967_296);
}

/**
 * The version a request goes to. Header routes win over the weight (Argo semantics); then a sticky
 * bucket when the request carries a sticky key (`stickyKeyBucket` ≥ 0), else `randomBucket`
 * (a uniform integer in 0 … 9,999 drawn by the caller).
 */
export function chooseRole(config: RoutingConfig, headers: HeaderLookup, stickyKeyBucket: number, randomBucket: number): Role {
  const routes = config.headerRoutes;
  for (let i = 0; i < routes.length; i++) {
    if (matchesAll((routes[i] as CompiledHeaderRoute).match, headers)) return 'canary';
  }
  const bucket = stickyKeyBucket >= 0 ? stickyKeyBucket : randomBucket;
  return bucket < config.canaryWeight ? 'canary' : 'stable';
}

/** Whether a request (already routed to stable) is also copied to canary; `randomBucket` in 0 … 9,999. */
export function shouldMirror(config: RoutingConfig, headers: HeaderLookup, randomBucket: number): boolean {
  const mirror = config.mirror;
  if (mirror === null || randomBucket >= mirror.share) return false;
  return matchesAll(mirror.match, headers);
}

/**
 * The value of cookie `name` in a Cookie header, or undefined. Scans without splitting the header
 * into an array (this runs per request).
 */
export function cookieValue(cookieHeader: string | undefined, name: string): string | undefined {
  if (cookieHeader === undefined) return undefined;
  let at = 0;
  while (at < cookieHeader.length) {
    while (cookieHeader.charCodeAt(at) === 32) at++;
    const end = cookieHeader.indexOf(';', at);
    const stop = end === -1 ? cookieHeader.length : end;
    const eq = cookieHeader.indexOf('=', at);
    if (eq !== -1 && eq < stop && eq - at === name.length && cookieHeader.startsWith(name, at)) {
      return cookieHeader.slice(eq + 1, stop).trim();
    }
    at = stop + 1;
  }
  return undefined;
}
