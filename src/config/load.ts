import { type ExceptionsConfig, type ExceptionsConfigInput, resolveExceptionsConfig } from '../domain/exceptions/types.js';
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { LineCounter, parseDocument, isNode, type Document } from 'yaml';
import type { Catalog, Service, Slo, Tier, TierDefaults } from '../domain/catalog/types.js';
import { specServices, specTierDefaults } from '../domain/catalog/spec-catalog.js';
import { configSchema, type ConfigFile } from './schema.js';
import { type ThresholdOverrides, checkThresholds, thresholdsFor } from '../domain/health/thresholds.js';
import { Cron } from 'croner';
import { routerBindingProblems } from '../providers/routers/registry.js';

/** One problem in a config file, placed so an editor can jump to it. */
export interface ConfigProblem {
  file: string;
  line: number;
  column: number;
  /** Field path such as `services[3].tier`; empty for a syntax error. */
  path: string;
  message: string;
}

export interface RampartConfig {
  /** The file it came from, or `<defaults>`. */
  source: string;
  catalog: Catalog;
  server: { host: string; port: number; bodyLimitBytes: number };
  store: { sqlitePath?: string; url?: string };
  auth: { bootstrapAdmin: boolean };
  flags: { ofrepRatePerSecond: number };
  /** Release gates: paths are resolved against the config file's folder. */
  gates: {
    timeZone: string;
    thresholds: { defaults?: Record<string, unknown>; tiers?: Record<string, Record<string, unknown>> };
    windows?: Array<{ name: string; kind: 'allow' | 'deny'; schedule: string; duration: string; timeZone: string }>;
    freezesFile?: string;
    authorizedOverriders: string[];
    emergencyBypasses?: string[];
    trustedBuilders: Array<{ id: string; level: number }>;
    signingKeys: string[];
  };
  policy: { engine: 'builtin' | 'opa-rest'; file?: string; url?: string; path: string; timeoutMs: number };
  analysis: { providers: Array<{ type: string; config?: Record<string, unknown> }> };
  slo: { prometheusUrl?: string; minRequests: number };
  traffic: {
    services: Array<{
      service: string; namespace: string; host: string; port: number;
      stable: { version: string; url?: string }; canary?: { version: string; url: string };
      previewPort?: number;
      runtime?: { type: 'process' | 'static-url'; config: Record<string, unknown> };
      /** Absent: builtin-proxy. Validated against the router's per-service schema at load. */
      router?: { type: string; config?: Record<string, unknown> };
    }>;
  };
  /** Runtime safeguards: health bounds, anomaly detection, scheduled synthetic checks. */
  safeguards: SafeguardsConfig;
  /** Exceptions: the spec's type table (approvers, limits, audit levels) and review rules. */
  exceptions: ExceptionsConfig;
  /** Notifiers (validated against their definitions at start) and the outbox's retry policy. */
  notifications: {
    notifiers: Array<{ name: string; type: string; events: string[]; config: Record<string, unknown> }>;
    maxAttempts: number;
    maxBackoffSeconds: number;
    timeoutMs: number;
  };
}

export type SyntheticCheckConfig = 'health' | 'graphql' | { script: { command: string; timeoutSeconds: number } };

export interface SafeguardsConfig {
  health: { defaults: ThresholdOverrides; tiers: Record<string, ThresholdOverrides> };
  anomaly: { enabled: boolean; intervalSeconds: number; minRequests: number };
  saturation: { cpuLimitCores: number; memoryLimitMb: number; sampleSeconds: number };
  synthetics: Array<{ service: string; url: string; schedule: string; checks: SyntheticCheckConfig[] }>;
}

export type LoadResult = { ok: true; config: RampartConfig } | { ok: false; problems: ConfigProblem[] };

export function formatProblem(p: ConfigProblem): string {
  return `${p.file}:${p.line}:${p.column}: ${p.path ? `${p.path}: ` : ''}${p.message}`;
}

export function pathText(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) out += typeof key === 'number' ? `[${key}]` : out ? `.${String(key)}` : String(key);
  return out;
}

/** The built-in configuration: the spec's catalog, SQLite under the data dir, 127.0.0.1:8080. */
export function defaultConfig(): RampartConfig {
  return finish('<defaults>', {});
}

