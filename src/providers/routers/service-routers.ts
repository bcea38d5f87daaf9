/**
 * Which router fronts each traffic service of rampart.yaml (`traffic.services[].router`), how such a
 * binding is validated, and how the routers are created for the composition root.
 *
 * A binding is `{ type, config }`; its per-service config schema is declared here, per type:
 * - `builtin-proxy` (the default): Rampart's proxy listens on the service's host:port; `{}`.
 * - `nginx`: nginx listens on the service's host:port in place of the built-in proxy. Services that
 *   name the same `prefix` share one nginx (one nginx.conf), so they must agree on its settings.
 * - `nop`: nothing listens and nothing is routed (traffic is shifted elsewhere, or not at all).
 */
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { builtinProxyRouter } from './builtin-proxy.js';
import { nginxRouter } from './nginx.js';
import { nopRouter } from './nop.js';
import type { ProxyDirectory, RouterDeps, TrafficRouter } from './types.js';

/** The router type of a service without a `router` field. */
export const DEFAULT_ROUTER_TYPE = 'builtin-proxy';

const nginxBinding = z.strictObject({
  prefix: z.string().min(1).optional().describe('nginx directory (nginx.conf, pid, logs); default <data dir>/nginx; relative to the config file'),
  binary: z.string().min(1).default('/usr/sbin/nginx'),
  manage: z.boolean().default(true).describe('true: Rampart starts and stops nginx; false: reload an nginx already running with this prefix'),
  workerProcesses: z.number().int().min(1).max(64).default(1),
  sticky: z.strictObject({ from: z.enum(['cookie', 'header']), name: z.string().regex(/^[A-Za-z0-9_-]+$/, { error: 'letters, digits, _ and - only' }) }).optional(),
});

/** Per-service config schema of each router type (what `traffic.services[].router.config` may hold). */
export const serviceRouterConfigSchemas: Readonly<Record<string, z.ZodType>> = Object.freeze({
  'builtin-proxy': z.strictObject({}),
  nginx: nginxBinding,
  nop: z.strictObject({}),
});

export const serviceRouterTypes: readonly string[] = Object.keys(serviceRouterConfigSchemas);

/** The parts of a `traffic.services[]` entry a router binding depends on. */
export interface RoutedServiceEntry {
  service: string;
  host: string;
  port: number;
  router?: { type: string; config?: Record<string, unknown> | undefined } | undefined;
}

/** A problem with a path relative to `traffic.services` (e.g. `[2, 'router', 'config', 'prefix']`). */
export interface BindingProblem {
  path: PropertyKey[];
  message: string;
}

export const routerTypeOf = (entry: Pick<RoutedServiceEntry, 'router'>): string => entry.router?.type ?? DEFAULT_ROUTER_TYPE;

/** The nginx instance a service joins: its settings with the prefix resolved. */
function nginxSettings(config: Record<string, unknown> | undefined, dirs: { dataDir: string; configDir: string }) {
  const c = nginxBinding.parse(config ?? {});
  const prefix = c.prefix === undefined ? join(dirs.dataDir, 'nginx') : isAbsolute(c.prefix) ? c.prefix : join(dirs.configDir, c.prefix);
  return { ...c, prefix };
}

/**
 * Every problem of the services' router bindings: an unknown type, a config its schema rejects,
 * nginx without a fixed port, and services sharing an nginx that disagree on its settings.
 */
export function routerBindingProblems(entries: readonly RoutedServiceEntry[]): BindingProblem[] {
  const problems: BindingProblem[] = [];
  const groups = new Map<string, { index: number; settings: Record<string, unknown> }>();
  entries.forEach((e, i) => {
    if (!e.router) return;
    const schema = serviceRouterConfigSchemas[e.router.type];
    if (!schema) {
      problems.push({ path: [i, 'router', 'type'], message: `"${e.router.type}" is not a router type; use one of: ${serviceRouterTypes.join(', ')}` });
      return;
    }
    const parsed = schema.safeParse(e.router.config ?? {});
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
        const message = keys.length > 0
          ? `unknown field${keys.length > 1 ? 's' : ''} ${keys.map((k) => `"${k}"`).join(', ')} for router ${e.router.type}; it takes: ${configFields(e.router.type)}`
          : issue.message;
        problems.push({ path: [i, 'router', 'config', ...issue.path], message });
      }
      return;
    }
    if (e.router.type !== 'nginx') return;
    if (!/^[A-Za-z0-9_.-]+$/.test(e.service)) problems.push({ path: [i, 'service'], message: 'a service behind nginx is named with letters, digits, _, . and - only (the name becomes an nginx identifier)' });
    if (e.port === 0) problems.push({ path: [i, 'port'], message: 'nginx listens on a fixed port: set port to 1-65535 (0, "any free port", is for the built-in proxy only)' });
    const c = parsed.data as z.output<typeof nginxBinding>;
    const key = c.prefix ?? '';
    const settings = { binary: c.binary, manage: c.manage, workerProcesses: c.workerProcesses, host: e.host };
    const first = groups.get(key);
    if (!first) return void groups.set(key, { index: i, settings });
    for (const [field, value] of Object.entries(settings)) {
      if (first.settings[field] !== value) {
        problems.push({
          path: field === 'host' ? [i, 'host'] : [i, 'router', 'config', field],
          message: `services sharing the nginx prefix ${key === '' ? '(default)' : `"${key}"`} share one nginx: ${field} must equal that of traffic.services[${first.index}] (${JSON.stringify(first.settings[field])}), or give this service its own prefix`,
        });
      }
    }
  });
  return problems;
}

