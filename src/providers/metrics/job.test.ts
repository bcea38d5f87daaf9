import { describe, expect, it } from 'vitest';
import { createJobProvider, parseOutput } from './job.js';
import { metricFor, metricProviderContract } from './provider.case.js';

const node = process.execPath;
const config = { timeoutSeconds: 10, killGraceSeconds: 1, env: {} };

describe('job provider', () => {
  metricProviderContract('job', { empty: false, hanging: true }, async () => ({
    provider: createJobProvider(config),
    answering: (v) => metricFor({ type: 'job', command: [node, '-e', `console.log("checking"); console.log(JSON.stringify({ value: ${v} }))`] }),
    failing: () => metricFor({ type: 'job', command: ['/nonexistent/probe'] }),
    hanging: () => metricFor({ type: 'job', command: [node, '-e', 'setTimeout(() => {}, 60000)'] }),
    foreign: () => metricFor({ type: 'prometheus', address: 'http://x', query: 'up' }),
    close: async () => {},
  }));

  const provider = createJobProvider(config);

  it.each([
    [[node, '-e', 'process.exit(3)'], { kind: 'job', exitCode: 3 }],
    [['/bin/sh', '-c', 'echo 1; exit 0'], { kind: 'job', exitCode: 0, output: 1 }],
    [['/bin/sh', '-c', 'echo "not json"'], { kind: 'job', exitCode: 0 }],
  ])('%o → %o', async (command, expected) => {
    const m = await provider.measure(metricFor({ type: 'job', command }), { now: 0 });
    expect(m).toMatchObject(expected);
    if (command[2] === 'echo "not json"') expect(m).not.toHaveProperty('output');
  });

  it('runs no shell: shell syntax in an argument stays literal', async () => {
    const m = await provider.measure(metricFor({ type: 'job', command: [node, '-e', 'console.log(JSON.stringify(process.argv.slice(1)))', '$HOME;echo hi'] }), { now: 0 });
    expect(m).toMatchObject({ kind: 'job', exitCode: 0, output: ['$HOME;echo hi'] });
  });

  it('kills a job that outlives its timeout, children included', async () => {
    const quick = createJobProvider({ timeoutSeconds: 0.3, killGraceSeconds: 0.5, env: {} });
    const started = performance.now();
    const m = await quick.measure(metricFor({ type: 'job', command: ['/bin/sh', '-c', 'sleep 30; echo late'] }), { now: 0 });
    expect([m.kind, m.errorCode]).toEqual(['error', 'timeout']);
    expect(performance.now() - started).toBeLessThan(3000);
  });

  it('passes the configured environment', async () => {
    const withEnv = createJobProvider({ ...config, env: { PROBE_TARGET: 'http://svc:4000' } });
    const m = await withEnv.measure(metricFor({ type: 'job', command: ['/bin/sh', '-c', 'printf \'"%s"\' "$PROBE_TARGET"'] }), { now: 0 });
    expect(m).toMatchObject({ kind: 'job', exitCode: 0, output: 'http://svc:4000' });
  });

  it.each([
    ['{"a":1}', { a: 1 }],
    ['log line\n{"ok":true}\n', { ok: true }],
    ['', undefined],
    ['plain text', undefined],
  ])('parseOutput(%j)', (stdout, expected) => {
    expect(parseOutput(stdout)).toEqual(expected);
  });
});
