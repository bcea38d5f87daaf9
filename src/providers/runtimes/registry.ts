/**
 * The runtime types Rampart knows. An unknown type or a rejected config is a configuration error
 * returned as data, never a fallback.
 */
import { processRuntime } from './process.js';
import { staticUrlRuntime } from './static-url.js';
import type { RuntimeDefinition, RuntimeDeps, VersionRuntime } from './types.js';

export const runtimeDefinitions: readonly RuntimeDefinition[] = [processRuntime, staticUrlRuntime];

export type CreateRuntimeResult =
  | { ok: true; runtime: VersionRuntime }
  | { ok: false; code: 'unknown_type' | 'invalid_config'; message: string };

export function findRuntimeDefinition(type: string): RuntimeDefinition | undefined {
  return runtimeDefinitions.find((d) => d.type === type);
}

/** Validates `config` against the type's schema and creates the runtime; `path` prefixes messages. */
export async function createRuntime(type: string, config: unknown, deps: RuntimeDeps, path = 'runtime'): Promise<CreateRuntimeResult> {
  const def = findRuntimeDefinition(type);
  if (!def) return { ok: false, code: 'unknown_type', message: `${path}.type "${type}" is not a runtime type; use one of: ${runtimeDefinitions.map((d) => d.type).join(', ')}` };
  const parsed = def.configSchema.safeParse(config ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return { ok: false, code: 'invalid_config', message: `${path}.${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}` };
  }
  return { ok: true, runtime: await def.create(parsed.data, deps) };
}
