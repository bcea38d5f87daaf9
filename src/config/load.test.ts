import { describe, expect, it } from 'vitest';
import { defaultConfig, formatProblem, parseConfig } from './load.js';
import { configJsonSchema } from './schema.js';

describe('rampart.yaml', () => {
  it('defaults to the spec catalog', () => {
    const c = defaultConfig();
    expect(c.catalog.services.map((s) => s.name)).toEqual([
      'api', 'graphql-gateway', 'neo4j', 'copilot', 'conductor', 'audit-svc', 'prov-ledger', 'worker-*', 'devtools', 'docs-*', 'sandbox',
    ]);
    expect(Object.isFrozen(c.catalog.services)).toBe(true);
  });

  it('accepts a catalog with tier overrides', () => {
    const r = parseConfig(`
services:
  - name: payments
    tier: 1
    owners: [team-pay]
    slo: { availability: { target: 99.95 }, window: 28d }
tiers:
  3: { strategy: rolling, gates: { coverageMin: 60 } }
server: { port: 9000 }
`);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.catalog.services).toHaveLength(1);
    expect(r.config.catalog.tiers[3]).toMatchObject({ strategy: 'rolling', gates: { coverageMin: 60, releaseCaptainApproval: true } });
    expect(r.config.server).toMatchObject({ port: 9000, host: '127.0.0.1' });
  });

  it.each([
    ['unknown tier', 'services:\n  - name: api\n    tier: 4\n', [{ line: 3, column: 11, path: 'services[0].tier', message: /1 \(critical path\), 2 \(supporting\) or 3/ }]],
    ['duplicate service', 'services:\n  - name: api\n    tier: 1\n  - name: api\n    tier: 2\n', [{ line: 4, path: 'services[1].name', message: /duplicate service "api"/ }]],
    ['YAML syntax error', 'services:\n  - name: api\n   tier: [1\n', [{ line: 3, column: 1, path: '', message: /YAML syntax: Sequence item/ }, { line: 4, path: '', message: /YAML syntax: Flow sequence/ }]],
    ['wrong type', 'server:\n  port: "eighty"\n', [{ line: 2, column: 9, path: 'server.port', message: /number/ }]],
    ['unknown field', 'servers: {}\n', [{ line: 1, column: 1, path: '', message: /unknown field "servers"/ }]],
    ['missing tier', 'services:\n  - name: api\n', [{ line: 2, column: 5, path: 'services[0].tier', message: /1 \(critical path\)/ }]],
    ['bad target', 'services:\n  - name: api\n    tier: 1\n    slo: { availability: { target: 999 } }\n', [{ line: 4, path: 'services[0].slo.availability.target', message: /below 100/ }]],
  ])('%s is reported with line and field', (_name, text, expected) => {
    const r = parseConfig(text, 'x.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems).toHaveLength(expected.length);
    expected.forEach((e, i) => {
      const { message, ...rest } = e;
      expect(r.problems[i]).toMatchObject({ file: 'x.yaml', ...rest });
      expect(r.problems[i]?.message).toMatch(message);
    });
  });

  it('reports every problem, not just the first', () => {
    const r = parseConfig('services:\n  - name: a\n    tier: 9\n  - name: B!\n    tier: 1\n');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems.map(formatProblem)).toEqual([
      expect.stringMatching(/^rampart.yaml:3:11: services\[0\]\.tier: /),
      expect.stringMatching(/^rampart.yaml:4:11: services\[1\]\.name: use lower-case/),
    ]);
  });

  it('reads the exception table with the spec defaults for what is not set, and rejects an unknown type', () => {
    const r = parseConfig('exceptions:\n  reviewDueHours: 12\n  types:\n    window: { limitHours: 2 }\n    freeze: { approvers: [cto] }\n');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.config.exceptions).toMatchObject({
      reviewDueHours: 12, adminStandsIn: false, overdueReviewBlocks: true,
      types: { window: { approvers: ['release-captain'], limitHours: 2 }, freeze: { approvers: ['cto'], limitHours: null }, security: { limitHours: 168 } },
    });
    expect(defaultConfig().exceptions.types.budget).toEqual({ approvers: ['vp-eng'], limitHours: 1, auditLevel: 'critical' });
    const bad = parseConfig('exceptions:\n  types:\n    windw: { limitHours: 2 }\n');
    expect(bad.ok).toBe(false);
  });

  it('prints a JSON Schema', () => {
    const schema = configJsonSchema() as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).toEqual(['services', 'tiers', 'server', 'store', 'gates', 'policy', 'slo', 'traffic', 'analysis', 'flags', 'auth', 'safeguards', 'exceptions', 'notifications']);
  });

  it('reads the notifications section with its defaults, and places a bad event glob', () => {
    expect(defaultConfig().notifications).toEqual({ notifiers: [], maxAttempts: 8, maxBackoffSeconds: 300, timeoutMs: 10_000 });
    const r = parseConfig('notifications:\n  maxAttempts: 3\n  notifiers:\n    - { name: ops, type: slack, config: { webhookUrl: "https://hooks.example/x" } }\n');
    expect(r.ok && r.config.notifications).toEqual({
      notifiers: [{ name: 'ops', type: 'slack', events: ['*'], config: { webhookUrl: 'https://hooks.example/x' } }], maxAttempts: 3, maxBackoffSeconds: 300, timeoutMs: 10_000,
    });
    const bad = parseConfig('notifications:\n  notifiers:\n    - { name: ops, type: nop, events: ["Rollout Aborted"] }\n');
    expect(bad.ok ? [] : bad.problems.map((p) => [p.path, p.line])).toEqual([['notifications.notifiers[0].events[0]', 3]]);
  });
});
