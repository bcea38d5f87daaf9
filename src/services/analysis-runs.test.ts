import { mkdtempSync, rmSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Rampart, createRampart } from '../main.js';
import { type ManualClock, createManualClock } from '../platform/clock.js';
import { createSilentLogger } from '../platform/logger.js';

const admin = 'rpt_analysis-runs-test-admin-0000000000';
const template = (url: string, count: number) => `apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata: { name: error-rate }
spec:
  metrics:
    - name: error-rate
      interval: 30s
      count: ${count}
      failureLimit: 1
      successCondition: result < 0.05
      provider:
        web:
          url: ${url}
          jsonPath: "{$.errorRate}"
`;

/** Lets the work queue's async reconciles (real sockets) finish between clock steps. */
const settle = () => new Promise((r) => setTimeout(r, 150));

describe('analysis runs (persisted, reconciled, resumed)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-ar-'));
  let errorRate = 0.01;
  let server: Server;
  let url: string;
  const clock: ManualClock = createManualClock();
  const open = () => createRampart({ env: { adminToken: admin }, dataDir: dir, clock, logger: createSilentLogger() });
  const call = (r: Rampart, path: string, init: RequestInit = {}) =>
    r.app.request(path, { ...init, headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' } });

  beforeAll(async () => {
    server = createServer((_req, res) => res.end(JSON.stringify({ errorRate })));
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/stats`;
  });
  afterAll(() => {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('measures on schedule, explains each measurement, and ends Successful', async () => {
    const r = await open();
    const started = await call(r, '/api/v1/analysis-runs', { method: 'POST', body: JSON.stringify({ templates: [{ yaml: template(url, 3) }] }) });
    expect(started.status).toBe(201);
    const { id } = (await started.json()) as { id: string };
    for (let i = 0; i < 3; i++) {
      clock.advance(i === 0 ? 0 : 30_000);
      await settle();
    }
    const run = (await (await call(r, `/api/v1/analysis-runs/${id}`)).json()) as { phase: string; state: { summary: string; results: Array<{ measurements: Array<{ value: number; query: string; condition: { success: string } }> }> } };
    expect(run.phase).toBe('Successful');
    expect(run.state.results[0]!.measurements).toHaveLength(3);
    expect(run.state.results[0]!.measurements[0]).toMatchObject({ value: 0.01, query: expect.stringContaining(url), condition: { success: 'result < 0.05' } });
    await r.close();
  });

  it('resumes an unfinished run after a restart and fails it on bad data', async () => {
    let r = await open();
    const { id } = (await (await call(r, '/api/v1/analysis-runs', { method: 'POST', body: JSON.stringify({ templates: [{ yaml: template(url, 5) }] }) })).json()) as { id: string };
    clock.advance(0);
    await settle();
    await r.close();
    errorRate = 0.2;
    r = await open();
    for (let i = 0; i < 3; i++) {
      clock.advance(30_000);
      await settle();
    }
    const run = (await (await call(r, `/api/v1/analysis-runs/${id}`)).json()) as { phase: string; state: { summary: string; results: Array<{ measurements: unknown[] }> } };
    expect(run.phase).toBe('Failed');
    expect(run.state.summary).toMatch(/error-rate/);
    await r.close();
  });

  it('rejects a template with an unsupported provider, naming it', async () => {
    const r = await open();
    const res = await call(r, '/api/v1/analysis-runs', { method: 'POST', body: JSON.stringify({ templates: [{ yaml: 'kind: AnalysisTemplate\nmetadata: { name: x }\nspec:\n  metrics:\n    - name: m\n      provider:\n        datadog: { query: "x" }\n' }] }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(/datadog/);
    await r.close();
  });
});
