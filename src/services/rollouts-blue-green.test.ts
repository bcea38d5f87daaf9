import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import type { AnalysisPhase } from '../domain/analysis/phase.js';
import type { RolloutSpec, RolloutStatus } from '../domain/rollout/index.js';
import { createEventBus } from '../platform/event-bus.js';
import { createManualClock } from '../platform/clock.js';
import { createSilentLogger } from '../platform/logger.js';
import { type DataPlane, createDataPlane } from '../proxy/index.js';
import { openSqliteStore } from '../store/sqlite.js';
import type { Store } from '../store/types.js';
import { startTestServer } from '../testing/http-test-server.js';
import type { AnalysisRunService } from './analysis-runs.js';
import { createAuditLog } from './audit-log.js';
import type { ReleaseService } from './releases.js';
import { type TrafficPort, createRolloutService } from './rollouts.js';

/**
 * Blue-green through the real built-in proxy: an active and a preview listener on real sockets,
 * two real upstream servers (v1, v2), the rollout service on a SQLite store and a manual clock.
 * Analysis runs are stubs whose verdicts the test sets (what is under test is the controller and
 * the data plane; the analysis engine has its own tests).
 */
describe('blue-green rollout on the built-in proxy (active + preview listeners)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-bg-'));
  const clock = createManualClock();
  let store: Store;
  let dataPlane: DataPlane;
  let active: string;
  let preview: string;
  const upstreams: Record<string, Awaited<ReturnType<typeof startTestServer>>> = {};
  const stopped: string[] = [];
  const runs = new Map<string, { phase: AnalysisPhase; templates: string[]; args: Record<string, string>; compare?: unknown }>();
  let rollouts: ReturnType<typeof createRolloutService>;

  const versionOf = async (url: string): Promise<string> => {
    const res = await fetch(`${url}/api/items`);
    await res.arrayBuffer();
    return res.headers.get('x-version') ?? `status ${res.status}`;
  };
  const versionsOf = async (url: string, n = 20): Promise<Set<string>> => new Set(await Promise.all(Array.from({ length: n }, () => versionOf(url))));

  beforeAll(async () => {
    for (const v of ['v1', 'v2', 'v3']) upstreams[v] = await startTestServer((_req, _body, res) => res.writeHead(200, { 'x-version': v }).end(v));
    store = await openSqliteStore(join(dir, 'rampart.db'));
    dataPlane = createDataPlane({ clock });
    const added = await dataPlane.addService({ service: 'api', stable: { version: 'v1', url: upstreams.v1!.url }, previewPort: 0 });
    if (!added.ok) throw new Error(added.message);
    active = `http://127.0.0.1:${added.address.port}`;
    preview = `http://127.0.0.1:${added.address.previewPort}`;
    const cfg = parseConfig(`services:\n  - { name: api, tier: 1, strategy: blue-green }\ntraffic:\n  services:\n    - { service: api, port: ${added.address.port}, stable: { version: v1 }, previewPort: ${added.address.previewPort} }\n`);
    if (!cfg.ok) throw new Error(JSON.stringify(cfg));
    const proxy = () => dataPlane.get('api')!;
    const traffic: TrafficPort = {
      has: (s) => s === 'api',
      stable: () => proxy().upstreams().stable,
      setUpstreams: async (_s, stable, canary) => void (await proxy().setUpstreams({ stable, canary })),
      setWeight: (_s, w) => void proxy().setWeight(w),
      setHeaderRoute: () => undefined,
      setMirror: () => undefined,
      preview: () => preview,
      canary: () => proxy().upstreams().canary,
    };
    let nextRun = 0;
    const analysis = {
      async start(spec: { templates: Array<{ file: string }>; args: Record<string, string>; compare?: unknown }) {
        const id = `run-${nextRun++}`;
        runs.set(id, { phase: 'Running', templates: spec.templates.map((t) => t.file), args: spec.args, compare: spec.compare });
        return { id };
      },
      async get(id: string) {
        const run = runs.get(id)!;
        return { id, state: { phase: run.phase, results: [], message: run.phase } };
      },
      async terminate(id: string) {
        runs.get(id)!.phase = 'Successful';
      },
    } as unknown as AnalysisRunService;
    rollouts = createRolloutService({
      store, audit: createAuditLog(store, clock), clock, logger: createSilentLogger(), config: cfg.config, events: createEventBus(),
      traffic, analysis,
      versions: {
        start: async (_s, v) => upstreams[v]!.url,
        stop: async (_s, v) => void stopped.push(v),
        healthy: async () => true,
      },
      releases: { get: async (id: string) => ({ id, service: 'api', version: id.slice('rel_'.length), allow: true }), openIncident: async () => ({}) } as unknown as ReleaseService,
      enqueue: () => undefined,
    });
  });

  afterAll(async () => {
    await dataPlane.close(0);
    for (const u of Object.values(upstreams)) await u.close();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Reconciles until the rollout stops changing (the work queue would, at once). */
  async function settle(id: string): Promise<RolloutStatus> {
    for (let i = 0; i < 10; i++) {
      const before = JSON.stringify((await rollouts.status('api')).status);
      await rollouts.reconcile(id);
      if (JSON.stringify((await rollouts.status('api')).status) === before) break;
    }
    return (await rollouts.status('api')).status;
  }
  const finishRuns = (phase: AnalysisPhase) => runs.forEach((r) => r.phase === 'Running' && (r.phase = phase));

  it('preview serves v2 and active v1 until promote; then active switches at once; v1 stays warm 300 s', async () => {
    const template = join(dir, 'preview-check.yaml');
    writeFileSync(template, [
      'apiVersion: rampart.dev/v1', 'kind: AnalysisTemplate', 'metadata: { name: preview-check }', 'spec:', '  semantics: rampart/v1',
      '  args: [{ name: preview-url }]', '  metrics:', '    - name: preview-answers', '      count: 1', '      successCondition: result == "v2"',
      '      provider: { web: { url: "{{args.preview-url}}/health", jsonPath: "{$.version}" } }', '',
    ].join('\n'));
    const check = { templates: [{ templateName: template }], args: [] };
    const spec: RolloutSpec = { strategy: { type: 'blueGreen', activeService: 'api-active', previewService: 'api-preview', autoPromotionEnabled: false, prePromotionAnalysis: check, postPromotionAnalysis: check, scaleDownDelaySeconds: 300 } };
    const { id } = await rollouts.setVersion('api', 'v2', { actor: 'ci' }, { releaseId: 'rel_v2', spec });

    let s = await settle(id);
    expect(s).toMatchObject({ phase: 'Progressing', weights: { canary: 0 } });
    expect(await versionsOf(preview)).toEqual(new Set(['v2']));
    expect(await versionsOf(active)).toEqual(new Set(['v1']));
    // The pre-promotion analysis is pointed at the preview listener.
    // It also names the two versions a `judge: statistical` template compares.
    expect([...runs.values()][0]).toMatchObject({ templates: [template], args: { 'preview-url': preview }, compare: { service: 'api', canary: 'v2', stable: 'v1' } });

    finishRuns('Successful');
    s = await settle(id);
    clock.advance(3_600_000);
    s = await settle(id);
    expect(s).toMatchObject({ phase: 'Paused', weights: { canary: 0 } });
    expect(await versionsOf(active)).toEqual(new Set(['v1']));

    await rollouts.command('api', { verb: 'promote', actor: 'ann' }, { actor: 'ann' });
    s = await settle(id);
    expect(s.weights.canary).toBe(100);
    expect(await versionsOf(active, 50)).toEqual(new Set(['v2']));
    finishRuns('Successful');
    s = await settle(id);
    expect(s).toMatchObject({ phase: 'Healthy', stable: { version: 'v2' } });
    expect(await versionsOf(active, 50)).toEqual(new Set(['v2']));
    expect(await versionsOf(preview)).toEqual(new Set(['v2']));

    clock.advance(299_000);
    await settle(id);
    expect(stopped).toEqual([]);
    clock.advance(1_000);
    await settle(id);
    expect(stopped).toEqual(['v1']);
  });

  it('an abort before promotion keeps active on stable; once the green is stopped, preview falls back to active', async () => {
    const spec: RolloutSpec = { strategy: { type: 'blueGreen', activeService: 'api-active', previewService: 'api-preview', autoPromotionEnabled: false, abortScaleDownDelaySeconds: 10 } };
    const { id } = await rollouts.setVersion('api', 'v3', { actor: 'ci' }, { releaseId: 'rel_v3', spec });
    await settle(id);
    expect(await versionsOf(preview)).toEqual(new Set(['v3']));
    await rollouts.command('api', { verb: 'abort', actor: 'ann' }, { actor: 'ann' });
    const s = await settle(id);
    expect(s).toMatchObject({ phase: 'Aborted', weights: { canary: 0 } });
    expect(await versionsOf(active, 50)).toEqual(new Set(['v2']));
    clock.advance(10_000);
    await settle(id);
    expect(stopped).toContain('v3');
    expect(await versionsOf(preview)).toEqual(new Set(['v2']));
    expect(dataPlane.get('api')!.upstreams().canary).toBeNull();
  });

  it('undo --to-revision of a revision that never ran is refused at once, naming the history command', async () => {
    await expect(rollouts.command('api', { verb: 'undo', actor: 'ann', toRevision: 99 }, { actor: 'ann' })).rejects.toThrow(/has no such revision; see `rampart rollout history api`/);
    expect((await rollouts.status('api')).pendingCommands).toEqual([]);
  });
});