export function loadConfigFile(file: string): LoadResult {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'file not found' : (err as Error).message;
    return { ok: false, problems: [{ file, line: 0, column: 0, path: '', message: `cannot read config: ${reason}` }] };
  }
  return parseConfig(text, file);
}

/** Parses and validates rampart.yaml text. Reports every problem, each with line, column and path. */
export function parseConfig(text: string, file = 'rampart.yaml'): LoadResult {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return { file, line: pos.line, column: pos.col, path: '', message: `YAML syntax: ${e.message.split('\n')[0]}` };
      }),
    };
  }
  const raw: unknown = doc.toJS() ?? {};
  const parsed = configSchema.safeParse(raw);
  const problems: ConfigProblem[] = [];
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      problems.push({ file, ...place(doc, lineCounter, issue.path), path: pathText(issue.path), message: issueMessage(issue) });
    }
  } else {
    const seen = new Map<string, number>();
    parsed.data.services?.forEach((s, i) => {
      const first = seen.get(s.name);
      if (first !== undefined) {
        problems.push({
          file, ...place(doc, lineCounter, ['services', i, 'name']), path: `services[${i}].name`,
          message: `duplicate service "${s.name}" (first defined at services[${first}]); give each service one entry`,
        });
      } else seen.set(s.name, i);
    });
    problems.push(...routerBindingProblems(parsed.data.traffic?.services ?? []).map((p) => {
      const path = ['traffic', 'services', ...p.path];
      return { file, ...place(doc, lineCounter, path), path: pathText(path), message: p.message };
    }));
    problems.push(...safeguardProblems(parsed.data).map((p) => ({ file, ...place(doc, lineCounter, p.path), path: pathText(p.path), message: p.message })));
  }
  if (problems.length > 0 || !parsed.success) return { ok: false, problems };
  return { ok: true, config: finish(file, parsed.data) };
}

function issueMessage(issue: { code: string; message: string; keys?: string[] }): string {
  if (issue.code === 'unrecognized_keys' && issue.keys) {
    return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}; see \`rampart config schema\``;
  }
  return issue.message;
}

function place(doc: Document, lc: LineCounter, path: readonly PropertyKey[]): { line: number; column: number } {
  // Walk up the path until a node with a position exists (a missing field is placed at its parent).
  for (let n = path.length; n >= 0; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n).map(yamlKey), true);
    if (isNode(node) && node.range) {
      const pos = lc.linePos(node.range[0]);
      return { line: pos.line, column: pos.col };
    }
  }
  return { line: 1, column: 1 };
}

function yamlKey(k: PropertyKey): unknown {
  return typeof k === 'symbol' ? String(k) : k;
}

function finish(source: string, file: ConfigFile): RampartConfig {
  const tiers = {} as Record<Tier, TierDefaults>;
  for (const t of [1, 2, 3] as const) {
    const base = specTierDefaults[t];
    const over = file.tiers?.[t];
    tiers[t] = {
      strategy: over?.strategy ?? base.strategy,
      slo: (over?.slo as Slo | undefined) ?? base.slo,
      gates: { ...base.gates, ...stripUndefined(over?.gates ?? {}) },
    };
  }
  const services: Service[] = file.services
    ? file.services.map((s) => ({
        name: s.name, tier: s.tier, description: s.description, owners: s.owners,
        ...(s.strategy ? { strategy: s.strategy } : {}),
        ...(s.slo ? { slo: s.slo as Slo } : {}),
      }))
    : specServices;
  return deepFreeze({
    source,
    catalog: { services, tiers },
    server: { host: file.server?.host ?? '127.0.0.1', port: file.server?.port ?? 8080, bodyLimitBytes: file.server?.bodyLimitBytes ?? 10 * 1024 * 1024 },
    store: stripUndefined({ sqlitePath: file.store?.sqlitePath, url: file.store?.url }),
    auth: { bootstrapAdmin: file.auth?.bootstrapAdmin ?? true },
    flags: { ofrepRatePerSecond: file.flags?.ofrepRatePerSecond ?? 5000 },
    gates: gatesConfig(source, file),
    slo: stripUndefined({ prometheusUrl: file.slo?.prometheusUrl, minRequests: file.slo?.minRequests ?? 10 }) as RampartConfig['slo'],
    traffic: { services: file.traffic?.services ?? [] },
    analysis: { providers: file.analysis?.providers ?? [{ type: 'prometheus' }, { type: 'web' }, { type: 'job' }] },
    safeguards: safeguardsConfig(file),
    notifications: {
      notifiers: (file.notifications?.notifiers ?? []).map((n) => ({ name: n.name, type: n.type, events: n.events, config: n.config ?? {} })),
      maxAttempts: file.notifications?.maxAttempts ?? 8,
      maxBackoffSeconds: file.notifications?.maxBackoffSeconds ?? 300,
      timeoutMs: file.notifications?.timeoutMs ?? 10_000,
    },
    exceptions: resolveExceptionsConfig(stripUndefined({ ...file.exceptions }) as ExceptionsConfigInput),
    policy: stripUndefined({
      engine: file.policy?.engine ?? 'builtin',
      file: file.policy?.file ? relativeTo(source, file.policy.file) : undefined,
      url: file.policy?.url,
      path: file.policy?.path ?? 'companyos/release/decision',
      timeoutMs: file.policy?.timeoutMs ?? 2000,
    }) as RampartConfig['policy'],
  });
}

