import { type BreakerState, assessBreakers } from '../domain/resilience/breakers.js';
import type { Clock } from '../platform/clock.js';
import type { AuditLog } from './audit-log.js';
import type { Actor } from './flags.js';
import type { TrafficService } from './traffic.js';

export interface ResilienceProbeSpec {
  service: string;
  /** The version (the canary) whose traffic gets the latency. */
  version: string;
  /** Base URL of that version, where `/health/detailed` answers. */
  url: string;
  /** Latency injected toward the dependency (default 500 ms, as in the spec). */
  latencyMs?: number;
  /** How long to let the service degrade before reading its breakers (default 10 s). */
  waitSeconds?: number;
}

export interface ResilienceProbeResult {
  service: string;
  version: string;
  /** 1 pass, 0 fail, null no verdict (the spec's `successCondition: result == 1`). */
  value: 1 | 0 | null;
  phase: 'Successful' | 'Failed' | 'Inconclusive';
  explanation: string;
  breakers: BreakerState[];
  latencyMs: number;
  /** Whether the fault was removed at the end (it also expires by itself). */
  faultCleared: boolean;
  startedAt: string;
  finishedAt: string;
}

/** Margin past the wait for the fault's own expiry: covers reading /health/detailed, never much longer. */
const expiryMarginMs = 15_000;
const readTimeoutMs = 5_000;

/**
 * The spec's chaos-lite resilience probe: injects latency into a version's traffic through the
 * data plane (the proxy delays requests and tells the service via `x-rampart-fault-latency-ms`,
 * which it applies to its dependency calls), waits, reads `/health/detailed` and passes when every
 * circuit breaker is closed or half-open; then removes the fault. Removal is guaranteed: `finally`
 * clears it, and the fault is time-limited (wait + 15 s), so it ends even if Rampart dies mid-probe.
 * With an audit log, each probe is bracketed by `resilience-probe.start` and `resilience-probe.end`
 * events, so a restarted Rampart can tell a probe that was cut short (see `resilienceProbeReading`).
 */
export function createResilienceProbe(deps: { traffic: Pick<TrafficService, 'inject' | 'clear'>; clock: Clock; audit?: Pick<AuditLog, 'record'> }) {
  const sleep = (ms: number) => new Promise<void>((r) => deps.clock.setTimer(ms, r));

  return async function probe(spec: ResilienceProbeSpec, by: Actor): Promise<ResilienceProbeResult> {
    const latencyMs = spec.latencyMs ?? 500;
    const waitMs = (spec.waitSeconds ?? 10) * 1000;
    const startedAt = new Date(deps.clock.now()).toISOString();
    const expiresAt = new Date(deps.clock.now() + waitMs + expiryMarginMs).toISOString();
    const mark = (action: string, payload: Record<string, unknown>) =>
      deps.audit?.record({ actor: by.actor, action, subject: { kind: 'service', id: spec.service }, service: spec.service, payload: { version: spec.version, ...payload } });
    await mark('resilience-probe.start', { latencyMs, waitSeconds: waitMs / 1000, faultExpiresAt: expiresAt });
    let verdict: ReturnType<typeof assessBreakers> = { value: null, breakers: [], explanation: 'the probe did not finish' };
    let faultCleared = false;
    try {
      await deps.traffic.inject(spec.service, spec.version, { latencyMs, latencyShare: 1, durationMs: waitMs + expiryMarginMs }, by);
      await sleep(waitMs);
      verdict = await readBreakers(spec.url);
    } finally {
      try {
        faultCleared = (await deps.traffic.clear(spec.service, spec.version, by)).cleared;
      } catch {
        // The fault still expires by itself at wait + 15 s.
      }
      await mark('resilience-probe.end', { value: verdict.value, explanation: verdict.explanation, faultCleared });
    }
    const phase = verdict.value === 1 ? 'Successful' : verdict.value === 0 ? 'Failed' : 'Inconclusive';
    return {
      service: spec.service, version: spec.version, value: verdict.value, phase,
      explanation: `after ${latencyMs}ms latency for ${waitMs / 1000}s: ${verdict.explanation}`,
      breakers: verdict.breakers, latencyMs, faultCleared, startedAt, finishedAt: new Date(deps.clock.now()).toISOString(),
    };
  };
}

