import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../../src/main.js';
import { createSilentLogger } from '../../src/platform/logger.js';
import { requireComponent } from '../../src/testing/components.js';
import { startTestServer } from '../../src/testing/http-test-server.js';
import { prometheusBin, startPrometheus, type TestPrometheus } from '../../src/testing/prometheus.js';
import { ensureWebBuilt } from './harness.js';
import { openBrowser } from './kit.js';

const chromiumFound = requireComponent('Chromium', ['/usr/bin/chromium'], 'apt-get install -y chromium');
const prometheusFound = requireComponent('Prometheus', [prometheusBin], 'apt-get install -y prometheus');
const adminToken = 'rpt_browser-budgets-admin-000000000000000';

const percent = (text: string | null) => Number(/(-?[\d.]+) %/.exec(text ?? '')?.[1]);
const near = (value: number, expected: number) => Math.abs(value - expected) <= Math.abs(expected) * 0.02;

/**
 * Budgets from a real Prometheus on a real clock. Each scrape of the exporter adds 1,000 requests
 * per service, 20 of them 5xx (2 %) and, for api, 100 slower than 500 ms (10 %). So:
 * api (availability 95 %, latency ≤ 500 ms 85 %, 7 d) keeps 1 − 0.02/0.05 = 60 % and
 * 1 − 0.10/0.15 ≈ 33.3 % of its budgets, burning at 0.4× and 0.667× (a ticket over 7 d); ledger (99.9 %, 30 d) burns
 * at 20×, above the 14.4× page threshold, and has overspent its budget; quiet has no series at all.
 */
