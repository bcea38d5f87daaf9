/**
 * A small map whose entries expire after `ttlMs` on the given clock. Used to keep credential
 * lookups off the store on hot paths: a revocation in this process deletes the entry at once;
 * another process sharing the store sees it within `ttlMs`.
 */
export function createTtlCache<V>(ttlMs: number, now: () => number, maxEntries = 10_000) {
  const entries = new Map<string, { value: V; expires: number }>();
  return {
    get(key: string): V | undefined {
      const e = entries.get(key);
      if (!e) return undefined;
      if (e.expires <= now()) {
        entries.delete(key);
        return undefined;
      }
      return e.value;
    },
    set(key: string, value: V): void {
      if (entries.size >= maxEntries) entries.delete(entries.keys().next().value as string);
      entries.set(key, { value, expires: now() + ttlMs });
    },
    clear: () => entries.clear(),
  };
}
