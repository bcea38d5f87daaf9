import { type AlertState, stepAlert } from '../domain/anomaly/alert-state.js';
import type { AnomalyRule } from '../domain/anomaly/rules.js';
import { type AnomalySignal, type MinuteCounts, evaluateSignal } from '../domain/anomaly/signal.js';
import type { Clock } from '../platform/clock.js';
import { newId } from '../platform/ids.js';
import type { Logger } from '../platform/logger.js';
import type { MetricsStore } from '../proxy/metrics-store.js';
import type { AlertRow } from '../store/safeguard-repositories.js';
import type { Store } from '../store/types.js';

/** What a notifier is told: an alert opened (firing) or closed (resolved). */
export interface AlertNotification {
  transition: 'firing' | 'resolved';
  alert: AlertRow;
}

/** Delivers alert notifications (Slack, PagerDuty…); the default does nothing. A failure is logged, never retried here. */
export type AlertNotifier = (n: AlertNotification) => Promise<void> | void;

export interface AnomalyServiceOptions {
  store: Pick<Store, 'alerts'>;
  clock: Clock;
  metrics: Pick<MetricsStore, 'countsOver' | 'versions' | 'series'>;
  /** The services to watch (those fronted by the built-in proxy). */
  services: () => readonly string[];
  rules: readonly AnomalyRule[];
  /** Evaluation period in milliseconds. */
  intervalMs: number;
  notify?: AlertNotifier;
  logger?: Logger;
}

/** Minutes of history read from the data plane: its ring holds one hour of seconds. */
const historyMinutes = 60;

/**
 * Runs the anomaly rules against the built-in proxy's counters on the work queue: each
 * `evaluate()` reads the last hour per service as per-minute counts, steps every rule's alert
 * state, stores an alert when one fires and resolves it when its condition clears. Pending state
 * lives in memory (as in Prometheus); firing alerts are reloaded at `start()` so they resolve.
 */
export function createAnomalyService(o: AnomalyServiceOptions) {
  const states = new Map<string, AlertState & { alertId?: string }>();
  const last = new Map<string, AnomalySignal>();
  const notify = o.notify ?? (() => undefined);
  const keyOf = (service: string, rule: string) => `${service}\u0000${rule}`;

  function minutesOf(service: string, now: number): { minutes: MinuteCounts[]; bounds: readonly number[] } {
    const versions = o.metrics.versions(service);
    const bounds = versions.length > 0 ? o.metrics.series(service, versions[0]!).bounds : [];
    const minutes: MinuteCounts[] = [];
    for (let k = historyMinutes - 1; k >= 0; k--) {
      const end = now - k * 60_000;
      const m = { requests: 0, errors: 0, buckets: new Array<number>(bounds.length + 1).fill(0) };
      for (const v of versions) {
        const c = o.metrics.countsOver(service, v, 60, end);
        m.requests += c.requests;
        m.errors += c.errors;
        c.buckets.forEach((n, b) => (m.buckets[b]! += n));
      }
      minutes.push(m);
    }
    return { minutes, bounds };
  }

  async function tell(n: AlertNotification) {
    try {
      await notify(n);
    } catch (err) {
      o.logger?.warn({ err, alert: n.alert.id }, 'alert notification failed');
    }
  }

  return {
    /** Reloads firing alerts so a restart can still resolve them. Call once before the first evaluate. */
    async start() {
      for (const a of await o.store.alerts.firing()) {
        states.set(keyOf(a.service, a.rule), { phase: 'firing', activeSince: Date.parse(a.openedAt), firedAt: Date.parse(a.openedAt), alertId: a.id });
      }
    },

    /** One evaluation of every rule for every service; returns the delay until the next. */
    async evaluate(): Promise<number> {
      const now = o.clock.now();
      for (const service of o.services()) {
        const { minutes, bounds } = minutesOf(service, now);
        for (const rule of o.rules) {
          const key = keyOf(service, rule.name);
          const signal = evaluateSignal(rule, minutes, bounds);
          last.set(key, signal);
          const prev = states.get(key) ?? { phase: 'inactive' };
          const step = stepAlert(prev, signal, rule, now);
          let alertId = prev.alertId;
          if (step.transition === 'firing') {
            const alert: AlertRow = {
              id: newId('al_', now), service, rule: rule.name, severity: rule.severity, state: 'firing',
              openedAt: new Date(now).toISOString(), resolvedAt: null,
              summary: `${rule.name} for ${service}: ${signal.reason}`, detail: { opened: { ...signal, activeSince: new Date(step.state.activeSince ?? now).toISOString() } },
            };
            await o.store.alerts.insert(alert);
            alertId = alert.id;
            await tell({ transition: 'firing', alert });
          } else if (step.transition === 'resolved' && alertId) {
            const at = new Date(now).toISOString();
            const alert = (await o.store.alerts.list({ service, state: 'firing', limit: 100 })).find((a) => a.id === alertId);
            const detail = { ...(alert?.detail ?? {}), resolved: signal };
            if (await o.store.alerts.resolve(alertId, at, detail) && alert) await tell({ transition: 'resolved', alert: { ...alert, state: 'resolved', resolvedAt: at, detail } });
            alertId = undefined;
          }
          states.set(key, { ...step.state, ...(alertId && step.state.phase === 'firing' ? { alertId } : {}) });
        }
      }
      return o.intervalMs;
    },

    /**
     * The `anomaly-alerts` reading of the builtin metric provider: how many alerts of the service
     * are open, and whether every rule has a verdict (too little traffic or no baseline yet is no
     * verdict: then no open alert is no data, not a pass).
     */
    async openAlerts(service: string): Promise<{ state: 'judged' | 'unjudged'; firing: number; explanation: string }> {
      const firing = await o.store.alerts.list({ service, state: 'firing', limit: 100 });
      const signals = o.rules.map((r) => ({ rule: r.name, signal: last.get(keyOf(service, r.name)) }));
      const judged = signals.every((s) => s.signal?.verdict === 'above' || s.signal?.verdict === 'within');
      const rules = signals.map((s) => `${s.rule}: ${s.signal ? `${s.signal.verdict} (${s.signal.reason})` : 'not evaluated yet'}`).join('; ');
      const explanation = firing.length > 0
        ? `${firing.length} open anomaly alert(s) for ${service}: ${firing.map((a) => a.summary).join('; ')}`
        : `no open anomaly alert for ${service}; ${rules}`;
      return { state: judged ? 'judged' : 'unjudged', firing: firing.length, explanation };
    },

    /** Stored alerts, newest first. */
    list: (filter: { service?: string; state?: 'firing' | 'resolved'; limit: number }) => o.store.alerts.list(filter),

    /** The current rule states (pending ones are not stored), for the API. */
    status: () => [...states.entries()].map(([key, s]) => {
      const [service, rule] = key.split('\u0000') as [string, string];
      return { service, rule, phase: s.phase, activeSince: s.activeSince === undefined ? null : new Date(s.activeSince).toISOString(), signal: last.get(key) ?? null };
    }),
  };
}

export type AnomalyService = ReturnType<typeof createAnomalyService>;
