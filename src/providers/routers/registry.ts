/**
 * The router types Rampart knows. An unknown type or a config its schema rejects is a
 * configuration error returned as data (never a silent fallback to another router).
 */
import { builtinProxyRouter } from './builtin-proxy.js';
import { nginxRouter } from './nginx.js';
import { nopRouter } from './nop.js';
import type { RouterDefinition, RouterDeps, TrafficRouter } from './types.js';

export const routerDefinitions: readonly RouterDefinition[] = [builtinProxyRouter, nginxRouter, nopRouter];

export type CreateRouterResult =
  | { ok: true; router: TrafficRouter }
  | { ok: false; code: 'unknown_type' | 'invalid_config' | 'start_failed'; message: string };

export function findRouterDefinition(type: string): RouterDefinition | undefined {
  return routerDefinitions.find((d) => d.type === type);
}

/** Validates `config` against the type's schema and creates the router. `path` prefixes messages (e.g. "services.api.router"). */
export async function createRouter(type: string, config: unknown, deps: RouterDeps, path = 'router'): Promise<CreateRouterResult> {
  const def = findRouterDefinition(type);
  if (!def) {
    return { ok: false, code: 'unknown_type', message: `${path}.type "${type}" is not a router type; use one of: ${routerDefinitions.map((d) => d.type).join(', ')}` };
  }
  const parsed = def.configSchema.safeParse(config ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, code: 'invalid_config', message: `${path}.${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}` };
  }
  try {
    return { ok: true, router: await def.create(parsed.data, deps) };
  } catch (err) {
    return { ok: false, code: 'start_failed', message: `${path}: ${(err as Error).message}` };
  }
}

export { DEFAULT_ROUTER_TYPE, routerBindingProblems, serviceRouterTypes, type BindingProblem, type RoutedServiceEntry } from './service-routers.js';
