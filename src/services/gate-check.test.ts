import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../config/load.js';
import { DEFAULT_THRESHOLDS, emptyEvidence, type Evidence, present, qualityGate } from '../domain/gates/index.js';
import { type ReleaseFacts, assembleEvidence, decide, loadGateSetup, parseSteps, replayDecision } from './gate-check.js';

/**
 * No OPA binary exists on our machines (no npm or Debian package), so the opa-rest adapter is
 * tested against a small HTTP server that answers as OPA's Data API documents it:
 * POST /v1/data/<path> with {"input": …} → 200 {"result": …}, or {} when the path is undefined.
 */
function startFakeOpa(): Promise<{ url: string; server: Server; seen: unknown[] }> {
  const seen: unknown[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      const { input } = JSON.parse(body) as { input: { gates: { build: { lint: string } }; service: string } };
      seen.push(input);
      res.setHeader('content-type', 'application/json');
      if (req.url === '/v1/data/companyos/release/decision') {
        const allow = input.gates.build.lint === 'pass';
        res.end(JSON.stringify({ result: { allow, violations: allow ? [] : ['Build gates not satisfied'], service: input.service } }));
      } else if (req.url === '/v1/data/companyos/release/allow') {
        res.end(JSON.stringify({ result: true }));
      } else {
        res.end('{}');
      }
    });
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, server, seen })));
}

const setupFor = (url: string, path: string) => {
  const r = parseConfig(`policy:\n  engine: opa-rest\n  url: ${url}\n  path: ${path}\n  timeoutMs: 500\n`);
  if (!r.ok) throw new Error('bad test config');
  return loadGateSetup(r.config);
};

const request = { id: 'dec_1', service: 'api', version: '1', environment: 'production', tier: '1' };
const lint = (outcome: 'pass' | 'fail'): Evidence => {
  const e = emptyEvidence();
  e.build.lint = present({ outcome }, { kind: 'flag', ref: `--step lint=${outcome}` });
  return e;
};
const at = Date.UTC(2026, 2, 3, 10);

describe('opa-rest policy engine (against a recorded-contract OPA server)', () => {
  let opa: Awaited<ReturnType<typeof startFakeOpa>>;
  beforeAll(async () => {
    opa = await startFakeOpa();
  });
  afterAll(() => opa.server.close());

  it('sends the rego-shaped input and uses the answer', async () => {
    const setup = setupFor(opa.url, 'companyos/release/decision');
    const pass = await decide(setup, request, lint('pass'), at);
    expect(pass.record.policy).toMatchObject({ allow: true });
    expect(opa.seen.at(-1)).toMatchObject({ service: 'api', version: '1', gates: { build: { lint: 'pass' } }, now: { ns: at * 1e6, weekday: 'Tuesday', hour: 10 } });
    const fail = await decide(setup, request, lint('fail'), at);
    expect(fail.record.policy).toMatchObject({ allow: false, violations: ['Build gates not satisfied'] });
  });

  it('reads a boolean result at an allow path', async () => {
    const { record } = await decide(setupFor(opa.url, 'companyos/release/allow'), request, lint('fail'), at);
    expect(record.policy.allow).toBe(true);
  });

  it('denies, saying why, when OPA has no result or cannot be reached', async () => {
    const none = await decide(setupFor(opa.url, 'companyos/nothing/here'), request, lint('pass'), at);
    expect(none.record.policy).toMatchObject({ allow: false, violations: ['OPA returned no result for data.companyos.nothing.here (is the policy loaded at that path?)'] });
    expect(none.record.allow).toBe(false);
    const down = await decide(setupFor('http://127.0.0.1:9', 'companyos/release/decision'), request, lint('pass'), at);
    expect(down.record.policy.allow).toBe(false);
    expect(down.inputs.policy).toMatchObject({ engine: 'opa-rest', response: { error: expect.stringMatching(/OPA unreachable/) } });
  });

  it('replays from the recorded answer without asking OPA again', async () => {
    const { record, inputs } = await decide(setupFor(opa.url, 'companyos/release/decision'), request, lint('pass'), at);
    const asked = opa.seen.length;
    expect(JSON.parse(JSON.stringify(replayDecision(JSON.parse(JSON.stringify(inputs)))))).toEqual(JSON.parse(JSON.stringify(record)));
    expect(opa.seen.length).toBe(asked);
  });
});

describe('the quality gate\'s golden_path from Rampart\'s synthetic checks', () => {
  const r = parseConfig('{}');
  if (!r.ok) throw new Error('bad test config');
  const setup = loadGateSetup(r.config);
  const fromSynthetic = { outcome: 'fail' as const, source: 'synthetic run against api v2 at 2026-01-05T10:00:00.000Z (failed: graphql: POST /graphql answered 500)' };
  const goldenPathCheck = (steps: string[], goldenPath: ReleaseFacts['goldenPath']) => {
    const evidence = assembleEvidence([], parseSteps(steps), { slo: {}, ...(goldenPath ? { goldenPath } : {}) }, setup);
    return qualityGate(evidence, DEFAULT_THRESHOLDS).checks.find((c) => c.check === 'golden_path');
  };

  it.each<[string, string[], ReleaseFacts['goldenPath'], Record<string, unknown>]>([
    ['the latest synthetic run supplies it, with its source', [], fromSynthetic, { result: 'fail', value: 'fail', source: `api:${fromSynthetic.source}` }],
    ['a passing run passes it', [], { outcome: 'pass', source: 'synthetic run against api v2 (passed: health, graphql)' }, { result: 'pass', source: 'api:synthetic run against api v2 (passed: health, graphql)' }],
    ['evidence given explicitly wins over the synthetic run', ['golden_path=pass'], fromSynthetic, { result: 'pass', source: 'flag:--step golden_path=pass' }],
    ['no run against the version stays missing, saying so', [], { missing: 'no synthetic run against api v2 yet' }, { result: 'missing', detail: expect.stringContaining('no synthetic run against api v2 yet') }],
    ['no synthetic checks at all: missing as before', [], undefined, { result: 'missing', source: null }],
  ])('%s', (_name, steps, goldenPath, expected) => {
    expect(goldenPathCheck(steps, goldenPath)).toMatchObject(expected);
  });
});
