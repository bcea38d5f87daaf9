import { z } from 'zod';
import { strategies } from '../domain/catalog/types.js';

const target = z.number().gt(0, 'must be above 0').lt(100, 'must be below 100 (a percentage such as 99.9)');

const ratioObjective = z.strictObject({ target: target.describe('Objective in percent, e.g. 99.9') });

const slo = z.strictObject({
  availability: ratioObjective.optional(),
  latency: z.strictObject({
    thresholdMs: z.number().positive().describe('Requests faster than this are good, e.g. 500 for "p95 < 500ms"'),
    target: target.describe('Share of requests under the threshold, in percent'),
  }).optional(),
  durability: ratioObjective.optional(),
  completion: ratioObjective.optional(),
  window: z.enum(['7d', '28d', '30d', 'calendar-month']).default('30d'),
  bestEffort: z.boolean().default(false).describe('No objective: no budget, the SLO gate does not apply'),
});

const tier = z.union([z.literal(1), z.literal(2), z.literal(3)], {
  error: 'must be 1 (critical path), 2 (supporting) or 3 (internal)',
});

const serviceName = z.string().regex(/^[a-z0-9][a-z0-9-]*\*?$/, {
  error: 'use lower-case letters, digits and dashes, optionally ending in * for a family (worker-*)',
});

const service = z.strictObject({
  name: serviceName,
  tier,
  description: z.string().default(''),
  owners: z.array(z.string()).default([]),
  strategy: z.enum(strategies).optional(),
  slo: slo.optional(),
});

const tierDefaults = z.strictObject({
  strategy: z.enum(strategies).optional(),
  slo: slo.optional(),
  gates: z.strictObject({
    coverageMin: z.number().min(0).max(100).optional(),
    releaseCaptainApproval: z.boolean().optional(),
    changeWindow: z.boolean().optional(),
  }).optional(),
});

const bounds = z.strictObject({ warning: z.number().min(0).optional(), critical: z.number().min(0).optional() });
const healthOverrides = z.strictObject({
  errorRate: bounds.optional().describe('5xx ratio as a fraction: 0.01 = 1 %'),
  latencyP95Ms: bounds.optional(),
  cpu: bounds.optional().describe('fraction of the CPU limit'),
  memory: bounds.optional().describe('fraction of the memory limit'),
  budgetBurn: bounds.optional().describe('1 h burn rate, as a multiple of sustainable'),
});

const syntheticCheck = z.union([
  z.enum(['health', 'graphql']),
  z.strictObject({
    script: z.strictObject({
      command: z.string().min(1).describe('run with /bin/sh -c; exit code 0 passes; TARGET_URL is set'),
      timeoutSeconds: z.number().positive().default(30),
    }),
  }),
]);