async function readBreakers(baseUrl: string): Promise<ReturnType<typeof assessBreakers>> {
  const url = `${baseUrl.replace(/\/+$/, '')}/health/detailed`;
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(readTimeoutMs) });
    const text = await res.text();
    if (!res.ok) return { value: null, breakers: [], explanation: `GET ${url} answered ${res.status}` };
    try {
      return assessBreakers(JSON.parse(text));
    } catch {
      return { value: null, breakers: [], explanation: `GET ${url} answered no JSON` };
    }
  } catch (err) {
    return { value: null, breakers: [], explanation: `GET ${url} failed: ${(err as Error & { cause?: { code?: string } }).cause?.code ?? (err as Error).message}` };
  }
}

export type ResilienceProbe = ReturnType<typeof createResilienceProbe>;

/**
 * The `resilience-probe` reading of the builtin metric provider: probes `version` where the proxy
 * routes to it (stable or canary), as the automatic controller. Not behind the proxy: no verdict.
 *
 * A probe cut short by a crash is not run again when its analysis resumes: faults live only in the
 * data plane's memory, so the crash removed that fault, and injecting a new one unasked would be a
 * second experiment. The resumed measurement is no verdict (the run goes Inconclusive and the
 * rollout holds for a person), and the interruption is recorded so a later probe runs normally.
 */
export function resilienceProbeReading(probe: ResilienceProbe, targets: (service: string) => readonly { version: string; url: string }[], audit?: Pick<AuditLog, 'record' | 'list'>) {
  const running = new Set<string>();
  return async (service: string, version: string, windowSeconds: number): Promise<{ value: 1 | 0 | null; explanation: string }> => {
    const key = `${service}\u0000${version}`;
    if (running.has(key)) return { value: null, explanation: `a resilience probe of ${service} ${version} is already running` };
    const cut = audit ? await interruptedProbe(audit, service, version) : undefined;
    if (cut) {
      const explanation = `the resilience probe of ${service} ${version} started at ${cut.time} was cut short (Rampart stopped mid-probe); its fault ended with that process (it would have expired at ${cut.expiresAt}) and is not re-applied`;
      await audit!.record({ actor: 'auto-controller', action: 'resilience-probe.end', subject: { kind: 'service', id: service }, service, payload: { version, value: null, explanation, interrupted: true } });
      return { value: null, explanation };
    }
    const target = targets(service).find((t) => t.version === version);
    if (!target) return { value: null, explanation: `${service} ${version} is not behind Rampart's proxy: nothing to inject latency into` };
    running.add(key);
    try {
      const r = await probe({ service, version, url: target.url, waitSeconds: windowSeconds }, { actor: 'auto-controller' });
      return { value: r.value, explanation: `${r.explanation}${r.faultCleared ? '; fault removed' : '; fault expired by itself'}` };
    } finally {
      running.delete(key);
    }
  };
}

/** The controller's latest probe of the version when it has a start and no end (the process died during it). */
async function interruptedProbe(audit: Pick<AuditLog, 'list'>, service: string, version: string): Promise<{ time: string; expiresAt: string } | undefined> {
  const ofVersion = async (action: string, actor?: string) => (await audit.list({ service, action, limit: 50, ...(actor ? { actor } : {}) }))
    .find((e) => (JSON.parse(e.payload) as { version?: string }).version === version);
  // Only analysis (the controller) resumes a probe; one a person started from the API is not retried.
  const [start, end] = await Promise.all([ofVersion('resilience-probe.start', 'auto-controller'), ofVersion('resilience-probe.end')]);
  if (!start || (end && end.seq > start.seq)) return undefined;
  return { time: start.time, expiresAt: String((JSON.parse(start.payload) as { faultExpiresAt?: string }).faultExpiresAt ?? 'unknown') };
}
