/**
 * Runtimes: how a service version runs and where it answers. A runtime starts a version, reports
 * its state and stops it; the router then points traffic at the URL it returned. Calls never throw:
 * failures come back as data with a code and a message naming the cause and the fix.
 */
import type { z } from 'zod';
import type { Clock } from '../../platform/clock.js';
import type { Logger } from '../../platform/logger.js';

export interface VersionSpec {
  service: string;
  version: string;
  /** Extra environment for this version (process runtime), after the configured env. */
  env?: Record<string, string>;
}

export interface RunningVersion {
  service: string;
  version: string;
  /** Where the version answers, e.g. http://127.0.0.1:41234 (no path). */
  url: string;
  pid?: number;
}

export type RuntimeState = 'starting' | 'running' | 'restarting' | 'stopped' | 'failed';

export interface VersionStatus {
  state: RuntimeState;
  url?: string;
  restarts: number;
  /** Why the version failed or last exited, when it did. */
  lastError?: string;
}

/**
 * invalid: the spec is wrong; start_failed: the version could not be launched or exited while
 * starting; unhealthy: it ran but never passed its health check in time.
 */
export type RuntimeErrorCode = 'invalid' | 'start_failed' | 'unhealthy';

export type RuntimeResult<T> = { ok: true; value: T } | { ok: false; code: RuntimeErrorCode; message: string };

export interface VersionRuntime {
  readonly type: string;
  /** Starts the version and resolves once it is healthy. Idempotent: a running version answers its current URL. */
  start(spec: VersionSpec): Promise<RuntimeResult<RunningVersion>>;
  /** Stops the version (graceful, then forced). Idempotent; unknown versions are already stopped. */
  stop(service: string, version: string): Promise<void>;
  status(service: string, version: string): VersionStatus;
  /** Optional lifecycle: stops every version this runtime started. */
  close?(): Promise<void>;
  /**
   * Optional: the OS processes of the versions running now (process runtime), for CPU and memory
   * sampling. A restarted version answers its new pid; a stopped or failed one is left out.
   */
  processes?(): Array<{ service: string; version: string; pid: number }>;
}

export interface RuntimeDeps {
  clock: Clock;
  logger: Logger;
  /** Rampart's data directory; logs go under `<dataDir>/logs` unless configured otherwise. */
  dataDir: string;
}

export interface RuntimeDefinition<Schema extends z.ZodType = z.ZodType> {
  readonly type: string;
  readonly description: string;
  readonly configSchema: Schema;
  create(config: z.output<Schema>, deps: RuntimeDeps): Promise<VersionRuntime>;
}
