/** An in-process publish/subscribe of events (rollout started, step, aborted…), for SSE clients. */
export interface EventBus {
  emit(event: { type: string; [key: string]: unknown }): void;
  subscribe(listener: (event: { type: string; [key: string]: unknown }) => void): () => void;
}

export function createEventBus(): EventBus {
  const listeners = new Set<(event: { type: string; [key: string]: unknown }) => void>();
  return {
    emit(event) {
      for (const l of listeners) {
        try {
          l(event);
        } catch {
          // A failing subscriber (a closed stream) must not stop the others.
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
