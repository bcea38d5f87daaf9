/**
 * The spec's resilience-probe verdict: after latency is injected toward a dependency, the service
 * degrades gracefully when every circuit breaker in `/health/detailed` is `closed` or `half-open`.
 */
export interface BreakerState {
  name: string;
  state: string;
}

export interface BreakerVerdict {
  /** 1 pass, 0 fail (as the spec's `result == 1`); null when the answer cannot be judged. */
  value: 1 | 0 | null;
  breakers: BreakerState[];
  explanation: string;
}

const healthy = new Set(['closed', 'half-open']);

/**
 * Judges a `/health/detailed` body. A body without a `circuitBreakers` list, an empty list or an
 * entry without a state gives no verdict (value null): missing data is never a pass. Pure.
 */
export function assessBreakers(body: unknown): BreakerVerdict {
  const list = (body as { circuitBreakers?: unknown } | null)?.circuitBreakers;
  if (!Array.isArray(list)) return { value: null, breakers: [], explanation: '/health/detailed has no circuitBreakers list' };
  if (list.length === 0) return { value: null, breakers: [], explanation: '/health/detailed lists no circuit breakers: nothing to judge' };
  const breakers: BreakerState[] = [];
  for (const [i, b] of list.entries()) {
    const { name, state } = (b ?? {}) as { name?: unknown; state?: unknown };
    if (typeof state !== 'string') return { value: null, breakers, explanation: `circuitBreakers[${i}] has no state` };
    breakers.push({ name: typeof name === 'string' ? name : `#${i}`, state });
  }
  const bad = breakers.filter((b) => !healthy.has(b.state));
  if (bad.length === 0) return { value: 1, breakers, explanation: `all ${breakers.length} circuit breakers are closed or half-open` };
  return { value: 0, breakers, explanation: `circuit breaker${bad.length > 1 ? 's' : ''} ${bad.map((b) => `${b.name} is ${b.state}`).join(', ')} (closed or half-open needed)` };
}
