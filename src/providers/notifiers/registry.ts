import { redact, scrub, secretValues } from './secrets.js';
import type { NotificationEvent, Notifier, NotifierDefinition, NotifierDeps } from './types.js';

/** A configuration problem found while building notifiers: a value naming the fix, never a throw. */
export interface NotifierConfigProblem {
  readonly code: 'NOTIFIER_UNKNOWN' | 'NOTIFIER_CONFIG' | 'NOTIFIER_DUPLICATE';
  /** e.g. "notifications.notifiers[1].config.routingKey". */
  readonly path: string;
  readonly message: string;
}

/** One configured notifier, as rampart.yaml has it. */
export interface NotifierEntry {
  readonly name: string;
  readonly type: string;
  /** Event type globs (`*` matches any run of characters): `rollout.*`, `flag.killed`, `*`. */
  readonly events: readonly string[];
  readonly config?: Readonly<Record<string, unknown>>;
}

/** A created notifier with what the outbox and the API need around it. */
export interface NamedNotifier {
  readonly name: string;
  readonly type: string;
  readonly events: readonly string[];
  readonly notifier: Notifier;
  /** True when the notifier wants `event` (its globs match and it accepts it). */
  wants(event: NotificationEvent): boolean;
  /** The config with secrets replaced by "[redacted]": the only form shown or logged. */
  readonly redactedConfig: Readonly<Record<string, unknown>>;
  /** `text` with this notifier's secret values replaced by "[redacted]" (for error messages). */
  scrub(text: string): string;
}

export type NotifierSetResult = { ok: true; notifiers: readonly NamedNotifier[] } | { ok: false; problems: readonly NotifierConfigProblem[] };

/** `*` matches any run of characters; everything else literally. */
export function globMatches(glob: string, type: string): boolean {
  const pattern = glob.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('.*');
  return new RegExp(`^${pattern}$`).test(type);
}

export interface NotifierRegistry {
  readonly types: readonly string[];
  definition(type: string): NotifierDefinition | undefined;
  /**
   * Validates every entry against its definition's schema and creates the notifiers. An unknown
   * type is an error naming the known ones (never a silent fallback), as are two entries with
   * one name. Nothing is created unless all entries are valid. Problems never quote a config value.
   */
  createSet(entries: readonly NotifierEntry[], deps: NotifierDeps, path?: string): NotifierSetResult;
}

/** A registry over the given definitions (the composition root passes the concrete ones). */
export function createNotifierRegistry(definitions: readonly NotifierDefinition<never>[]): NotifierRegistry {
  const byType = new Map<string, NotifierDefinition>();
  for (const d of definitions) byType.set(d.type, d as unknown as NotifierDefinition);
  const types = [...byType.keys()].sort();
  return {
    types,
    definition: (type) => byType.get(type),
    createSet(entries, deps, path = 'notifications.notifiers') {
      const problems: NotifierConfigProblem[] = [];
      const planned: Array<() => NamedNotifier> = [];
      const names = new Map<string, string>();
      entries.forEach((entry, i) => {
        const at = `${path}[${i}]`;
        const before = names.get(entry.name);
        if (before) problems.push({ code: 'NOTIFIER_DUPLICATE', path: `${at}.name`, message: `notifier name "${entry.name}" is also used by ${before}; names must be unique` });
        names.set(entry.name, at);
        const definition = byType.get(entry.type);
        if (!definition) {
          problems.push({ code: 'NOTIFIER_UNKNOWN', path: `${at}.type`, message: `unknown notifier type "${entry.type}"; known types: ${types.join(', ')}` });
          return;
        }
        const parsed = definition.configSchema.safeParse(entry.config ?? {});
        if (!parsed.success) {
          for (const issue of parsed.error.issues) {
            const field = issue.path.map(String).join('.');
            // zod messages describe the rule, never the value, so a bad secret is not echoed.
            problems.push({ code: 'NOTIFIER_CONFIG', path: `${at}.config${field ? `.${field}` : ''}`, message: `${entry.type}: ${issue.message}` });
          }
          return;
        }
        const config = parsed.data as Record<string, unknown>;
        planned.push(() => {
          const notifier = definition.create(config, deps);
          const secrets = secretValues(definition.configSchema, config);
          return {
            name: entry.name, type: entry.type, events: [...entry.events], notifier,
            wants: (e) => entry.events.some((g) => globMatches(g, e.type)) && (notifier.accepts?.(e) ?? true),
            redactedConfig: redact(definition.configSchema, config),
            scrub: (text) => scrub(text, secrets),
          };
        });
      });
      if (problems.length > 0) return { ok: false, problems };
      return { ok: true, notifiers: planned.map((make) => make()) };
    },
  };
}
