import type {
  ErrorCode} from '@openfeature/server-sdk';
import {
  type EvaluationContext, type JsonValue, type Logger, type Provider, type ResolutionDetails, OpenFeatureEventEmitter, ProviderEvents, StandardResolutionReasons,
} from '@openfeature/server-sdk';
import { type FlagSet, type FlagValueTypes, type RequestedType, createFlagSet, evaluate, parseFlagSet } from '../domain/flags/index.js';

export interface RampartProviderOptions {
  /** Rampart server, e.g. http://127.0.0.1:8080 */
  server: string;
  /** A read-only client key (`rck_…`) or an API token. */
  clientKey: string;
  /** How often to ask for changes (ETag polling; unchanged sets cost a 304). Default 1000 ms. */
  pollIntervalMs?: number;
}

/**
 * An OpenFeature server provider that evaluates in process. It syncs the whole flag set from
 * Rampart (`GET /api/v1/flags/snapshot`, polled with If-None-Match) and evaluates with the same
 * code as the server, so an evaluation costs no network call. Emits ConfigurationChanged with
 * the changed keys, Stale while the server cannot be reached, and Ready again when it can.
 */
export class RampartProvider implements Provider {
  readonly metadata = { name: 'rampart' } as const;
  readonly runsOn = 'server' as const;
  readonly events = new OpenFeatureEventEmitter();
  private flagSet: FlagSet = createFlagSet([]);
  private etag: string | undefined;
  private snapshot: Record<string, string> = {};
  private timer: NodeJS.Timeout | undefined;
  private stale = false;
  private readonly options: Required<RampartProviderOptions>;

  constructor(options: RampartProviderOptions) {
    this.options = { pollIntervalMs: 1000, ...options, server: options.server.replace(/\/+$/, '') };
  }

  async initialize(): Promise<void> {
    await this.sync();
    this.timer = setInterval(() => void this.poll(), this.options.pollIntervalMs);
    this.timer.unref();
  }

  async onClose(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
  }

  private async poll(): Promise<void> {
    try {
      await this.sync();
      if (this.stale) {
        this.stale = false;
        this.events.emit(ProviderEvents.Ready);
      }
    } catch (err) {
      if (!this.stale) {
        this.stale = true;
        this.events.emit(ProviderEvents.Stale, { message: (err as Error).message });
      }
    }
  }

  /** Fetches the snapshot when it changed; throws when the server answers with an error. */
  private async sync(): Promise<void> {
    const headers: Record<string, string> = { 'x-api-key': this.options.clientKey };
    if (this.etag) headers['if-none-match'] = this.etag;
    const res = await fetch(`${this.options.server}/api/v1/flags/snapshot`, { headers });
    if (res.status === 304) return;
    if (!res.ok) throw new Error(`Rampart answered ${res.status} to the flag snapshot request`);
    const document = (await res.json()) as { flags: Record<string, unknown> };
    const parsed = parseFlagSet(document);
    if (!parsed.ok) throw new Error(`Rampart sent a flag set that does not parse: ${parsed.errors[0]?.message}`);
    const next: Record<string, string> = {};
    for (const [key, def] of Object.entries(document.flags)) next[key] = JSON.stringify(def);
    const changed = [...new Set([...Object.keys(next), ...Object.keys(this.snapshot)])].filter((k) => next[k] !== this.snapshot[k]);
    const first = this.etag === undefined;
    this.flagSet = parsed.flagSet;
    this.snapshot = next;
    this.etag = res.headers.get('etag') ?? undefined;
    if (!first && changed.length > 0) this.events.emit(ProviderEvents.ConfigurationChanged, { flagsChanged: changed });
  }

  private resolve<K extends RequestedType>(key: string, type: K, defaultValue: FlagValueTypes[K], context: EvaluationContext): ResolutionDetails<FlagValueTypes[K]> {
    const d = evaluate(this.flagSet, key, type, defaultValue, context as never, Date.now);
    return {
      value: d.value,
      ...(d.variant === undefined ? {} : { variant: d.variant }),
      reason: d.reason ?? StandardResolutionReasons.UNKNOWN,
      ...(d.errorCode ? { errorCode: d.errorCode as ErrorCode, errorMessage: d.errorMessage ?? d.errorCode } : {}),
      flagMetadata: d.flagMetadata ?? {},
    };
  }

  async resolveBooleanEvaluation(key: string, defaultValue: boolean, context: EvaluationContext, _logger?: Logger) {
    return this.resolve(key, 'boolean', defaultValue, context);
  }

  async resolveStringEvaluation(key: string, defaultValue: string, context: EvaluationContext, _logger?: Logger) {
    return this.resolve(key, 'string', defaultValue, context);
  }

  async resolveNumberEvaluation(key: string, defaultValue: number, context: EvaluationContext, _logger?: Logger) {
    return this.resolve(key, 'float', defaultValue, context);
  }

  async resolveObjectEvaluation<T extends JsonValue>(key: string, defaultValue: T, context: EvaluationContext, _logger?: Logger) {
    return this.resolve(key, 'object', defaultValue as never, context) as ResolutionDetails<T>;
  }
}
