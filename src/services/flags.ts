import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { diffJson } from '../domain/flags/diff.js';
import {
  type CompiledFlag, type EvaluationContext, type FlagSet, type JsonObject, type RequestedType, type ResolutionDetails,
  compileFeatureConfig, createFlagSet, evaluate, formatFlagIssue, parseFlagDefinition,
} from '../domain/flags/index.js';
import type { Clock } from '../platform/clock.js';
import { RampartError } from '../platform/errors.js';
import type { FlagRow } from '../store/flag-repositories.js';
import type { Database } from '../store/schema.js';
import type { Store } from '../store/types.js';
import type { AuditLog } from './audit-log.js';

export interface Actor {
  actor: string;
}

/** A flag as the API shows it. */
export interface FlagView {
  key: string;
  state: string;
  defaultVariant: string | null;
  variants: Record<string, unknown>;
  definition: Record<string, unknown>;
  source: Record<string, unknown> | null;
  version: number;
  updatedAt: string;
  updatedBy: string;
  /** Share of evaluations a plain `fractional` on/off rollout sends to a non-default variant, if it is one. */
  rolloutPercent: number | null;
  kill: Record<string, unknown> | null;
}

/** The change a caller asks for: a flagd definition, or the spec's friendly featureConfig form. */
export type FlagInput = { definition: Record<string, unknown> } | { featureConfig: Record<string, unknown> };

/** Killed flags serve their default variant: targeting is dropped and the kill is in metadata. */
function servedDefinition(row: FlagRow): Record<string, unknown> {
  if (!row.kill) return row.definition;
  const { targeting: _t, ...rest } = row.definition;
  const metadata = { ...(row.definition.metadata as Record<string, unknown> | undefined), killSwitch: 'tripped', killedAt: String(row.kill.at ?? '') };
  return { ...rest, metadata };
}

function rolloutPercent(definition: Record<string, unknown>): number | null {
  // Recognises the shapes Rampart writes: {fractional: [[on, w], [off, w]]} at the top, or as the
  // last branch of an `or`/`if`.
  const find = (node: unknown): Array<[string, number]> | undefined => {
    if (!node || typeof node !== 'object') return undefined;
    if (Array.isArray(node)) {
      for (const n of node) {
        const f = find(n);
        if (f) return f;
      }
      return undefined;
    }
    const obj = node as Record<string, unknown>;
    if (Array.isArray(obj.fractional)) {
      return obj.fractional.filter((e): e is [string, number] => Array.isArray(e) && typeof e[0] === 'string')
        .map((e) => [e[0], typeof e[1] === 'number' ? e[1] : 1]);
    }
    for (const v of Object.values(obj)) {
      const f = find(v);
      if (f) return f;
    }
    return undefined;
  };
  const buckets = find(definition.targeting);
  if (!buckets) return null;
  const total = buckets.reduce((s, [, w]) => s + w, 0);
  const off = buckets.filter(([v]) => v === definition.defaultVariant).reduce((s, [, w]) => s + w, 0);
  return total > 0 ? Math.round(((total - off) / total) * 10_000) / 100 : null;
}

function view(row: FlagRow): FlagView {
  const d = row.definition;
  return {
    key: row.key, state: String(d.state), defaultVariant: (d.defaultVariant as string | null | undefined) ?? null,
    variants: (d.variants as Record<string, unknown>) ?? {}, definition: d, source: row.source, version: row.version,
    updatedAt: row.updatedAt, updatedBy: row.updatedBy, rolloutPercent: rolloutPercent(d), kill: row.kill,
  };
}

