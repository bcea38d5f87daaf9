/** Building flag sets from already-compiled flags (e.g. flags stored one by one). */
import type { CompiledFlag, FlagMetadata, FlagSet } from './flag-model.js';

/**
 * A flag set holding `flags` (keyed by their `key`; a later duplicate replaces an earlier one)
 * and the set-level `metadata`. Immutable: derive a new set with `withFlag` / `withoutFlag`.
 */
export function createFlagSet(flags: Iterable<CompiledFlag>, metadata: FlagMetadata = {}): FlagSet {
  const map = new Map<string, CompiledFlag>();
  for (const flag of flags) map.set(flag.key, flag);
  return Object.freeze({ flags: map, metadata: Object.freeze({ ...metadata }) });
}

/** A copy of `set` with `flag` added or replaced. */
export function withFlag(set: FlagSet, flag: CompiledFlag): FlagSet {
  return createFlagSet([...set.flags.values(), flag], set.metadata);
}

/** A copy of `set` without `key` (the same set when `key` is absent). */
export function withoutFlag(set: FlagSet, key: string): FlagSet {
  if (!set.flags.has(key)) return set;
  return createFlagSet([...set.flags.values()].filter((flag) => flag.key !== key), set.metadata);
}
