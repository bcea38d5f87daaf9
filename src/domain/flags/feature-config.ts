/**
 * The spec's friendly flag form (`featureConfig`) compiled into a flagd flag definition.
 *
 * Semantics (documented because the spec leaves them open):
 * - variants are `on: true` / `off: false`; `off` is the default variant;
 * - a user is `on` when their targeting key is in any allow-listed segment, OR any attribute
 *   rule matches, OR they fall inside the percentage rollout; otherwise `off`;
 * - without `rollout` the percentage is 0 when targeting is given ("only these users") and 100
 *   otherwise (a plain on/off flag);
 * - `sticky: true` (default) buckets on flagKey + targetingKey (flagd's default key), so a user
 *   keeps their answer and only gains exposure as the percentage grows; `sticky: false` adds
 *   `$flagd.timestamp` to the key, re-rolling every second;
 * - weights are basis points (percentage × 100, total 10 000) so 0.01 % steps are exact.
 * `metrics` and `killSwitch` are not evaluation inputs: they come back in `guard` for the
 * kill-switch logic, and the thresholds are also copied into the flag's metadata.
 */
import { z } from 'zod';
import type { JsonObject, JsonValue } from './json-value.js';
import type { CompiledFlag, FlagIssue } from './flag-model.js';
import { parseFlagDefinition } from './parse-flag-set.js';

const scalar = z.union([z.string(), z.number(), z.boolean()]);

export const ruleOperators = ['in', 'not_in', 'eq', 'neq', 'lt', 'lte', 'gt', 'gte', 'starts_with', 'ends_with',
  'semver_eq', 'semver_lt', 'semver_lte', 'semver_gt', 'semver_gte'] as const;
export type RuleOperator = (typeof ruleOperators)[number];

const rule = z.strictObject({
  attribute: z.string().min(1),
  operator: z.enum(ruleOperators),
  values: z.array(scalar).min(1),
});

const criterion = z.strictObject({ operator: z.enum(['lt', 'lte', 'gt', 'gte', 'eq']), value: z.number() });

export const featureConfigSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'letters, digits, ".", "_" and "-" only'),
  description: z.string().optional(),
  enabled: z.boolean().default(true),
  rollout: z
    .strictObject({
      type: z.literal('percentage'),
      percentage: z.number().min(0).max(100).multipleOf(0.01),
      sticky: z.boolean().default(true),
    })
    .optional(),
  targeting: z
    .strictObject({
      allowList: z.array(z.string().min(1)).default([]),
      rules: z.array(rule).default([]),
    })
    .optional(),
  metrics: z
    .strictObject({
      track: z.array(z.string().min(1)).default([]),
      successCriteria: z.record(z.string(), criterion).default({}),
    })
    .optional(),
  killSwitch: z
    .strictObject({
      errorThreshold: z.number().min(0).max(1).optional(),
      latencyThreshold: z.number().positive().optional(),
    })
    .optional(),
});

export type FeatureConfig = z.input<typeof featureConfigSchema>;
type Parsed = z.output<typeof featureConfigSchema>;

/** What the kill-switch guard watches for this flag (typed; not used by evaluation). */
export interface FlagGuardSpec {
  readonly track: readonly string[];
  readonly successCriteria: Readonly<Record<string, { readonly operator: 'lt' | 'lte' | 'gt' | 'gte' | 'eq'; readonly value: number }>>;
  /** `undefined` when the flag has no kill switch. */
  readonly killSwitch: { readonly errorThreshold: number | undefined; readonly latencyThresholdMs: number | undefined } | undefined;
}

export interface CompiledFeatureConfig {
  readonly key: string;
  /** The flagd definition to store and serve (contains no Rampart-only operators). */
  readonly definition: JsonObject;
  readonly flag: CompiledFlag;
  readonly guard: FlagGuardSpec;
}

export type CompileFeatureConfigResult =
  | { readonly ok: true; readonly value: CompiledFeatureConfig }
  | { readonly ok: false; readonly errors: readonly FlagIssue[] };

/** Segment name → targeting keys. */
export type Segments = ReadonlyMap<string, readonly string[]>;

const TOTAL_WEIGHT = 10_000;