describe.skipIf(!chromiumFound.available || !prometheusFound.available)('error budgets in the dashboard, from Prometheus', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-browser-budgets-'));
  let exporter: Awaited<ReturnType<typeof startTestServer>>;
  let prometheus: TestPrometheus;
  let server: RunningServer;
  let browser: Awaited<ReturnType<typeof openBrowser>>;
  let ticks = 0;

  beforeAll(async () => {
    ensureWebBuilt();
    exporter = await startTestServer((_req, _body, res) => {
      ticks++;
      const lines = ['api', 'ledger'].flatMap((service) => [
        `http_requests_total{service="${service}",code="200"} ${980 * ticks}`,
        `http_requests_total{service="${service}",code="500"} ${20 * ticks}`,
      ]);
      lines.push(
        `http_request_duration_seconds_bucket{service="api",le="0.1"} ${500 * ticks}`,
        `http_request_duration_seconds_bucket{service="api",le="0.5"} ${900 * ticks}`,
        `http_request_duration_seconds_bucket{service="api",le="+Inf"} ${1000 * ticks}`,
        `http_request_duration_seconds_count{service="api"} ${1000 * ticks}`,
        `http_request_duration_seconds_sum{service="api"} ${100 * ticks}`,
      );
      res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' });
      res.end(`${lines.join('\n')}\n`);
    });
    prometheus = await startPrometheus([exporter.url.replace('http://', '')], 1);
    await prometheus.waitForData('sum(increase(http_requests_total{service="ledger"}[1m])) > 0', 30_000);
    writeFileSync(join(dir, 'rampart.yaml'), [
      'services:',
      '  - { name: api, tier: 1, description: public API, slo: { availability: { target: 95 }, latency: { thresholdMs: 500, target: 85 }, window: 7d } }',
      '  - { name: ledger, tier: 2, description: money, slo: { availability: { target: 99.9 }, window: 30d } }',
      '  - { name: quiet, tier: 3, description: no traffic, slo: { availability: { target: 99 }, window: 30d } }',
      `slo: { prometheusUrl: "${prometheus.url}" }`, '',
    ].join('\n'));
    server = await startServer({ env: { adminToken }, configFile: join(dir, 'rampart.yaml'), dataDir: join(dir, 'data'), host: '127.0.0.1', port: 0, logger: createSilentLogger() });
    browser = await openBrowser();
    await browser.signIn(server.url, adminToken);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await server?.shutdown();
    await prometheus?.stop();
    await exporter?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows each service\'s budget bar on the overview, lowest first, and "not measured" where there is no data', async () => {
    const { page } = browser;
    const lowest = page.getByTestId('lowest-budgets');
    await lowest.waitFor({ timeout: 15_000 });
    expect(await lowest.getByRole('link').allTextContents()).toEqual(['ledger', 'api']);
    const [ledger, api] = await lowest.getByTestId('budget-remaining').allTextContents();
    expect(percent(ledger!)).toBeLessThan(0);
    expect(near(percent(api!), 33.333)).toBe(true);
    expect(await lowest.locator('li').first().textContent()).toContain('exhausted');
    expect(await lowest.locator('li').nth(1).textContent()).toContain('cautious');
    // The tier rows carry the same bars; quiet, with no series, says it is not measured.
    expect(percent(await page.getByTestId('tier-1').getByTestId('budget-remaining').textContent())).toBe(percent(api!));
    expect(await page.getByTestId('tier-3').getByTestId('budget-unmeasured').textContent()).toBe('budget not measured');
    expect(await page.getByRole('img', { name: /^ledger: -[\d.]+ % of the error budget remains \(exhausted\)$/ }).count()).toBe(2);
    await browser.scan('overview-budgets');
    await browser.shoot('overview-budgets');
  }, 30_000);

  it('shows api\'s budget per SLO with burn rates per window, the alert state and exhaustion', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/services/api`);
    const availability = page.getByTestId('budget-availability');
    await availability.getByTestId('budget-remaining').waitFor({ timeout: 15_000 });
    expect(near(percent(await availability.getByTestId('budget-remaining').textContent()), 60)).toBe(true);
    expect(await availability.textContent()).toContain('normal');
    const rates = (await availability.getByTestId('burn-rates').locator('td').allTextContents()).map((t) => Number(t.replace('×', '')));
    expect(rates).toHaveLength(7);
    for (const r of rates) expect(near(r, 0.4)).toBe(true);
    // Over a 7-day period the 3 d ticket fires above 0.1 × 168 h / 72 h ≈ 0.23×: 0.4× in both 3 d and 6 h raises a ticket, not a page.
    expect(await availability.getByTestId('alert').textContent()).toBe('ticket');
    expect(await availability.getByRole('row', { name: /^ticket 0\.23× 3d: 0\.\d+× 6h: 0\.\d+×$/ }).count()).toBe(1);
    expect(await availability.getByTestId('exhaustion').textContent()).toMatch(/^in [\d.]+ h at the \w+ burn rate \(0\.\d+×\)$/);
    const latency = page.getByTestId('budget-latency');
    expect(near(percent(await latency.getByTestId('budget-remaining').textContent()), 33.333)).toBe(true);
    expect(await latency.textContent()).toContain('cautious');
    // The burndown ends where the status stands: about 60 % of the availability budget left now.
    const chart = page.getByTestId('burndown-availability');
    await chart.waitFor({ timeout: 15_000 });
    const last = /to (-?[\d.]+) % over the period/.exec((await chart.getAttribute('aria-label')) ?? '');
    expect(last).not.toBeNull();
    expect(near(Number(last![1]), 60)).toBe(true);
    await browser.scan('service-budget');
    await browser.shoot('service-budget');
    await browser.narrow('service-budget');
  }, 30_000);

  it('shows ledger paging: burning at 20× with its budget overspent', async () => {
    const { page } = browser;
    await page.goto(`${server.url}/services/ledger`);
    const availability = page.getByTestId('budget-availability');
    await availability.getByTestId('alert').waitFor({ timeout: 15_000 });
    expect(await availability.getByTestId('alert').textContent()).toBe('page');
    expect(near(Number((await availability.getByTestId('burn-rates').locator('td').first().textContent())!.replace('×', '')), 20)).toBe(true);
    expect(await availability.textContent()).toContain('exhausted');
    // The page threshold over a 30-day period: 2 % of the budget in 1 h is 14.4×.
    expect(await availability.getByRole('row', { name: /^page 14\.4×/ }).count()).toBe(1);
    await page.goto(`${server.url}/services/quiet`);
    await page.getByTestId('budget-availability').waitFor();
    expect(await page.getByTestId('budget-availability').textContent()).toMatch(/Not measured \(no-data\)/);
    await page.getByText('No requests in this period yet').waitFor();
    await browser.scan('service-no-data');
  }, 30_000);

  it('logged no console errors', () => {
    expect(browser.consoleErrors).toEqual([]);
  });
});
