/**
 * The generated rules in a real Prometheus: a test server exposes counters with a scripted error
 * ratio, Prometheus scrapes it every second and evaluates the rules, and the recorded burn rates
 * and budgets must match what the domain computes from the same counts (within 2 %).
 */
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { budgetRemaining, burnRate, errorRatio } from './budget.js';
import { generateRules } from './rules.js';
import type { SloDefinition } from './types.js';

const hasPrometheus = spawnSync('prometheus', ['--version']).status === 0;
const missing = 'prometheus not found: install it with `apt-get install -y prometheus`';

// Per scrape the counters grow by these amounts, so every window sees exactly these ratios.
const PER_SCRAPE = { total: 500, errors: 1, fast: 495 };
const slos: SloDefinition[] = [
  { service: 'api', name: 'availability', objectivePercent: 99.9, window: { kind: 'rolling', days: 30 }, indicator: { kind: 'availability' } },
  { service: 'api', name: 'latency', objectivePercent: 99.0, window: { kind: 'rolling', days: 30 }, indicator: { kind: 'latency', thresholdSeconds: 0.5 } },
];

const dir = mkdtempSync(path.join(tmpdir(), 'rampart-slo-prom-'));
let server: Server | undefined;
let prometheus: ChildProcess | undefined;

afterAll(async () => {
  if (prometheus && prometheus.exitCode === null) {
    const exited = new Promise((resolve) => prometheus?.once('exit', resolve));
    prometheus.kill('SIGTERM');
    await exited;
  }
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  rmSync(dir, { recursive: true, force: true });
});

function startApp(): Promise<number> {
  let scrapes = 0;
  server = createServer((_req, res) => {
    scrapes += 1;
    const n = scrapes;
    const { total, errors, fast } = PER_SCRAPE;
    res.setHeader('content-type', 'text/plain; version=0.0.4');
    res.end(
      [
        '# TYPE http_requests_total counter',
        `http_requests_total{service="api",code="200"} ${(total - errors) * n}`,
        `http_requests_total{service="api",code="500"} ${errors * n}`,
        '# TYPE http_request_duration_seconds histogram',
        `http_request_duration_seconds_bucket{service="api",le="0.5"} ${fast * n}`,
        `http_request_duration_seconds_bucket{service="api",le="+Inf"} ${total * n}`,
        `http_request_duration_seconds_sum{service="api"} ${0.1 * total * n}`,
        `http_request_duration_seconds_count{service="api"} ${total * n}`,
        '',
      ].join('\n'),
    );
  });
  return new Promise((resolve) => server?.listen(0, '127.0.0.1', () => resolve((server?.address() as AddressInfo).port)));
}

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

async function query(port: number, expr: string): Promise<number | undefined> {
  const res = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(expr)}`);
  const body = (await res.json()) as { data?: { result?: Array<{ value: [number, string] }> } };
  const value = body.data?.result?.[0]?.value[1];
  const n = value === undefined ? Number.NaN : Number(value);
  return Number.isFinite(n) ? n : undefined;
}

async function waitFor(port: number, expr: string, timeoutMs: number): Promise<number | undefined> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const v = await query(port, expr).catch(() => undefined);
    if (v !== undefined) return v;
    await new Promise((r) => setTimeout(r, 250));
  }
  return undefined;
}

describe('generated rules in a real Prometheus', () => {
  it('records burn rates and budgets that match the domain within 2 %', async (ctx) => {
    if (!hasPrometheus) {
      if (process.env.CI === 'true') throw new Error(missing);
      ctx.skip(missing);
    }
    const appPort = await startApp();
    const promPort = await freePort();
    writeFileSync(path.join(dir, 'rules.yaml'), generateRules(slos).yaml);
    writeFileSync(
      path.join(dir, 'prometheus.yml'),
      `global: {scrape_interval: 1s, evaluation_interval: 1s}\nrule_files: [rules.yaml]\nscrape_configs:\n  - job_name: app\n    static_configs: [{targets: ['127.0.0.1:${appPort}']}]\n`,
    );
    prometheus = spawn(
      'prometheus',
      [`--config.file=${path.join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${promPort}`],
      { stdio: 'ignore' },
    );

    const expected = (slo: SloDefinition) => {
      const good = slo.indicator.kind === 'latency' ? PER_SCRAPE.fast : PER_SCRAPE.total - PER_SCRAPE.errors;
      const ratio = errorRatio({ good, total: PER_SCRAPE.total }) as number;
      return { burn: burnRate(ratio, slo.objectivePercent), remaining: budgetRemaining(ratio, slo.objectivePercent) };
    };
    for (const slo of slos) {
      const sel = `{service="${slo.service}",slo="${slo.name}"}`;
      const fast = await waitFor(promPort, `slo:error_budget_burn_rate:fast${sel}`, 40_000);
      const slow = await waitFor(promPort, `slo:error_budget_burn_rate:slow${sel}`, 10_000);
      const remaining = await waitFor(promPort, `slo:error_budget_remaining:ratio${sel}`, 10_000);
      const want = expected(slo);
      expect(want.burn).toBeCloseTo(slo.name === 'availability' ? 2 : 1, 9);
      expect(fast, `${slo.name} fast burn`).toBeDefined();
      expect(Math.abs((fast as number) - want.burn) / want.burn).toBeLessThanOrEqual(0.02);
      expect(Math.abs((slow as number) - want.burn) / want.burn).toBeLessThanOrEqual(0.02);
      // Remaining is a share of the budget: within 2 points of it.
      expect(Math.abs((remaining as number) - want.remaining)).toBeLessThanOrEqual(0.02);
    }
  }, 90_000);
});