/** Validates `input` (e.g. parsed YAML) and compiles it. Unknown segments are errors. Never throws. */
export function compileFeatureConfig(input: unknown, segments: Segments): CompileFeatureConfigResult {
  const parsed = featureConfigSchema.safeParse(input);
  const flagKey = typeof (input as { name?: unknown } | null)?.name === 'string' ? (input as { name: string }).name : undefined;
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((issue) => ({ flagKey, field: issue.path.join('.') || '(config)', message: issue.message })),
    };
  }
  const config = parsed.data;
  const errors: FlagIssue[] = [];
  const members = new Set<string>();
  for (const [i, name] of (config.targeting?.allowList ?? []).entries()) {
    const keys = segments.get(name);
    if (keys === undefined) errors.push({ flagKey: config.name, field: `targeting.allowList.${i}`, message: `unknown segment "${name}"; create it first` });
    else keys.forEach((key) => members.add(key));
  }
  for (const [i, r] of (config.targeting?.rules ?? []).entries()) {
    if (!['in', 'not_in'].includes(r.operator) && r.values.length !== 1) {
      errors.push({ flagKey: config.name, field: `targeting.rules.${i}.values`, message: `operator "${r.operator}" takes exactly one value` });
    }
  }
  if (errors.length > 0) return { ok: false, errors };

  const definition = toDefinition(config, [...members].sort());
  const result = parseFlagDefinition(config.name, definition, {}, { strictTargeting: true });
  if (!result.flag) return { ok: false, errors: result.errors };
  return { ok: true, value: { key: config.name, definition, flag: result.flag, guard: toGuard(config) } };
}

function toDefinition(config: Parsed, allowKeys: readonly string[]): JsonObject {
  const conditions: JsonValue[] = [];
  if (allowKeys.length > 0) conditions.push({ in: [{ var: 'targetingKey' }, [...allowKeys]] });
  for (const r of config.targeting?.rules ?? []) conditions.push(ruleLogic(r.attribute, r.operator, r.values));
  const targeted = config.targeting !== undefined && conditions.length > 0;
  const percentage = config.rollout?.percentage ?? (targeted ? 0 : 100);
  const rollout = rolloutLogic(percentage, config.rollout?.sticky ?? true);

  const metadata: JsonObject = { source: 'featureConfig', rolloutPercentage: percentage };
  if (config.killSwitch?.errorThreshold !== undefined) metadata['killSwitchErrorThreshold'] = config.killSwitch.errorThreshold;
  if (config.killSwitch?.latencyThreshold !== undefined) metadata['killSwitchLatencyThresholdMs'] = config.killSwitch.latencyThreshold;
  if (config.description !== undefined) metadata['description'] = config.description;

  const definition: JsonObject = {
    state: config.enabled ? 'ENABLED' : 'DISABLED',
    variants: { on: true, off: false },
    defaultVariant: 'off',
    metadata,
  };
  if (conditions.length > 0) {
    definition['targeting'] = { if: [conditions.length === 1 ? (conditions[0] as JsonValue) : { or: conditions }, 'on', rollout] };
  } else if (rollout !== 'off') {
    definition['targeting'] = typeof rollout === 'string' ? { if: [true, rollout] } : rollout;
  }
  return definition;
}

/** The percentage part: a constant when 0 % or 100 %, else a v2 `fractional` over [on, off]. */
function rolloutLogic(percentage: number, sticky: boolean): JsonValue {
  const onWeight = Math.round(percentage * 100);
  if (onWeight <= 0) return 'off';
  if (onWeight >= TOTAL_WEIGHT) return 'on';
  const buckets: JsonValue[] = [['on', onWeight], ['off', TOTAL_WEIGHT - onWeight]];
  if (sticky) return { fractional: buckets };
  const key = { cat: [{ var: '$flagd.flagKey' }, { var: 'targetingKey' }, { var: '$flagd.timestamp' }] };
  return { fractional: [key, ...buckets] };
}

function ruleLogic(attribute: string, operator: RuleOperator, values: readonly (string | number | boolean)[]): JsonValue {
  const subject = { var: attribute };
  const value = values[0] as string | number | boolean;
  switch (operator) {
    case 'in': return { in: [subject, [...values]] };
    case 'not_in': return { '!': { in: [subject, [...values]] } };
    case 'eq': return { '===': [subject, value] };
    case 'neq': return { '!==': [subject, value] };
    case 'lt': return { '<': [subject, value] };
    case 'lte': return { '<=': [subject, value] };
    case 'gt': return { '>': [subject, value] };
    case 'gte': return { '>=': [subject, value] };
    case 'starts_with': return { starts_with: [subject, value] };
    case 'ends_with': return { ends_with: [subject, value] };
    case 'semver_eq': return { sem_ver: [subject, '=', value] };
    case 'semver_lt': return { sem_ver: [subject, '<', value] };
    case 'semver_lte': return { sem_ver: [subject, '<=', value] };
    case 'semver_gt': return { sem_ver: [subject, '>', value] };
    case 'semver_gte': return { sem_ver: [subject, '>=', value] };
  }
}

function toGuard(config: Parsed): FlagGuardSpec {
  return {
    track: config.metrics?.track ?? [],
    successCriteria: config.metrics?.successCriteria ?? {},
    killSwitch: config.killSwitch
      ? { errorThreshold: config.killSwitch.errorThreshold, latencyThresholdMs: config.killSwitch.latencyThreshold }
      : undefined,
  };
}
