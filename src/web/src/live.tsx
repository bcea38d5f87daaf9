import { useEffect, useRef, useState } from 'react';

/** The rollout events the server streams on `GET /api/v1/events` (src/domain/rollout/effects.ts). */
const rolloutEvents = ['started', 'step', 'paused', 'resumed', 'inconclusive', 'deadline', 'promoted', 'aborted', 'retried', 'undone', 'rollback-verified', 'rollback-unhealthy']
  .map((e) => `rollout.${e}`);

export interface RolloutEvent {
  type: string;
  rollout: string;
  service: string;
  data: { reason?: string; actor?: string; phase?: string; weights?: { canary: number; stable: number } };
}

export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'closed';

/**
 * Subscribes to the server's event stream (same-origin, so the session cookie goes along) and calls
 * `onEvent` for rollout events of `service` (every service when null). EventSource reconnects by
 * itself after a drop; the returned state says whether the page is live right now (`closed`: the
 * server refused the stream, so only a reload brings it back).
 */
export function useRolloutEvents(service: string | null, onEvent: (e: RolloutEvent) => void): StreamState {
  const [state, setState] = useState<StreamState>('connecting');
  const handler = useRef(onEvent);
  handler.current = onEvent;
  useEffect(() => {
    const source = new EventSource('/api/v1/events');
    const on = (m: MessageEvent<string>) => {
      let e: RolloutEvent;
      try {
        e = JSON.parse(m.data) as RolloutEvent;
      } catch {
        return;
      }
      if (service === null || e.service === service) handler.current(e);
    };
    source.addEventListener('hello', () => setState('live'));
    // A dropped stream reconnects by itself; a refused one (401 after the session ended) closes.
    source.onerror = () => setState(source.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
    for (const name of rolloutEvents) source.addEventListener(name, on as EventListener);
    return () => source.close();
  }, [service]);
  return state;
}

/** The current time, re-read every `ms` while `active` (for elapsed and remaining pause times). */
export function useNow(ms: number, active = true): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms, active]);
  return now;
}

/** 75_000 → "1 min 15 s"; 3_900_000 → "1 h 5 min". Negative durations read as 0 s. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 ? `${m} min ${s % 60} s` : `${m} min`;
  const h = Math.floor(m / 60);
  if (h < 48) return m % 60 ? `${h} h ${m % 60} min` : `${h} h`;
  return `${Math.floor(h / 24)} d ${h % 24} h`;
}
