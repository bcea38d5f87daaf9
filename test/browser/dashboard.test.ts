import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireComponent } from '../../src/testing/components.js';
import { freePort } from '../../src/testing/ports.js';
import { testAdminToken } from '../../src/testing/rampart.js';
import { ensureWebBuilt, startDashboardServer } from './harness.js';
import { artifacts, openBrowser } from './kit.js';

const chromiumFound = requireComponent('Chromium', ['/usr/bin/chromium'], 'apt-get install -y chromium');

describe.skipIf(!chromiumFound.available)('dashboard in Chromium', () => {
  let server: Awaited<ReturnType<typeof startDashboardServer>>;
  let browser: Awaited<ReturnType<typeof openBrowser>>;
  let context: BrowserContext;
  let page: Page;
  const tokens: Record<'deployer' | 'viewer', string> = { deployer: '', viewer: '' };
  let viewerTokenId = '';
  const scan = (name: string) => browser.scan(name);
  const shoot = (name: string) => browser.shoot(name);
  const narrow = (name: string) => browser.narrow(name);
  const signIn = (token: string) => browser.signIn(server.url, token);

  async function admin(path: string, method: string, body?: unknown) {
    const res = await server.rampart.request(path, { method, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    const json = await res.json() as Record<string, unknown>;
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  }

  const dir = mkdtempSync(join(tmpdir(), 'rampart-browser-dash-'));

  beforeAll(async () => {
    ensureWebBuilt();
    // The spec's catalog with a freeze of docs-* in force on the test clock's day (2026-01-05), and
    // api behind the built-in proxy with an upstream that does not listen: every request is a 502.
    writeFileSync(join(dir, 'freezes.yaml'), 'freezes:\n  - { id: docs-freeze, start: 2026-01-05T00:00:00Z, end: 2026-01-06T00:00:00Z, reason: Docs migration, scope: { services: ["docs-*"] } }\n');
    const [proxyPort, deadPort] = [await freePort(), await freePort()];
    server = await startDashboardServer({ configYaml: [
      'gates:', `  freezesFile: ${join(dir, 'freezes.yaml')}`,
      'traffic:', '  services:', `    - { service: api, port: ${proxyPort}, stable: { version: v1, url: "http://127.0.0.1:${deadPort}" } }`, '',
    ].join('\n') });
    for (let i = 0; i < 20; i++) await fetch(`http://127.0.0.1:${proxyPort}/x`).then((r) => r.arrayBuffer());
    const deployer = await admin('/api/v1/tokens', 'POST', { name: 'dee', roles: ['deployer'] });
    const viewer = await admin('/api/v1/tokens', 'POST', { name: 'vic', roles: ['viewer'] });
    tokens.deployer = String(deployer.token);
    tokens.viewer = String(viewer.token);
    viewerTokenId = String(viewer.id);
    await admin('/api/v1/flags/search', 'PUT', { featureConfig: { name: 'search', rollout: { type: 'percentage', percentage: 5, sticky: true } }, reason: 'launch' });
    await admin('/api/v1/flags/checkout-v2', 'PUT', { definition: { state: 'ENABLED', variants: { on: true, off: false }, defaultVariant: 'off', targeting: { fractional: [['on', 50], ['off', 50]] } }, reason: 'half' });
    await admin('/api/v1/flags/new-ranking', 'PUT', { featureConfig: { name: 'new-ranking', rollout: { type: 'percentage', percentage: 50, sticky: true } }, reason: 'try' });
    await admin('/api/v1/flags/new-ranking/metrics', 'POST', { on: { requests: 2000, errors: 400 }, off: { requests: 2000, errors: 4 } });

    // Waits for a release captain (and fails more than that: no evidence was supplied).
    await server.rampart.deps.releases.create({ service: 'api', version: '2.0.0', environment: 'production', kind: 'feature', evidence: [], steps: [] }, { actor: 'token:dee' });

    browser = await openBrowser();
    context = browser.context;
    page = browser.page;
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuses a bad token with the server message, then signs in with a token', async () => {
    await page.goto(server.url);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await scan('sign-in');
    await shoot('sign-in');
    // A request that fails on purpose; Chromium logs it as a console error.
    browser.expectedFailures.push(/\/api\/v1\/session$/);
    await page.getByLabel('API token').fill('rpt_not-a-real-token-000000000000');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/unknown or revoked/);
    browser.expectedFailures.pop();
    await page.getByLabel('API token').fill(tokens.deployer);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByTestId('who').textContent()).toContain('token:dee');
    const cookies = await context.cookies(server.url);
    const session = cookies.find((c) => c.name === 'rampart_session');
    expect(session).toMatchObject({ httpOnly: true, sameSite: 'Strict', path: '/' });
    expect(session!.expires).toBeGreaterThan(Date.now() / 1000);
    // The token itself is kept nowhere in the browser.
    expect(await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }) + document.cookie)).not.toContain(tokens.deployer);
  });

  it('shows the 11 catalog services by tier with health and budget, windows and freezes, approvals, rollouts and exceptions', async () => {
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.getByTestId('tier-1').waitFor();
    const names = async (tier: number) => page.getByTestId(`tier-${tier}`).getByRole('link').allTextContents();
    expect(await names(1)).toEqual(['api', 'graphql-gateway', 'neo4j', 'copilot']);
    expect(await names(2)).toEqual(['conductor', 'audit-svc', 'prov-ledger', 'worker-*']);
    expect(await names(3)).toEqual(['devtools', 'docs-*', 'sandbox']);
    await expect.poll(() => page.getByText(/3 flags: 2 enabled, 0 disabled, 1 stopped by their kill switch/).count()).toBe(1);
    expect(await page.getByText(/^Not available yet/).count()).toBe(0);
    // Health from the proxy's counters: api's 502s make it critical; no traffic elsewhere is unknown, never ok.
    const api = page.getByTestId('tier-1').locator('li').first();
    await expect.poll(() => api.getByTestId('health').textContent()).toBe('critical');
    expect(await page.getByTestId('tier-1').getByTestId('health').allTextContents()).toEqual(['critical', 'unknown', 'unknown', 'unknown']);
    // No Prometheus is configured: every budget says it is not measured, and the card says why.
    await expect.poll(() => page.getByTestId('budget-unmeasured').count()).toBe(8);
    expect(await page.getByTestId('budget-errors').textContent()).toMatch(/no Prometheus configured \(slo\.prometheusUrl\)/);
    // The default window (Mon-Thu 09:00-16:00 UTC) is open on the clock's Monday 10:00 UTC; 16:00 UTC is 17:00 in Berlin.
    await expect.poll(() => page.getByTestId('window-now').textContent()).toMatch(/^open now: allow window "weekdays-0900-1600" is open\. Closes .*\b(17|5):00:00\b/);
    expect(await page.getByTestId('window-now').locator('time').getAttribute('title')).toBe('2026-01-05 16:00:00 UTC');
    expect(await page.getByTestId('freezes-active').textContent()).toMatch(/docs-freeze: Docs migration \(until .*; docs-\*\)/);
    await expect.poll(() => page.getByTestId('approvals').getByRole('link').allTextContents()).toEqual(['api 2.0.0']);
    expect(await page.getByTestId('approvals').textContent()).toMatch(/also failing \d+ other checks: build\.typecheck/);
    expect(await page.getByTestId('budgets-measured').textContent()).toBe('0 of 8 services with an objective measured.');
    await expect.poll(() => page.getByText('No rollout has been started on this server.').count()).toBe(1);
    await expect.poll(() => page.getByText(/0 pending, 0 active, 0 needing review/).count()).toBe(1);
    await scan('overview');
    await shoot('overview');
    await narrow('overview');
  });

  it('opens a service with its SLOs and the gates that apply, reachable by keyboard', async () => {
    await page.getByRole('link', { name: 'api', exact: true }).focus();
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'api', level: 1 }).waitFor();
    expect(await page.getByRole('cell', { name: /availability 99\.\d+ %/ }).count()).toBe(1);
    const gates = await page.locator('.gates > li > strong').allTextContents();
    expect(gates).toEqual(['build', 'quality', 'security', 'slo', 'policy', 'approval']);
    await expect.poll(() => page.getByTestId('health').textContent()).toBe('critical');
    expect(await page.getByTestId('health-reasons').textContent()).toMatch(/error rate \(5xx\) 100% is above the critical bound/);
    await page.getByTestId('budget-availability').waitFor();
    // No Prometheus and no stored counts: not measured (an error naming the missing source, or no data), never a number.
    expect(await page.getByTestId('budget-availability').textContent()).toMatch(/^availability objective 99\.9 %Not measured \((error|no-data)\)/);
    expect(await page.getByTestId('budget-availability').getByTestId('budget-remaining').count()).toBe(0);
    // The budget over the window has nothing to draw either, and says so.
    await page.getByText('No requests in this period yet').first().waitFor();
    expect(await page.getByText(/^Not available yet/).count()).toBe(0);
    await scan('service');
    await shoot('service');
    await narrow('service');
    await page.goto(`${server.url}/services/sandbox`);
    await page.getByText(/Best effort: no objective/).waitFor();
    expect(await page.getByText('does not apply').count()).toBe(1);
  });

  it('lists flags with state, rollout and kill switch; the tripped one shows its evidence', async () => {
    await page.getByRole('link', { name: 'Flags' }).click();
    await page.getByRole('link', { name: 'search' }).waitFor();
    const row = page.getByRole('row', { name: /search/ });
    expect(await row.getByTestId('rollout-percent').textContent()).toBe('5 %');
    const killed = page.getByRole('row', { name: /new-ranking/ });
    expect(await killed.getByText('tripped').count()).toBe(1);
    expect(await killed.getByText('killed').count()).toBe(1);
    await scan('flags');
    await shoot('flags');
    await page.getByRole('link', { name: 'new-ranking' }).click();
    await page.getByTestId('kill-evidence').waitFor();
    expect(await page.getByTestId('kill-evidence').textContent()).toMatch(/error ratio 20/);
    await scan('flag-killed');
    await shoot('flag-killed');
  });

  it('edits a rollout as deployer and shows the change in the history diff; a bad targeting shows the 400', async () => {
    await page.goto(`${server.url}/flags/search`);
    await page.getByLabel(/^Reason/).fill('widen to a quarter');
    await page.getByLabel('Rollout percentage').fill('25');
    await page.getByRole('button', { name: 'Save rollout' }).click();
    await page.getByText('Rollout change: saved as version 2.').waitFor();
    const v2 = page.getByTestId('version-2');
    await v2.waitFor();
    expect(await v2.textContent()).toContain('widen to a quarter');
    expect(await v2.locator('del').allTextContents()).toContain('500');
    expect(await v2.locator('ins').allTextContents()).toContain('2500');
    expect(await page.getByTestId('rollout-percent').textContent()).toBe('25 %');

    // A request that fails on purpose; Chromium logs it as a console error.
    browser.expectedFailures.push(/\/api\/v1\/flags\/search$/);
    const editor = page.getByLabel(/^Definition/);
    const def = JSON.parse(await editor.inputValue()) as Record<string, unknown>;
    await editor.fill(JSON.stringify({ ...def, defaultVariant: 'nope' }, null, 2));
    await page.getByRole('button', { name: 'Validate and save' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/Targeting change was refused.*VALIDATION_FAILED.*"nope" is not one of the variants/s);
    browser.expectedFailures.pop();
    expect(await page.getByTestId('version-3').count()).toBe(0);
    await scan('flag-edit');
    await shoot('flag-edit');
    await narrow('flag-edit');
  });

  it('shows the audit log with filters and "chain intact"', async () => {
    await page.getByRole('link', { name: 'Audit' }).click();
    await expect.poll(() => page.getByTestId('chain-status').textContent()).toMatch(/chain intact/);
    await page.locator('table.audit tbody tr').first().waitFor();
    expect(await page.locator('table.audit tbody tr').count()).toBeGreaterThan(5);
    await page.getByLabel('Action').fill('flag.update');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    await expect.poll(async () => [...new Set(await page.locator('table.audit tbody tr td:nth-child(4)').allTextContents())]).toEqual(['flag.update']);
    const time = page.locator('table.audit time').first();
    expect(await time.getAttribute('title')).toMatch(/^2026-01-05 10:00:00 UTC$/);
    // Europe/Berlin is UTC+1 in January: the cell shows local time.
    expect(await time.textContent()).toMatch(/11:00:00/);
    await scan('audit');
    await shoot('audit');
    await narrow('audit');
  });

  it('signs out, and a viewer sees no edit buttons and is refused a PUT with its session (403)', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    expect((await context.cookies(server.url)).find((c) => c.name === 'rampart_session')).toBeUndefined();

    await signIn(tokens.viewer);
    await page.goto(`${server.url}/flags/search`);
    await page.getByTestId('read-only').waitFor();
    expect(await page.getByRole('button', { name: /Save rollout|Validate and save|Disable flag/ }).count()).toBe(0);
    await shoot('flag-viewer');

    const csrf = (await context.cookies(server.url)).find((c) => c.name === 'rampart_csrf')!.value;
    const body = { featureConfig: { name: 'search', rollout: { type: 'percentage', percentage: 100 } }, reason: 'viewer tries' };
    const refused = await context.request.put(`${server.url}/api/v1/flags/search`, { data: body, headers: { 'x-csrf-token': csrf } });
    expect(refused.status()).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: 'FORBIDDEN', message: expect.stringMatching(/needs role deployer or release-captain/) } });
    const noCsrf = await context.request.put(`${server.url}/api/v1/flags/search`, { data: body });
    expect(noCsrf.status()).toBe(403);
    expect((await noCsrf.json() as { error: { message: string } }).error.message).toMatch(/X-CSRF-Token/);
    expect((await admin('/api/v1/flags/search', 'GET')).version).toBe(2);
  });

  it('ends the session when its token is revoked', async () => {
    await admin(`/api/v1/tokens/${viewerTokenId}`, 'DELETE');
    await page.reload();
    await page.getByText(/its token was revoked/).waitFor();
    await shoot('signed-out-revoked');
  });

  it('renders the overview of a 1,000-service catalog (time reported, not asserted)', async () => {
    const yaml = ['services:', ...Array.from({ length: 1000 }, (_, i) => `  - { name: svc-${String(i).padStart(4, '0')}, tier: ${(i % 3) + 1}, description: service ${i} }`)].join('\n');
    const big = await startDashboardServer({ configYaml: yaml });
    try {
      const ctx = await context.browser()!.newContext({ viewport: { width: 1280, height: 900 } });
      const p = await ctx.newPage();
      await p.goto(big.url);
      await p.getByLabel('API token').fill(testAdminToken);
      await p.getByRole('button', { name: 'Sign in' }).click();
      await p.getByTestId('who').waitFor();
      // A fresh load of a signed-in page: navigation start until all 1,000 rows are in the DOM, taken
      // in the animation frame that first sees them (health and budgets fill the rows in later).
      await p.reload();
      await p.waitForFunction(() => {
        const w = window as unknown as { rowsAt?: number };
        if (document.querySelectorAll('.services li').length !== 1000) return false;
        w.rowsAt ??= performance.now();
        return true;
      }, undefined, { timeout: 10_000 });
      const ms = await p.evaluate(() => (window as unknown as { rowsAt: number }).rowsAt);
      // The health and budget of every row, which arrive after the rows (not part of the first render).
      await p.waitForFunction(() => document.querySelectorAll('.services [data-testid="health"]').length === 1000, undefined, { timeout: 20_000 });
      const filled = await p.evaluate(() => performance.now());
      const dom = await p.evaluate(() => document.querySelectorAll('.services li').length);
      const resources = await p.evaluate(() => performance.getEntriesByType('resource').map((e) => `${e.name.replace(location.origin, '')} ${Math.round(e.startTime)}→${Math.round(e.responseEnd)}`));
      expect(dom).toBe(1000);
      writeFileSync(join(artifacts, 'overview-1000.json'), `${JSON.stringify({ services: 1000, firstRenderMs: Math.round(ms), healthFilledMs: Math.round(filled), resources }, null, 2)}\n`);
      console.log(`overview with 1,000 services: first render ${Math.round(ms)} ms after navigation start; health of every row by ${Math.round(filled)} ms`);
      await ctx.close();
    } finally {
      await big.close();
    }
  });

  it('logged no console errors', () => {
    expect(browser.consoleErrors).toEqual([]);
  });
});
