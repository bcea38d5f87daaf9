import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Env } from '../config/env.js';
import { startServer } from '../main.js';
import { createSilentLogger } from '../platform/logger.js';
import { errorRateTemplate } from './error-rate-template.js';
import { freePortOn } from './ports.js';
import { writeGoodEvidence } from './release-evidence.js';

const demoService = resolve(import.meta.dirname, '../../examples/demo-service/server.mjs');

/**
 * `rampart demo`: Rampart on embedded defaults with the demo service v1 behind the built-in
 * proxy and a load generator; then a bad v2 that is rolled back on its own, and a good v3 that is
 * promoted, with short pauses. Prints the timeline as it happens.
 */
export async function runDemo(env: Env, options: { port: number }, print: (line: string) => void): Promise<{ url: string; token: string; stop: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-demo-'));
  writeFileSync(join(dir, 'launch.mjs'), `if ((process.env.VERSION ?? '').startsWith('v2')) process.env.ERROR_RATE = '0.3';\nconst parent = process.ppid;\nsetInterval(() => { if (process.ppid !== parent) process.exit(0); }, 500).unref();\nawait import(${JSON.stringify(demoService)});\n`);
  writeFileSync(join(dir, 'demo-errors.yaml'), errorRateTemplate('demo-errors', { interval: '2s', count: 4, failureLimit: 1, below: 0.02, window: '10s' }));
  const strategy = ['strategy:', '  canary:', '    steps:',
    ...[10, 25, 50].flatMap((w) => [`      - setWeight: ${w}`, '      - pause: { duration: 3 }', '      - analysis:', `          templates: [{ templateName: ${JSON.stringify(join(dir, 'demo-errors.yaml'))} }]`]),
    '      - setWeight: 100', ''].join('\n');
  const proxyPort = await freePortOn('127.0.0.1');
  const good = writeGoodEvidence(dir, [
    '  windows:', '    - { name: demo-always-open, kind: allow, schedule: "* * * * *", duration: 1m }',
    'traffic:', '  services:', '    - service: api', `      port: ${proxyPort}`, '      stable: { version: v1.0.0 }',
    '      runtime:', '        type: process', '        config:',
    `          command: [${JSON.stringify(process.execPath)}, ${JSON.stringify(join(dir, 'launch.mjs'))}]`,
    '          env: { PORT: "{{port}}", VERSION: "{{version}}" }', '',
  ].join('\n'));
  const token = `rpt_demo_${randomBytes(18).toString('base64url')}`;
  const server = await startServer({ env: { ...env, adminToken: token }, configFile: good.configFile, dataDir: join(dir, 'data'), port: options.port, logger: createSilentLogger() });
  const { rollouts, releases, events } = server.rampart.deps;
  const t0 = Date.now();
  const at = () => `+${((Date.now() - t0) / 1000).toFixed(1).padStart(5)}s`;
  print(`Rampart demo at ${server.url}  (admin token ${token})`);
  print(`  api v1.0.0 behind the built-in proxy at http://127.0.0.1:${proxyPort}; 50 requests/s of load`);
  const unsubscribe = events.subscribe((e) => {
    const d = (e as { data?: { reason?: string; weights?: { canary: number } } }).data;
    print(`${at()}  ${e.type.padEnd(28)} ${d?.weights ? `canary ${d.weights.canary}%  ` : ''}${d?.reason ?? ''}`);
  });
  let loading = true;
  const load = (async () => {
    while (loading) {
      await fetch(`http://127.0.0.1:${proxyPort}/api/items`).then((r) => r.arrayBuffer(), () => undefined);
      await new Promise((r) => setTimeout(r, 20));
    }
  })();

  const captain = { actor: 'demo:release-captain', roles: ['release-captain'] };
  const deployer = { actor: 'demo:deployer' };
  await releases.putSloStatus('api', { errorBudgetRemainingPct: 80, fastBurnRate: 0.3 }, { actor: 'demo:sre' });
  const evidence = readdirSync(good.evidenceDir).map((name) => ({ name, content: readFileSync(join(good.evidenceDir, name)) }));
  async function release(version: string) {
    const r = await releases.create({ service: 'api', version, environment: 'production', kind: 'feature', evidence, steps: good.steps }, deployer);
    const approved = await releases.approve(r.id, captain, 'demo');
    print(`${at()}  gates ${approved.decision.allow ? 'ALLOW' : 'DENY'} api ${version} (release ${r.id}, decision ${approved.decision.id})`);
    return approved.id;
  }
  async function settle(version: string): Promise<string> {
    for (;;) {
      const s = await rollouts.status('api');
      if (s.status.canary.version === version && ['Healthy', 'Aborted', 'RolledBack'].includes(s.status.phase)) return s.status.phase;
      await new Promise((r) => setTimeout(r, 500));
    }
  }
  const { loadRolloutSpecs } = await import('../config/rollout/index.js');
  const spec = loadRolloutSpecs(strategy, 'demo-strategy.yaml').rollouts[0]!.spec;

  print(`${at()}  releasing v2.0.0 (fails 30 % of requests)`);
  await rollouts.setVersion('api', 'v2.0.0', deployer, { releaseId: await release('v2.0.0'), spec });
  const v2 = await settle('v2.0.0');
  print(`${at()}  v2.0.0 ended ${v2}`);
  print(`${at()}  releasing v3.0.0 (good)`);
  await rollouts.setVersion('api', 'v3.0.0', deployer, { releaseId: await release('v3.0.0'), spec });
  const v3 = await settle('v3.0.0');
  print(`${at()}  v3.0.0 ended ${v3}`);
  print(`done: see ${server.url} (dashboard), \`rampart rollout history api\`, \`rampart audit list\`; Ctrl-C to stop`);
  return {
    url: server.url, token,
    async stop() {
      loading = false;
      await load;
      unsubscribe();
      await server.shutdown();
    },
  };
}
