/**
 * The static-url runtime: versions already run somewhere; Rampart only learns where. `url` may use
 * `{{service}}` and `{{version}}`, or `versions` lists URLs by version. Start checks health once
 * (bounded) so a wrong URL fails before traffic moves; stop only forgets the version.
 */
import { z } from 'zod';
import { parseUpstreamUrl } from '../../proxy/upstream.js';
import { waitHealthy } from './health.js';
import { renderTemplate, unknownPlaceholders } from './template.js';
import type { RuntimeDefinition, VersionRuntime, VersionStatus } from './types.js';

const configSchema = z.object({
  url: z.string().optional().refine((u) => u === undefined || unknownPlaceholders(u, ['service', 'version']).length === 0, 'url may only use {{service}} and {{version}}'),
  versions: z.record(z.string(), z.string()).optional(),
  healthPath: z.string().startsWith('/').default('/health'),
  healthTimeoutMs: z.number().int().min(100).default(5_000),
}).strict().refine((c) => c.url !== undefined || c.versions !== undefined, 'set url (a template) or versions (a map of version → URL)');

export const staticUrlRuntime = {
  type: 'static-url',
  description: 'Versions that already run elsewhere, addressed by URL.',
  configSchema,
  async create(config, deps): Promise<VersionRuntime> {
    const known = new Map<string, VersionStatus>();
    const key = (s: string, v: string) => `${s}\u0000${v}`;
    return {
      type: 'static-url',
      async start(spec) {
        const existing = known.get(key(spec.service, spec.version));
        if (existing?.state === 'running' && existing.url) return { ok: true, value: { service: spec.service, version: spec.version, url: existing.url } };
        const url = config.versions?.[spec.version] ?? (config.url ? renderTemplate(config.url, { service: spec.service, version: spec.version }) : undefined);
        if (url === undefined) return { ok: false, code: 'invalid', message: `static-url: no URL for version "${spec.version}"; add it under versions or set url` };
        const parsed = parseUpstreamUrl(url.replace(/\/$/, ''), 'static-url url');
        if (!parsed.ok) return { ok: false, code: 'invalid', message: parsed.message };
        const failure = await waitHealthy(`${parsed.origin}${config.healthPath}`, deps.clock, { timeoutMs: config.healthTimeoutMs, intervalMs: 100 });
        if (failure) return { ok: false, code: 'unhealthy', message: failure };
        known.set(key(spec.service, spec.version), { state: 'running', url: parsed.origin, restarts: 0 });
        return { ok: true, value: { service: spec.service, version: spec.version, url: parsed.origin } };
      },
      async stop(service, version) {
        known.delete(key(service, version));
      },
      status: (service, version) => known.get(key(service, version)) ?? { state: 'stopped', restarts: 0 },
    };
  },
} satisfies RuntimeDefinition<typeof configSchema>;
