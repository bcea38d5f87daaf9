import { type BreakerState, assessBreakers } from '../domain/resilience/breakers.js';
import type { Clock } from '../platform/clock.js';
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
 */
export function createResilienceProbe(deps: { traffic: Pick<TrafficService, 'inject' | 'clear'>; clock: Clock }) {
  const sleep = (ms: number) => new Promise<void>((r) => deps.clock.setTimer(ms, r));

  return async function probe(spec: ResilienceProbeSpec, by: Actor): Promise<ResilienceProbeResult> {
    const latencyMs = spec.latencyMs ?? 500;
    const waitMs = (spec.waitSeconds ?? 10) * 1000;
    const startedAt = new Date(deps.clock.now()).toISOString();
    await deps.traffic.inject(spec.service, spec.version, { latencyMs, latencyShare: 1, durationMs: waitMs + expiryMarginMs }, by);
    let verdict: ReturnType<typeof assessBreakers>;
    let faultCleared = false;
    try {
      await sleep(waitMs);
      verdict = await readBreakers(spec.url);
    } finally {
      try {
        faultCleared = (await deps.traffic.clear(spec.service, spec.version, by)).cleared;
      } catch {
        // The fault still expires by itself at wait + 15 s.
      }
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
 */
export function resilienceProbeReading(probe: ResilienceProbe, targets: (service: string) => readonly { version: string; url: string }[]) {
  return async (service: string, version: string, windowSeconds: number): Promise<{ value: 1 | 0 | null; explanation: string }> => {
    const target = targets(service).find((t) => t.version === version);
    if (!target) return { value: null, explanation: `${service} ${version} is not behind Rampart's proxy: nothing to inject latency into` };
    const r = await probe({ service, version, url: target.url, waitSeconds: windowSeconds }, { actor: 'auto-controller' });
    return { value: r.value, explanation: `${r.explanation}${r.faultCleared ? '; fault removed' : '; fault expired by itself'}` };
  };
}