function safeguardsConfig(file: ConfigFile): SafeguardsConfig {
  const s = file.safeguards;
  return {
    health: { defaults: (s?.health?.defaults ?? {}) as ThresholdOverrides, tiers: (s?.health?.tiers ?? {}) as Record<string, ThresholdOverrides> },
    anomaly: { enabled: s?.anomaly?.enabled ?? true, intervalSeconds: s?.anomaly?.intervalSeconds ?? 15, minRequests: s?.anomaly?.minRequests ?? 100 },
    saturation: { cpuLimitCores: s?.saturation?.cpuLimitCores ?? 1, memoryLimitMb: s?.saturation?.memoryLimitMb ?? 512, sampleSeconds: s?.saturation?.sampleSeconds ?? 5 },
    synthetics: s?.synthetics ?? [],
  };
}

/** Cross-field checks of `safeguards`: bounds in order per tier, cron schedules that parse. */
function safeguardProblems(file: ConfigFile): Array<{ path: PropertyKey[]; message: string }> {
  const out: Array<{ path: PropertyKey[]; message: string }> = [];
  const h = safeguardsConfig(file).health;
  for (const tier of [1, 2, 3]) {
    for (const message of checkThresholds(thresholdsFor(tier, h.defaults, h.tiers), `tier ${tier}`)) {
      out.push({ path: ['safeguards', 'health', ...(h.tiers[String(tier)] ? ['tiers', String(tier)] : [])], message });
    }
  }
  file.safeguards?.synthetics.forEach((s, i) => {
    try {
      new Cron(s.schedule, { paused: true, timezone: 'UTC' });
    } catch (err) {
      out.push({ path: ['safeguards', 'synthetics', i, 'schedule'], message: `not a cron schedule: ${(err as Error).message} (e.g. "*/2 * * * *")` });
    }
  });
  return out;
}

function relativeTo(source: string, path: string): string {
  return source === '<defaults>' || isAbsolute(path) ? path : join(dirname(source), path);
}

function gatesConfig(source: string, file: ConfigFile): RampartConfig['gates'] {
  const g = file.gates;
  const zone = g?.timeZone ?? 'UTC';
  return stripUndefined({
    timeZone: zone,
    thresholds: g?.thresholds ?? {},
    windows: g?.windows?.map((w) => ({ ...w, timeZone: w.timeZone ?? zone })),
    freezesFile: g?.freezesFile ? relativeTo(source, g.freezesFile) : undefined,
    authorizedOverriders: g?.authorizedOverriders ?? [],
    emergencyBypasses: g?.emergencyBypasses,
    trustedBuilders: g?.trustedBuilders ?? [],
    signingKeys: (g?.signingKeys ?? []).map((k) => relativeTo(source, k)),
  }) as RampartConfig['gates'];
}

function stripUndefined<T extends object>(o: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as never;
}

function deepFreeze<T>(o: T): T {
  if (o && typeof o === 'object' && !Object.isFrozen(o)) {
    Object.freeze(o);
    for (const v of Object.values(o)) deepFreeze(v);
  }
  return o;
}
