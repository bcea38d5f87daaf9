import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorRateTemplate } from '../../src/demo/error-rate-template.js';
import { type RunningServer, startServer } from '../../src/main.js';
import { createSilentLogger } from '../../src/platform/logger.js';
import { requireComponent } from '../../src/testing/components.js';
import { freePort } from '../../src/testing/ports.js';
import { writeGoodEvidence } from '../../src/testing/release-evidence.js';
import { ensureWebBuilt } from './harness.js';
import { openBrowser } from './kit.js';

const chromiumFound = requireComponent('Chromium', ['/usr/bin/chromium'], 'apt-get install -y chromium');
const demo = resolve(import.meta.dirname, '../../examples/demo-service/server.mjs');
const adminToken = 'rpt_browser-release-path-admin-0000000000';

/**
 * The release path in a real browser against a real server on a real clock: the demo service's
 * versions run as processes behind the built-in proxy, a load generator drives traffic through it,
 * and the error-rate analysis judges each canary from the proxy's own counters.
 */
describe.skipIf(!chromiumFound.available)('rollout, decision and exception pages in Chromium', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-browser-path-'));
  let server: RunningServer;
  let browser: Awaited<ReturnType<typeof openBrowser>>;
  let proxy: string;
  let evidence: Array<{ name: string; content: Buffer }>;
  let steps: string[];
  let loading = true;
  let load: Promise<void> = Promise.resolve();
  const tokens: Record<'deployer' | 'viewer' | 'captain', string> = { deployer: '', viewer: '', captain: '' };
  const releases: Record<string, { id: string; decisionId: string }> = {};

  async function call(path: string, token: string, method = 'GET', body?: unknown) {
    const res = await fetch(`${server.url}${path}`, {
      method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const json = await res.json() as Record<string, unknown>;
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
    return json;
  }

  /** A release of `version` whose gates allow it (good evidence, release captain approval). */
  async function allowedRelease(version: string): Promise<string> {
    const { releases: svc } = server.rampart.deps;
    const created = await svc.create({ service: 'api', version, environment: 'production', kind: 'feature', evidence, steps }, { actor: 'token:dee' });
    const approved = await svc.approve(created.id, { actor: 'token:rc', roles: ['release-captain'] }, 'browser test');
    expect(approved.decision.allow).toBe(true);
    releases[version] = { id: approved.id, decisionId: approved.decisionId };
    return approved.id;
  }

  async function startRollout(version: string, strategy: string) {
    return call('/api/v1/rollouts/api', tokens.deployer, 'POST', { version, release: await allowedRelease(version), strategy });
  }

  const phase = () => browser.page.getByTestId('phase').textContent();

  beforeAll(async () => {
    ensureWebBuilt();
    // Any version named bad-* fails half its API requests; children exit when this process goes.
    writeFileSync(join(dir, 'launch.mjs'), `if ((process.env.VERSION ?? '').startsWith('bad-')) process.env.ERROR_RATE = '0.5';\nconst parent = process.ppid;\nsetInterval(() => { if (process.ppid !== parent) process.exit(0); }, 500).unref();\nawait import(${JSON.stringify(demo)});\n`);
    writeFileSync(join(dir, 'quick-errors.yaml'), errorRateTemplate('quick-errors', { interval: '1s', count: 4, failureLimit: 1, below: 0.05, window: '10s' }));
    const proxyPort = await freePort();
    proxy = `http://127.0.0.1:${proxyPort}`;
    const good = writeGoodEvidence(dir, [
      '  windows:', '    - { name: always, kind: allow, schedule: "* * * * *", duration: 1m }',
      'traffic:', '  services:', '    - service: api', `      port: ${proxyPort}`, '      stable: { version: v1 }',
      '      runtime:', '        type: process', '        config:',
      `          command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(join(dir, 'launch.mjs'))}]`,
      '          env: { PORT: "{{port}}", VERSION: "{{version}}" }', '',
    ].join('\n'));
    evidence = readdirSync(good.evidenceDir).map((name) => ({ name, content: readFileSync(join(good.evidenceDir, name)) }));
    steps = good.steps;
    server = await startServer({ env: { adminToken }, configFile: good.configFile, dataDir: join(dir, 'data'), host: '127.0.0.1', port: 0, logger: createSilentLogger() });
    for (const [key, name, role] of [['deployer', 'dee', 'deployer'], ['viewer', 'vic', 'viewer'], ['captain', 'rc', 'release-captain']] as const) {
      tokens[key] = String((await call('/api/v1/tokens', adminToken, 'POST', { name, roles: [role] })).token);
    }
    await server.rampart.deps.releases.putSloStatus('api', { errorBudgetRemainingPct: 80, fastBurnRate: 0.2 }, { actor: 'token:sre' });
    load = (async () => {
      while (loading) {
        await fetch(`${proxy}/api/items`).then((r) => r.arrayBuffer(), () => undefined);
        await new Promise((r) => setTimeout(r, 10));
      }
    })();
    browser = await openBrowser();
  }, 60_000);

  afterAll(async () => {
    loading = false;
    await load;
    await browser?.close();
    await server?.shutdown();
    rmSync(dir, { recursive: true, force: true });
  });

  it('watches a bad version fail its analysis and roll back, live, without a reload', async () => {
    const { page } = browser;
    await browser.signIn(server.url, tokens.deployer);
    // No rollout yet: the status answers 404, which the page shows as "none yet".
    browser.expectedFailures.push(/\/api\/v1\/rollouts\/api$/);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Rollouts' }).click();
    await page.getByRole('heading', { name: /^Rollouts/ }).waitFor();
    await page.goto(`${server.url}/rollouts/api`);
    await page.getByTestId('no-rollout').waitFor();
    await expect.poll(() => page.getByTestId('stream').textContent()).toBe('live');
    browser.expectedFailures.pop();
    await page.evaluate(() => { (window as unknown as { marker: string }).marker = 'same document'; });

    await startRollout('bad-2', ['strategy:', '  canary:', '    steps:', '      - setWeight: 50', '      - pause: { duration: 2 }',
      '      - analysis:', `          templates: [{ templateName: ${JSON.stringify(join(dir, 'quick-errors.yaml'))} }]`, '      - setWeight: 100', ''].join('\n'));
    await page.getByTestId('timeline').waitFor({ timeout: 15_000 });
    await expect.poll(phase, { timeout: 60_000 }).toBe('Aborted');
    expect(await page.getByTestId('abort').textContent()).toMatch(/Aborted by auto-controller/);
    expect(await page.getByTestId('canary-weight').textContent()).toBe('0 %');
    expect(await page.getByTestId('stable-weight').textContent()).toBe('100 %');
    expect(await page.getByTestId('step-2').textContent()).toMatch(/Analysis: quick-errors\.yaml — aborted at this step/);
    // The failing measurement with its explanation: the value, Failed, and the condition it missed.
    const failed = page.locator('tr.measurement.bad').first();
    await failed.waitFor({ timeout: 10_000 });
    expect(await failed.textContent()).toMatch(/Failed.*success when result < 0\.05.*over 10s/);
    expect(await page.getByTestId('chart-error-rate').getAttribute('aria-label')).toMatch(/\(Failed\).*threshold 0\.05/);
    const events = await page.getByTestId('events').textContent();
    expect(events).toContain('rollout.started');
    expect(events).toContain('rollout.aborted');
    expect(await page.evaluate(() => (window as unknown as { marker?: string }).marker)).toBe('same document');
    await browser.scan('rollout-aborted');
    await browser.shoot('rollout-aborted');
    await browser.narrow('rollout-aborted');
  }, 90_000);

  it('aborts a paused rollout from the page as deployer', async () => {
    const { page } = browser;
    await startRollout('good-3', ['strategy:', '  canary:', '    steps:', '      - setWeight: 20', '      - pause: { duration: 600 }', '      - setWeight: 100', ''].join('\n'));
    await expect.poll(phase, { timeout: 30_000 }).toBe('Paused');
    await expect.poll(() => page.getByTestId('canary-weight').textContent()).toBe('20 %');
    expect(await page.getByTestId('step-1').getAttribute('aria-current')).toBe('step');
    // Ten minutes, or twenty when the error budget fell below 50 % (the bad version earlier burned it once
    // the proxy's minute rollups reached the store): the page then says why.
    const step1 = (await page.getByTestId('step-1').textContent()) ?? '';
    if (await page.getByTestId('pause-stretched').count()) expect(step1).toMatch(/Pause 10 min — \d+ s elapsed, (19 min \d+ s|20 min) left \(lengthened to 20 min: the error budget is below 50 %\)/);
    else expect(step1).toMatch(/Pause 10 min — \d+ s elapsed, (9 min \d+ s|10 min) left/);
    // The remaining pause counts down on the page by itself.
    const left = await page.getByTestId('pause-left').textContent();
    await expect.poll(() => page.getByTestId('pause-left').textContent()).not.toBe(left);
    expect(await page.getByTestId('verbs').getByRole('button').allTextContents()).toEqual(['Promote', 'Promote full', 'Pause', 'Abort']);
    await browser.scan('rollout-paused');
    await browser.shoot('rollout-paused');

    await page.getByLabel(/^Abort reason/).fill('stopped from the dashboard');
    await page.getByRole('button', { name: 'Abort' }).click();
    await expect.poll(phase, { timeout: 15_000 }).toBe('Aborted');
    expect(await page.getByTestId('abort').textContent()).toMatch(/Aborted by token:dee .*stopped from the dashboard/);
    expect(await page.getByTestId('canary-weight').textContent()).toBe('0 %');
    const audit = await call('/api/v1/audit?action=rollout.command.abort', adminToken) as { events: Array<{ actor: string }> };
    expect(audit.events.map((e) => e.actor)).toEqual(['token:dee']);
  }, 60_000);

  it('shows a viewer no verbs, and the server refuses its abort (403)', async () => {
    const { page, context } = browser;
    await startRollout('good-4', ['strategy:', '  canary:', '    steps:', '      - setWeight: 20', '      - pause: {}', ''].join('\n'));
    await browser.signIn(server.url, tokens.viewer);
    await page.goto(`${server.url}/rollouts/api`);
    await expect.poll(phase, { timeout: 30_000 }).toBe('Paused');
    await page.getByTestId('read-only').waitFor();
    expect(await page.getByTestId('step-1').textContent()).toMatch(/Pause until promoted.*elapsed, waiting for promote/);
    expect(await page.getByRole('button', { name: /Abort|Promote|Pause|Resume|Retry|Undo/ }).count()).toBe(0);
    await browser.shoot('rollout-viewer');
    const csrf = (await context.cookies(server.url)).find((c) => c.name === 'rampart_csrf')!.value;
    const refused = await context.request.post(`${server.url}/api/v1/rollouts/api/commands`, { data: { verb: 'abort' }, headers: { 'x-csrf-token': csrf } });
    expect(refused.status()).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: 'FORBIDDEN', message: expect.stringMatching(/needs role deployer or release-captain/) } });
    expect(((await call('/api/v1/rollouts/api', adminToken)) as { phase: string }).phase).toBe('Paused');
    // The overview lists the running rollout with its step and weights.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Overview' }).click();
    await expect.poll(() => page.getByTestId('active-rollouts').textContent()).toMatch(/api good-4 Paused step 2 of 2.*canary good-4 20 %/);
    await browser.scan('overview-rollout');
    await browser.shoot('overview-rollout');
    await call('/api/v1/rollouts/api/commands', adminToken, 'POST', { verb: 'abort', reason: 'test cleanup' });
  }, 60_000);

  it('lists recent rollouts', async () => {
    const { page } = browser;
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Rollouts' }).click();
    const rows = page.locator('table tbody tr');
    await rows.first().waitFor();
    expect(await rows.locator('td:nth-child(2)').allTextContents()).toEqual(['good-4', 'good-3', 'bad-2']);
    await browser.scan('rollouts');
    await browser.shoot('rollouts');
  });

  it('opens release decisions from the service page: six gates in order with evidence, violations, replay', async () => {
    const { page } = browser;
    const denied = await server.rampart.deps.releases.create({ service: 'api', version: 'untested-9', environment: 'production', kind: 'feature', evidence: [], steps: [] }, { actor: 'token:dee' });
    expect(denied.allow).toBe(false);
    await page.goto(`${server.url}/services/api`);
    await page.getByTestId('releases').waitFor();
    expect(await page.getByTestId('releases').locator('tbody tr td:first-child').allTextContents()).toEqual(['untested-9', 'good-4', 'good-3', 'bad-2']);
    await page.getByRole('link', { name: 'decision of bad-2' }).click();
    await expect.poll(() => page.getByTestId('verdict').textContent()).toBe('allow');
    expect(page.url()).toBe(`${server.url}/decisions/${releases['bad-2']!.decisionId}`);
    expect(await page.locator('.gate-list .gate-name').allTextContents()).toEqual(['build', 'quality', 'security', 'slo', 'policy', 'approval']);
    // Local time (Europe/Berlin) on the page, the UTC instant on hover.
    const decided = page.locator('dl.facts time').first();
    const utc = await decided.getAttribute('title');
    expect(utc).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC$/);
    const berlin = new Date(Date.parse(utc!.replace(' UTC', 'Z').replace(' ', 'T'))).toLocaleTimeString('en-US', { timeZone: 'Europe/Berlin', hour: 'numeric', minute: '2-digit' });
    expect(await decided.textContent()).toContain(berlin.replace(/\s?[AP]M$/, ''));
    const budget = page.getByTestId('check-slo.error_budget');
    expect(await budget.locator('td').allTextContents()).toEqual(['error_budget', '80', '>= 20%', 'pass', expect.stringMatching(/^api:slo-status \(set by token:sre at /), '80% of the error budget remains']);
    expect(await page.getByTestId('check-approval.release_captain').textContent()).toContain('token:rc');
    await page.getByRole('button', { name: 'Replay decision' }).click();
    await expect.poll(() => page.getByTestId('replay-result').textContent()).toMatch(/identical to the stored decision/);
    await browser.scan('decision-allow');
    await browser.shoot('decision-allow');
    await browser.narrow('decision-allow');

    await page.goBack();
    await page.getByRole('link', { name: 'decision of untested-9' }).click();
    await expect.poll(() => page.getByTestId('verdict').textContent()).toBe('deny');
    expect(await page.getByTestId('violations').locator('li').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('check-quality.coverage').textContent()).toMatch(/missing.*no evidence supplied/);
    // It waits for a release captain; this viewer is told so and gets no Approve button.
    await page.getByTestId('awaiting-approval').waitFor();
    expect(await page.getByRole('button', { name: /^Approve/ }).count()).toBe(0);
    await browser.scan('decision-deny');
    await browser.shoot('decision-deny');
  });

  it('approves a window exception as release captain; a security one shows who must approve it', async () => {
    const { page } = browser;
    const win = await call('/api/v1/exceptions', tokens.deployer, 'POST', { type: 'window', service: 'api', reason: 'checkout hotfix', mitigation: 'canary 1 %, on-call watching' });
    const sec = await call('/api/v1/exceptions', tokens.deployer, 'POST', { type: 'security', service: 'api', cveIds: ['CVE-2026-1111'], reason: 'no fix upstream', mitigation: 'WAF rule' });
    // A granted emergency override becomes an exception whose review is mandatory.
    const emergency = await server.rampart.deps.releases.create({ service: 'api', version: 'hotfix-10', environment: 'production', kind: 'fix', evidence, steps, emergency: { approver: 'vp-on-call', incidentId: 'INC-7' } }, { actor: 'token:dee' });
    expect(emergency.decision.overrides.granted).toBe(true);

    await browser.signIn(server.url, tokens.captain);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Exceptions' }).click();
    const pending = page.getByTestId('pending');
    await pending.waitFor();
    const winCard = page.getByTestId(`exception-${String(win.id)}`);
    const secCard = page.getByTestId(`exception-${String(sec.id)}`);
    expect(await secCard.getByTestId('cannot-approve').textContent()).toMatch(/needs security or eng-director; your roles are release-captain/);
    expect(await secCard.getByRole('button').count()).toBe(0);
    expect(await page.getByTestId('needs-review').textContent()).toMatch(/INC-7|emergency override/);
    await browser.scan('exceptions-pending');
    await browser.shoot('exceptions-pending');
    await browser.narrow('exceptions-pending');

    // By keyboard: the button takes focus and Enter approves.
    await winCard.getByRole('button', { name: `Approve exception ${String(win.id)}` }).focus();
    await page.keyboard.press('Enter');
    const active = page.getByTestId('active');
    await active.waitFor();
    await expect.poll(() => active.getByTestId(`exception-${String(win.id)}`).getByTestId('time-left').textContent()).toMatch(/^(3 h 59 min|4 h) left$/);
    expect(await pending.getByTestId(`exception-${String(win.id)}`).count()).toBe(0);
    expect(await call(`/api/v1/exceptions/${String(win.id)}`, adminToken)).toMatchObject({ state: 'approved', approvers: ['token:rc'] });
    await browser.scan('exceptions-approved');
    await browser.shoot('exceptions-approved');

    await page.getByLabel(/^Review notes for/).fill('override was justified; the hotfix is verified');
    await page.getByRole('button', { name: /^Record review exception/ }).click();
    await expect.poll(() => page.getByText('No used exception waits for its review.').count()).toBe(1);
    expect((await call('/api/v1/audit?action=exception.review', adminToken) as { events: Array<{ actor: string }> }).events.map((e) => e.actor)).toEqual(['token:rc']);
  });

  it('approves a release waiting for the release captain from its decision page, reached from the overview', async () => {
    const { page } = browser;
    const waiting = await server.rampart.deps.releases.create({ service: 'api', version: 'wait-11', environment: 'production', kind: 'feature', evidence, steps }, { actor: 'token:dee' });
    expect(waiting.decision.checks.flatMap((g) => g.checks).filter((c) => c.result !== 'pass' && !c.bypassed && !c.waived).map((c) => c.id)).toEqual(['approval.release_captain']);
    await page.goto(server.url);
    const pending = page.getByTestId('approvals');
    await pending.getByRole('link', { name: 'api wait-11' }).click();
    await expect.poll(() => page.getByTestId('verdict').textContent()).toBe('deny');
    expect(await page.getByTestId('check-approval.release_captain').textContent()).toMatch(/missing/);
    await browser.scan('decision-awaiting-approval');
    await browser.shoot('decision-awaiting-approval');
    await page.getByLabel(/^Comment/).fill('canary plan reviewed');
    await page.getByRole('button', { name: 'Approve api wait-11' }).click();
    // The release is decided again with the approval: the page moves to the new decision.
    await expect.poll(() => page.getByTestId('verdict').textContent()).toBe('allow');
    const after = await call(`/api/v1/releases/${waiting.id}`, adminToken) as { decisionId: string; approvals: Array<{ approver: string; comment: string }> };
    expect(page.url()).toBe(`${server.url}/decisions/${after.decisionId}`);
    expect(after.approvals).toMatchObject([{ approver: 'token:rc', comment: 'canary plan reviewed' }]);
    expect(await page.getByTestId('check-approval.release_captain').textContent()).toContain('token:rc');
    expect(await page.getByTestId('approve').count()).toBe(0);
    await page.goto(server.url);
    await pending.waitFor();
    expect(await pending.getByRole('link', { name: 'api wait-11' }).count()).toBe(0);
  });

  it('undoes a promoted rollout to a revision picked from its history, as deployer', async () => {
    const { page } = browser;
    await browser.signIn(server.url, tokens.deployer);
    await startRollout('good-12', ['strategy:', '  canary:', '    scaleDownDelaySeconds: 600', '    steps:', '      - setWeight: 100', ''].join('\n'));
    await page.goto(`${server.url}/rollouts/api`);
    await expect.poll(phase, { timeout: 30_000 }).toBe('Healthy');
    const status = await call('/api/v1/rollouts/api', adminToken) as { status: { previous: { version: string; revision: number } } };
    expect(status.status.previous.version).toBe('v1');
    const picker = page.getByLabel('Undo to revision');
    expect(await picker.inputValue()).toBe(String(status.status.previous.revision));
    const options = await picker.locator('option').allTextContents();
    // Newest revision first; the previous version (the default choice) is marked wherever it falls.
    expect(options).toContain(`revision ${status.status.previous.revision}: v1 (previous)`);
    const revisions = options.map((o) => Number(/^revision (\d+):/.exec(o)?.[1]));
    expect(revisions).toEqual([...revisions].sort((a, b) => b - a));
    expect(options).toEqual(expect.arrayContaining([expect.stringMatching(/^revision \d+: good-3$/), expect.stringMatching(/^revision \d+: bad-2$/)]));
    expect(options.some((o) => o.includes('good-12'))).toBe(false);
    await browser.scan('rollout-undo');
    await browser.shoot('rollout-undo');
    // Pick another revision, then the previous one again: the command carries the one picked last.
    const bad2 = options.find((o) => o.endsWith(': bad-2'))!.replace(/^revision (\d+):.*$/, '$1');
    await picker.selectOption(bad2);
    expect(await picker.inputValue()).toBe(bad2);
    await picker.selectOption(String(status.status.previous.revision));
    await page.getByRole('button', { name: 'Undo' }).click();
    // Inside the warm window the previous version takes all traffic at once.
    await expect.poll(phase, { timeout: 15_000 }).toBe('RolledBack');
    await expect.poll(() => page.getByTestId('stable-weight').textContent()).toBe('100 %');
    expect(await page.getByTestId('weights').textContent()).toMatch(/stable v1 100 %/);
    const audit = await call('/api/v1/audit?action=rollout.command.undo', adminToken) as { events: Array<{ actor: string; payload: { toRevision?: number } }> };
    expect(audit.events.map((e) => [e.actor, e.payload.toRevision])).toEqual([['token:dee', status.status.previous.revision]]);
  }, 60_000);

  it('logged no console errors', () => {
    expect(browser.consoleErrors).toEqual([]);
  });
});
