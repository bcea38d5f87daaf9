import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, type ConsoleMessage, type Page, chromium } from 'playwright-core';
import { expect } from 'vitest';

export const artifacts = resolve(process.cwd(), 'test-artifacts');
const axeSource = readFileSync(resolve(process.cwd(), 'node_modules/axe-core/axe.min.js'), 'utf8');

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown }>;
}

/**
 * Debian's Chromium with the flags from ARCHITECTURE.md §5 on a fresh profile, one page at
 * 1280 px in Europe/Berlin, collecting console errors except from URLs the test expects to fail.
 */
export async function openBrowser() {
  mkdirSync(artifacts, { recursive: true });
  const profile = mkdtempSync(join(tmpdir(), 'rampart-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    viewport: { width: 1280, height: 900 },
    timezoneId: 'Europe/Berlin',
  });
  const page: Page = context.pages()[0] ?? await context.newPage();
  page.setDefaultTimeout(5000);
  const consoleErrors: string[] = [];
  const expectedFailures: RegExp[] = [];
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() !== 'error') return;
    const where = m.location().url;
    if (!expectedFailures.some((r) => r.test(where))) consoleErrors.push(`${m.text()} @ ${where}`);
  });
  page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${e.message}`));

  return {
    context, page, consoleErrors, expectedFailures,
    /** axe-core on the page as it is: no serious or critical violation. */
    async scan(name: string) {
      await page.evaluate(axeSource);
      const violations = await page.evaluate(async () => {
        const axe = (window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
        return (await axe.run(document, { resultTypes: ['violations'] })).violations;
      });
      const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${name}: ${v.id} (${v.impact}) ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`);
      expect(serious).toEqual([]);
    },
    async shoot(name: string) {
      await page.screenshot({ path: join(artifacts, `${name}.png`), fullPage: true });
    },
    /** At ~400 px the page must not scroll sideways (wide tables scroll inside their own region). */
    async narrow(name: string) {
      await page.setViewportSize({ width: 400, height: 900 });
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(400);
      await page.screenshot({ path: join(artifacts, `${name}-narrow.png`), fullPage: true });
      await page.setViewportSize({ width: 1280, height: 900 });
    },
    async signIn(url: string, token: string) {
      await page.goto(url);
      const who = page.getByTestId('who');
      await page.locator('[data-testid="who"], #signin-title').first().waitFor();
      if (await who.count()) {
        await page.getByRole('button', { name: 'Sign out' }).click();
        await page.getByRole('heading', { name: 'Sign in' }).waitFor();
      }
      await page.getByLabel('API token').fill(token);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await who.waitFor();
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
