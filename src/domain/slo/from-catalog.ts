import type { ResolvedService, SloWindow as CatalogWindow } from '../catalog/types.js';
import type { SloDefinition, SloWindow } from './types.js';

function window(w: CatalogWindow): SloWindow {
  if (w === 'calendar-month') return { kind: 'calendar-month' };
  return { kind: 'rolling', days: Number(w.replace('d', '')) as 7 | 28 | 30 };
}

/**
 * The SLO definitions of a catalog service that Rampart can measure from the spec's series:
 * availability (5xx share of `http_requests_total`) and latency (share under the threshold, from
 * `http_request_duration_seconds_bucket`). Durability and completion objectives need queries of
 * their own (a write or job counter): they are returned in `unmeasured` with that reason.
 */
export function slosFromService(s: ResolvedService): { slos: SloDefinition[]; unmeasured: Array<{ slo: string; reason: string }> } {
  const slos: SloDefinition[] = [];
  const unmeasured: Array<{ slo: string; reason: string }> = [];
  if (s.slo.bestEffort) return { slos, unmeasured: [{ slo: '-', reason: 'best effort: no objective' }] };
  const source = { format: 'catalog' as const };
  if (s.slo.availability) {
    slos.push({ service: s.name, name: 'availability', objectivePercent: s.slo.availability.target, window: window(s.slo.window), indicator: { kind: 'availability' }, source });
  }
  if (s.slo.latency) {
    slos.push({
      service: s.name, name: 'latency', objectivePercent: s.slo.latency.target, window: window(s.slo.window),
      indicator: { kind: 'latency', thresholdSeconds: s.slo.latency.thresholdMs / 1000 }, source,
    });
  }
  if (s.slo.durability) unmeasured.push({ slo: 'durability', reason: 'durability needs a write-success counter: import it as an OpenSLO or Sloth SLO with queries' });
  if (s.slo.completion) unmeasured.push({ slo: 'completion', reason: 'completion needs a job counter: import it as an OpenSLO or Sloth SLO with queries' });
  return { slos, unmeasured };
}