function configFields(type: string): string {
  const schema = serviceRouterConfigSchemas[type];
  const shape = schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
  return shape.length > 0 ? shape.join(', ') : 'nothing (leave config out)';
}

/** A service the routers front, with where its versions answer now. */
export interface RoutedService extends RoutedServiceEntry {
  stable: { version: string; url: string };
  canary?: { version: string; url: string } | undefined;
}

export type CreateServiceRoutersResult =
  | { ok: true; routers: Map<string, TrafficRouter>; close(): Promise<void> }
  | { ok: false; message: string };

function hostPort(url: string): string {
  const u = new URL(url);
  return `${u.hostname.replace(/^\[|\]$/g, '')}:${u.port || 80}`;
}

/**
 * Creates the router of every service: one builtin-proxy router over `proxies`, one nop router, and
 * one nginx router per prefix (started now when it manages nginx). Bindings must have passed
 * `routerBindingProblems`. On failure every router created so far is closed.
 */
export async function createServiceRouters(
  services: readonly RoutedService[],
  deps: Omit<RouterDeps, 'proxies'> & { proxies: ProxyDirectory; dataDir: string; configDir: string },
): Promise<CreateServiceRoutersResult> {
  const created: TrafficRouter[] = [];
  const close = async () => {
    for (const r of created.splice(0)) await r.close?.();
  };
  const routers = new Map<string, TrafficRouter>();
  const builtin = await builtinProxyRouter.create({}, deps);
  const nop = await nopRouter.create({}, deps);
  created.push(builtin, nop);
  const nginxGroups = new Map<string, { settings: ReturnType<typeof nginxSettings>; host: string; services: RoutedService[] }>();
  for (const s of services) {
    const type = routerTypeOf(s);
    if (type === 'builtin-proxy') routers.set(s.service, builtin);
    else if (type === 'nop') routers.set(s.service, nop);
    else {
      const settings = nginxSettings(s.router?.config, deps);
      const group = nginxGroups.get(settings.prefix) ?? { settings, host: s.host, services: [] };
      // Two spellings of one directory reach here as one prefix: they must agree like any other pair.
      const differs = (['binary', 'manage', 'workerProcesses'] as const).find((f) => group.settings[f] !== settings[f]) ?? (group.host !== s.host ? 'host' : undefined);
      if (differs) {
        await close();
        return { ok: false, message: `${s.service} and ${group.services[0]?.service} share the nginx under ${settings.prefix} but set different ${differs}; make them equal or give one its own prefix` };
      }
      group.services.push(s);
      nginxGroups.set(settings.prefix, group);
    }
  }
  for (const [prefix, g] of nginxGroups) {
    const config = nginxRouter.configSchema.safeParse({
      prefix, binary: g.settings.binary, manage: g.settings.manage, workerProcesses: g.settings.workerProcesses, listenHost: g.host,
      services: Object.fromEntries(g.services.map((s) => {
        const sticky = nginxBinding.parse(s.router?.config ?? {}).sticky;
        return [s.service, { listen: s.port, stable: hostPort(s.stable.url), ...(s.canary ? { canary: hostPort(s.canary.url) } : {}), ...(sticky ? { sticky } : {}) }];
      })),
    });
    if (!config.success) {
      await close();
      return { ok: false, message: `nginx router (${prefix}): ${config.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}` };
    }
    try {
      const router = await nginxRouter.create(config.data, deps);
      created.push(router);
      for (const s of g.services) routers.set(s.service, router);
    } catch (err) {
      await close();
      return { ok: false, message: `nginx router (${prefix}) for ${g.services.map((s) => s.service).join(', ')}: ${(err as Error).message}` };
    }
  }
  return { ok: true, routers, close };
}