export function createFlagService(store: Store, audit: AuditLog, clock: Clock) {
  let flagSet: FlagSet = createFlagSet([]);
  let etag = '"0"';
  let snapshotJson = '{"flags":{}}';
  const listeners = new Set<() => void>();
  const nowIso = () => new Date(clock.now()).toISOString();

  async function segmentMap(): Promise<Map<string, string[]>> {
    return new Map((await store.segments.list()).map((s) => [s.name, s.members]));
  }

  /** Rebuilds the compiled set and its snapshot from the store; call after every change. */
  async function reload(): Promise<void> {
    const rows = await store.flags.list();
    const compiled: CompiledFlag[] = [];
    const served: Record<string, unknown> = {};
    for (const row of rows) {
      const def = servedDefinition(row);
      const parsed = parseFlagDefinition(row.key, def, {});
      if (parsed.flag) compiled.push(parsed.flag);
      served[row.key] = def;
    }
    flagSet = createFlagSet(compiled);
    snapshotJson = JSON.stringify({ flags: served });
    etag = `"${createHash('sha256').update(snapshotJson).digest('base64url').slice(0, 27)}"`;
    for (const l of listeners) l();
  }

  /** Turns a request into a validated flagd definition (friendly form compiled with the segments). */
  async function toDefinition(key: string, input: FlagInput): Promise<{ definition: JsonObject; source: JsonObject | null }> {
    if ('featureConfig' in input) {
      const cfg = { ...input.featureConfig, name: input.featureConfig.name ?? key };
      if (cfg.name !== key) throw new RampartError('VALIDATION_FAILED', `featureConfig.name "${String(cfg.name)}" differs from the flag key "${key}"`);
      const r = compileFeatureConfig(cfg, await segmentMap());
      if (!r.ok) throw new RampartError('VALIDATION_FAILED', r.errors.map(formatFlagIssue).join('; '), { issues: r.errors });
      return { definition: r.value.definition, source: cfg as unknown as JsonObject };
    }
    const definition = input.definition as JsonObject;
    const parsed = parseFlagDefinition(key, definition, {}, { strictTargeting: true });
    if (parsed.errors.length > 0 || !parsed.flag) {
      throw new RampartError('VALIDATION_FAILED', parsed.errors.map(formatFlagIssue).join('; ') || `flag "${key}" is not valid`, { issues: parsed.errors });
    }
    return { definition, source: null };
  }

  /**
   * Writes a new version of `key` with its diff, in one transaction with its audit event. Fails
   * with CONFLICT when someone else changed the flag since `base` was read.
   */
  async function writeVersion(key: string, base: FlagRow | undefined, next: { definition: JsonObject; source: JsonObject | null; kill: FlagRow['kill']; guardState: FlagRow['guardState'] }, action: string, reason: string, by: Actor) {
    const version = (base?.version ?? 0) + 1;
    const diff = diffJson(base?.definition ?? {}, next.definition);
    const at = nowIso();
    const row: FlagRow = { key, definition: next.definition, source: next.source, version, updatedAt: at, updatedBy: by.actor, kill: next.kill, guardState: next.guardState };
    await audit.record(
      { actor: by.actor, action, subject: { kind: 'flag', id: key }, payload: { version, reason, diff } },
      async (trx: Kysely<Database>) => {
        const current = await store.flags.get(key, trx);
        if ((current?.version ?? 0) !== (base?.version ?? 0)) {
          throw new RampartError('CONFLICT', `flag "${key}" changed meanwhile (now version ${current?.version}); read it again and retry`);
        }
        await store.flags.save(row, { key, version, definition: next.definition, source: next.source, actor: by.actor, reason, diff, time: at }, trx);
      },
    );
    await reload();
    return view(row);
  }

  function requireReason(reason: string | undefined): string {
    if (!reason?.trim()) throw new RampartError('VALIDATION_FAILED', 'a reason is required for every flag change (--reason)', { field: 'reason' });
    return reason.trim();
  }

  async function mustGet(key: string): Promise<FlagRow> {
    const row = await store.flags.get(key);
    if (!row) throw new RampartError('NOT_FOUND', `no flag "${key}"; see \`rampart flags list\``);
    return row;
  }

  async function setState(key: string, state: 'ENABLED' | 'DISABLED', reason: string | undefined, by: Actor) {
    const base = await mustGet(key);
    const definition = { ...base.definition, state } as JsonObject;
    // Enabling a killed flag is the explicit human decision that clears the kill switch.
    const kill = state === 'ENABLED' ? null : base.kill;
    // The friendly source follows, so a later recompile (a segment change) keeps the new state.
    const source = base.source ? ({ ...base.source, enabled: state === 'ENABLED' } as JsonObject) : null;
    return writeVersion(key, base, { definition, source, kill, guardState: state === 'ENABLED' ? null : base.guardState },
      state === 'ENABLED' ? 'flag.enable' : 'flag.disable', requireReason(reason), by);
  }

  return {
    reload,
    /** Called after every change of the served flag set (for the snapshot stream). */
    onChange(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    current: () => ({ flagSet, etag, snapshotJson }),
    list: async () => (await store.flags.list()).map(view),
    get: async (key: string) => view(await mustGet(key)),
    history: async (key: string) => {
      await mustGet(key);
      return store.flags.history(key);
    },

    async set(key: string, input: FlagInput, reason: string | undefined, by: Actor) {
      const why = requireReason(reason);
      const base = await store.flags.get(key);
      const next = await toDefinition(key, input);
      return writeVersion(key, base, { ...next, kill: base?.kill ?? null, guardState: base?.guardState ?? null }, base ? 'flag.update' : 'flag.create', why, by);
    },
    mustGet,
    enable: (key: string, reason: string | undefined, by: Actor) => setState(key, 'ENABLED', reason, by),
    disable: (key: string, reason: string | undefined, by: Actor) => setState(key, 'DISABLED', reason, by),

    /** Imports a flagd flag-set document: every flag validated first; nothing is written if one is bad. */
    async import(document: unknown, reason: string | undefined, by: Actor) {
      const why = requireReason(reason);
      if (!document || typeof document !== 'object' || !('flags' in document)) {
        throw new RampartError('VALIDATION_FAILED', 'a flagd document needs a "flags" object');
      }
      const doc = document as { flags: Record<string, unknown>; $evaluators?: JsonObject };
      const prepared: Array<{ key: string; definition: JsonObject }> = [];
      const problems: string[] = [];
      for (const [key, raw] of Object.entries(doc.flags ?? {})) {
        const parsed = parseFlagDefinition(key, raw, doc.$evaluators ?? {}, { strictTargeting: true });
        if (parsed.errors.length > 0 || !parsed.flag) problems.push(...parsed.errors.map(formatFlagIssue));
        else {
          const { compiled: _c, variantNames: _v, key: _k, bucketingVersion, ...rest } = parsed.flag;
          prepared.push({ key, definition: { ...rest, ...(bucketingVersion === 'v1' ? { bucketingVersion } : {}), targeting: parsed.flag.targeting ?? {} } as unknown as JsonObject });
        }
      }
      if (problems.length > 0) throw new RampartError('VALIDATION_FAILED', problems.join('; '), { problems });
      const results: FlagView[] = [];
      for (const p of prepared) {
        const base = await store.flags.get(p.key);
        results.push(await writeVersion(p.key, base, { definition: p.definition, source: null, kill: base?.kill ?? null, guardState: base?.guardState ?? null }, base ? 'flag.update' : 'flag.create', why, by));
      }
      return results;
    },

    evaluate<K extends RequestedType>(key: string, type: K, defaultValue: Parameters<typeof evaluate<K>>[3], context: EvaluationContext | undefined): ResolutionDetails<Parameters<typeof evaluate<K>>[3]> {
      return evaluate(flagSet, key, type, defaultValue, context, clock.now);
    },

    async putSegment(name: string, members: string[], by: Actor) {
      if (!/^[A-Za-z0-9][\w.-]*$/.test(name)) throw new RampartError('VALIDATION_FAILED', `segment name "${name}": letters, digits, ".", "_" and "-" only`);
      const at = nowIso();
      await audit.record({ actor: by.actor, action: 'segment.put', subject: { kind: 'segment', id: name }, payload: { members: members.length } },
        (trx) => store.segments.put(name, [...new Set(members)], at, by.actor, trx));
      // Flags written in the friendly form are compiled again with the new members.
      const rows = await store.flags.list();
      for (const row of rows.filter((r) => r.source && JSON.stringify(r.source).includes(`"${name}"`))) {
        const next = await toDefinition(row.key, { featureConfig: row.source as Record<string, unknown> });
        await writeVersion(row.key, row, { ...next, kill: row.kill, guardState: row.guardState }, 'flag.update', `segment ${name} changed`, by);
      }
      await reload();
      return { name, members: [...new Set(members)], updatedAt: at, updatedBy: by.actor };
    },
    listSegments: () => store.segments.list(),
  };
}

export type FlagService = ReturnType<typeof createFlagService>;
