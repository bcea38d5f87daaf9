import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runRampart, startUp, waitExit } from '../../src/testing/cli.js';
import { requireComponent } from '../../src/testing/components.js';
import { freePort } from '../../src/testing/ports.js';

const promtool = requireComponent('promtool', ['/usr/bin/promtool'], 'apt-get install -y prometheus');

describe('rampart slo and budget commands', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-slo-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.runIf(promtool.available)('writes rules for the whole sample catalog that promtool checks and tests', async () => {
    const r = await runRampart(['slo', 'rules', '--tests', dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/slo:sli_error:ratio_rate5m/);
    expect(r.stdout).toMatch(/slo:error_budget_burn_rate:fast/);
    const check = execFileSync('/usr/bin/promtool', ['check', 'rules', join(dir, 'slo-rules.yaml')]).toString();
    expect(check).toMatch(/SUCCESS: \d+ rules found/);
    const test = execFileSync('/usr/bin/promtool', ['test', 'rules', join(dir, 'slo-rules.test.yaml')]).toString();
    expect(test).toMatch(/SUCCESS/);
  });

  it('shows budget status, saying plainly when there is no data source', async () => {
    const admin = 'rpt_slo-cli-admin-token-0000000000000';
    const up = await startUp(['--port', String(await freePort()), '--data-dir', join(dir, 'data')], { RAMPART_ADMIN_TOKEN: admin });
    try {
      const r = await runRampart(['budget', 'status', 'api'], { RAMPART_SERVER: up.url, RAMPART_TOKEN: admin });
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/api\s+availability 99\.9%\s+error\s+\[ no data/);
      expect(r.stderr).toMatch(/no Prometheus configured \(slo\.prometheusUrl\)/);
    } finally {
      up.child.kill('SIGTERM');
      await waitExit(up.child);
    }
  });
});