/** The schema of rampart.yaml. Every section is optional; defaults are the spec's. */
export const configSchema = z.strictObject({
  services: z.array(service).optional().describe("The catalog; absent: the spec's 11 services"),
  tiers: z.strictObject({ 1: tierDefaults.optional(), 2: tierDefaults.optional(), 3: tierDefaults.optional() }).optional(),
  server: z.strictObject({
    host: z.string().default('127.0.0.1'),
    port: z.number().int().min(0).max(65535).default(8080),
    bodyLimitBytes: z.number().int().positive().default(10 * 1024 * 1024),
  }).optional(),
  store: z.strictObject({
    sqlitePath: z.string().optional().describe('SQLite file; default <data dir>/rampart.db'),
    url: z.string().regex(/^postgres(ql)?:\/\//, { error: 'must be a postgres:// or postgresql:// URL' }).optional(),
  }).optional(),
  gates: z.strictObject({
    timeZone: z.string().default('UTC').describe('Zone of the default change window (Mon-Thu 09:00-16:00) and of the policy clock'),
    thresholds: z.strictObject({
      defaults: z.record(z.string(), z.unknown()).optional(),
      tiers: z.record(z.string(), z.record(z.string(), z.unknown())).optional(),
    }).optional().describe('coverageMinPct, maxCriticalCves, highCvesFailIn, maxSecrets, minSlsaLevel, requireSignedImage, minErrorBudgetPct, fastBurnMax, maxActiveP1, rollbacks24hBlockAt'),
    windows: z.array(z.strictObject({
      name: z.string().min(1),
      kind: z.enum(['allow', 'deny']),
      schedule: z.string().min(1).describe('cron, read in timeZone, e.g. "0 9 * * 1-4"'),
      duration: z.string().min(1).describe('e.g. 7h or PT7H'),
      timeZone: z.string().optional(),
    })).optional(),
    freezesFile: z.string().optional().describe('deployment_freezes.yaml'),
    authorizedOverriders: z.array(z.string()).default([]),
    emergencyBypasses: z.array(z.string()).optional(),
    trustedBuilders: z.array(z.strictObject({ id: z.string().min(1), level: z.number().int().min(1).max(4) })).default([]),
    signingKeys: z.array(z.string()).default([]).describe('PEM public key files that may sign images and provenance'),
  }).optional(),
  policy: z.strictObject({
    engine: z.enum(['builtin', 'opa-rest']).default('builtin'),
    file: z.string().optional().describe('builtin: a CEL policy file; default policies/release-gate.yaml'),
    url: z.string().url().optional().describe('opa-rest: the OPA server, e.g. http://127.0.0.1:8181'),
    path: z.string().default('companyos/release/decision').describe('opa-rest: the data path of the decision'),
    timeoutMs: z.number().int().positive().default(2000),
  }).optional(),
  slo: z.strictObject({
    prometheusUrl: z.url().optional().describe('Prometheus with the services\' http_requests_total and http_request_duration_seconds series'),
    minRequests: z.number().int().min(1).default(10).describe('fewer requests in a window: insufficient data, never ok'),
  }).optional(),
  traffic: z.strictObject({
    services: z.array(z.strictObject({
      service: z.string().min(1),
      namespace: z.string().default('default'),
      host: z.string().default('127.0.0.1'),
      port: z.number().int().min(0).max(65535).describe('where the built-in proxy listens for this service'),
      stable: z.strictObject({ version: z.string().min(1), url: z.url().optional().describe('absent: the runtime starts it') }),
      canary: z.strictObject({ version: z.string().min(1), url: z.url() }).optional(),
      previewPort: z.number().int().min(0).max(65535).optional().describe('blue-green: a preview listener that serves the new version during a rollout (0: any free port)'),
      runtime: z.strictObject({
        type: z.enum(['process', 'static-url']),
        config: z.record(z.string(), z.unknown()),
      }).optional().describe('how a new version runs: process {command: [...{{version}}, {{port}}], env, healthPath} or static-url {url template | versions}'),
      router: z.strictObject({
        type: z.string().min(1).describe('builtin-proxy (default) | nginx | nop'),
        config: z.record(z.string(), z.unknown()).optional(),
      }).optional().describe('what shifts this service\'s traffic: builtin-proxy {} (listens on host:port), nginx {prefix?, binary?, manage?, workerProcesses?, sticky?} (nginx listens on host:port), nop {} (nothing listens)'),
    })).default([]),
  }).optional().describe('Services fronted by the built-in proxy (static upstreams)'),
  analysis: z.strictObject({
    providers: z.array(z.strictObject({
      type: z.string().min(1),
      config: z.record(z.string(), z.unknown()).optional(),
    })).optional().describe('Metric providers: prometheus {address?, defaultTimeoutSeconds?}, web, job, builtin, static'),
  }).optional(),
  flags: z.strictObject({
    ofrepRatePerSecond: z.number().positive().default(5000).describe('OFREP evaluations per second per client key or token before 429'),
  }).optional(),
  auth: z.strictObject({
    bootstrapAdmin: z.boolean().default(true).describe('Print a one-time admin token at first start when none exists'),
  }).optional(),
  safeguards: z.strictObject({
    health: z.strictObject({
      defaults: healthOverrides.optional(),
      tiers: z.strictObject({ 1: healthOverrides.optional(), 2: healthOverrides.optional(), 3: healthOverrides.optional() }).optional(),
    }).optional().describe("Key-metrics bounds (warning, critical); absent: the spec's table"),
    anomaly: z.strictObject({
      enabled: z.boolean().default(true),
      intervalSeconds: z.number().int().min(1).default(15).describe('how often the built-in metrics are evaluated'),
      minRequests: z.number().int().min(1).default(100).describe('fewer requests in the 5 m window: no verdict (the minimum-traffic guard)'),
    }).optional(),
    saturation: z.strictObject({
      cpuLimitCores: z.number().positive().default(1).describe('CPU limit per version: process_cpu_ratio = cores used / this'),
      memoryLimitMb: z.number().positive().default(512).describe('memory limit per version: process_memory_ratio = RSS / this'),
      sampleSeconds: z.number().int().min(1).default(5),
    }).optional().describe('CPU and memory of versions run by the process runtime, from /proc'),
    synthetics: z.array(z.strictObject({
      service: z.string().min(1),
      url: z.url().describe('base URL of the service, e.g. http://127.0.0.1:4000'),
      schedule: z.string().min(1).default('*/2 * * * *').describe('cron (UTC)'),
      checks: z.array(syntheticCheck).min(1).default(['health', 'graphql']),
    })).default([]),
  }).optional().describe('Runtime safeguards: service health bounds, anomaly detection, synthetic checks'),
  exceptions: z.strictObject({
    types: z.strictObject(Object.fromEntries(['window', 'security', 'slo', 'budget', 'freeze'].map((t) => [t, z.strictObject({
      approvers: z.array(z.string().min(1)).min(1).optional().describe('Roles that must each approve, by different people'),
      limitHours: z.number().positive().nullable().optional().describe('Hours from final approval; null: the request names its expiration'),
      auditLevel: z.enum(['standard', 'high', 'critical']).optional(),
    }).optional()]))).optional().describe("The spec's exception table: window, security, slo, budget, freeze"),
    adminStandsIn: z.boolean().default(false).describe('Let an admin token approve in place of a required role'),
    reviewDueHours: z.number().positive().default(24).describe('A post-deployment review is due this long after first use'),
    overdueReviewBlocks: z.boolean().default(true).describe('Overdue reviews block new exceptions for the service'),
  }).optional(),
  notifications: z.strictObject({
    notifiers: z.array(z.strictObject({
      name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, { error: 'use lower-case letters, digits and dashes' }),
      type: z.string().min(1).describe('webhook | slack | pagerduty | github | nop'),
      events: z.array(z.string().regex(/^[a-z0-9_.*-]+$/, { error: 'an event type or glob such as rollout.* or flag.killed' })).min(1).default(['*']),
      config: z.record(z.string(), z.unknown()).optional().describe('The type\'s settings; secret fields (URLs, keys, tokens) are never shown or logged'),
    })).default([]),
    maxAttempts: z.number().int().min(1).max(100).default(8).describe('Delivery attempts before an outbox row is dead'),
    maxBackoffSeconds: z.number().positive().default(300).describe('Cap of the retry delay (1 s, 2 s, 4 s …)'),
    timeoutMs: z.number().int().positive().default(10_000).describe('Per-attempt HTTP timeout'),
  }).optional().describe('Notifiers fed by the persisted outbox'),
});

export type ConfigFile = z.infer<typeof configSchema>;

export function configJsonSchema(): unknown {
  return z.toJSONSchema(configSchema, { io: 'input' });
}
