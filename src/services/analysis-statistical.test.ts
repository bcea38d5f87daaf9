import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { builtinSourceOf, metricProviders } from '../main.js';
import { createManualClock } from '../platform/clock.js';
import { type DataPlane, createDataPlane } from '../proxy/index.js';
import { openSqliteStore } from '../store/sqlite.js';
import type { Store } from '../store/types.js';
import { startTestServer } from '../testing/http-test-server.js';
import { createAnalysisRunService } from './analysis-runs.js';
import { createAuditLog } from './audit-log.js';

/** The canary's error ratio passes its threshold (< 0.5); only the judge can tell it is worse than stable. */
const template = `apiVersion: rampart.dev/v1
kind: AnalysisTemplate
metadata: { name: canary-vs-stable }
spec:
  semantics: rampart/v1
  judge: statistical
  metrics:
    - name: error-rate
      interval: 10s
      count: 6
      successCondition: result < 0.5
      noData: { policy: wait }
      provider:
        builtin: { metric: error-ratio, service: api, version: v2, window: 1m }
`;

/**
 * `judge: statistical` on the real built-in proxy: two real upstreams (v1 healthy, v2 failing one
 * request in four) behind a 50/50 split, the proxy's own per-version counters, and a run whose spec
 * names the versions to compare — as a rollout's step analysis does.
 */
describe('statistical judge over the built-in proxy counters', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-judge-'));
  const clock = createManualClock();
  let store: Store;
  let dataPlane: DataPlane;
  let proxyUrl: string;
  const servers: Array<Awaited<ReturnType<typeof startTestServer>>> = [];

  beforeAll(async () => {
    let n = 0;
    const v1 = await startTestServer((_req, _body, res) => res.writeHead(200).end('v1'));
    const v2 = await startTestServer((_req, _body, res) => res.writeHead(++n % 4 === 0 ? 500 : 200).end('v2'));
    servers.push(v1, v2);
    store = await openSqliteStore(join(dir, 'rampart.db'));
    dataPlane = createDataPlane({ clock });
    const added = await dataPlane.addService({ service: 'api', stable: { version: 'v1', url: v1.url }, canary: { version: 'v2', url: v2.url } });
    if (!added.ok) throw new Error(added.message);
    proxyUrl = `http://127.0.0.1:${added.address.port}`;
    const weighted = dataPlane.get('api')!.setWeight(50);
    if (!weighted.ok) throw new Error(weighted.message);
  });
  afterAll(async () => {
    await dataPlane.close(0);
    for (const s of servers) await s.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** 200 requests at the manual clock's instant: about 100 per version, v2 with 25 % errors. */
  async function traffic() {
    for (let i = 0; i < 10; i++) await Promise.all(Array.from({ length: 20 }, async () => (await fetch(`${proxyUrl}/`)).arrayBuffer()));
  }

  async function runToEnd(compare?: { service: string; canary: string; stable: string }) {
    const config = parseConfig('');
    if (!config.ok) throw new Error('default config');
    const source = builtinSourceOf(dataPlane);
    const runs = createAnalysisRunService(store, createAuditLog(store, clock), clock, metricProviders(config.config, clock, source), () => undefined, () => undefined, source);
    await traffic();
    const { id } = await runs.start({ templates: [{ file: 'canary.yaml', text: template }], args: {}, dryRun: false, ...(compare ? { compare } : {}) }, { actor: 'test' });
    for (let i = 0; i < 20; i++) {
      const delay = await runs.reconcile(id);
      if (delay === undefined) break;
      clock.advance(delay);
      await traffic();
    }
    return runs.get(id);
  }

  it('fails the canary that is worse than stable, though its threshold passes', async () => {
    const run = await runToEnd({ service: 'api', canary: 'v2', stable: 'v1' });
    expect(run.phase).toBe('Failed');
    expect(JSON.stringify(run.state)).toContain('statistical judge');
    // The threshold metric alone would have passed: every measurement is under 0.5.
    const values = run.state.results.flatMap((r) => r.measurements.map((m) => m.value));
    expect(values.length).toBeGreaterThan(0);
    for (const v of values) expect(v).toBeLessThan(0.5);
  });

  it('ends in Error, never a pass, when the run does not say which versions to compare', async () => {
    const run = await runToEnd();
    expect(run.phase).toBe('Error');
    expect(JSON.stringify(run.state)).toContain('needs canary and stable request counts');
  });
});
