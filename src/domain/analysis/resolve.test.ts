import { describe, expect, it } from 'vitest';
import { substituteArgs } from './args.js';
import { resolve } from './resolve.js';
import { metricSpec, template } from './test-support/metric-fixture.js';

describe('resolve: every default written in', () => {
  it('fills Argo defaults for a bare metric', () => {
    const result = resolve(template([metricSpec({ successCondition: 'result < 1' })]));
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const { successCondition, ...metric } = result.analysis.metrics[0]!;
    expect(successCondition?.cel).toBe('(result < 1.0)');
    expect(metric).toEqual({
      name: 'm', provider: { type: 'prometheus', address: 'http://prom:9090', query: 'up' },
      intervalMs: null, initialDelayMs: 0, count: 1, failureLimit: 0, inconclusiveLimit: 0, consecutiveErrorLimit: 4,
      errorRetryMs: 10_000, failureCondition: null, dryRun: false, measurementRetention: 10, semantics: 'argo',
      noData: { policy: 'evaluate', minSamples: 0, minRequests: 0 },
    });
  });

  it.each<[string, { interval?: string; count?: number }, number | null]>([
    ['no count, no interval: one measurement', {}, 1],
    ['interval only: unbounded', { interval: '30s' }, null],
    ['count 0 with interval: unbounded (Argo EffectiveCount)', { interval: '30s', count: 0 }, null],
    ['explicit count', { interval: '30s', count: 10 }, 10],
  ])('effective count: %s', (_name, spec, count) => {
    const result = resolve(template([metricSpec(spec)]));
    expect(result.ok && result.analysis.metrics[0]?.count).toBe(count);
  });

  it('rampart/v1 writes the no-data defaults', () => {
    const result = resolve(template([metricSpec()], { semantics: 'rampart/v1' }));
    expect(result.ok && result.analysis.metrics[0]?.noData).toEqual({ policy: 'inconclusive', minSamples: 1, minRequests: 0 });
  });

  it('substitutes args everywhere, including counts and conditions', () => {
    const t = template(
      [metricSpec({ interval: '{{args.every}}', count: '{{ args.n }}', successCondition: 'result < {{args.max}}', provider: { type: 'prometheus', address: 'http://p', query: 'up{service="{{args.service}}"}' } })],
      { args: [{ name: 'service' }, { name: 'n', value: '3' }, { name: 'every', value: '1m' }, { name: 'max', value: '0.02' }] },
    );
    const result = resolve(t, { args: { service: 'checkout' } });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const metric = result.analysis.metrics[0]!;
    expect(metric.provider).toMatchObject({ query: 'up{service="checkout"}' });
    expect([metric.count, metric.intervalMs, metric.successCondition?.source]).toEqual([3, 60_000, 'result < 0.02']);
  });

  it('fills valueFrom.release args from the release', () => {
    const t = template([metricSpec({ provider: { type: 'prometheus', address: 'http://p', query: '{{args.svc}}:{{args.ver}}' } })], {
      args: [{ name: 'svc', valueFrom: { release: 'service' } }, { name: 'ver', valueFrom: { release: 'version' } }],
    });
    const result = resolve(t, { release: { service: 'api', version: 'v2' } });
    expect(result.ok && result.analysis.metrics[0]?.provider).toMatchObject({ query: 'api:v2' });
  });

  it('marks dry-run metrics by regular expression (unanchored, as Argo)', () => {
    const t = template([metricSpec({ name: 'error-rate' }), metricSpec({ name: 'latency-p95' })], { dryRun: [{ metricName: 'latency' }] });
    const result = resolve(t);
    expect(result.ok && result.analysis.metrics.map((m) => m.dryRun)).toEqual([false, true]);
  });

  it('applies measurementRetention limits', () => {
    const t = template([metricSpec({ name: 'a' }), metricSpec({ name: 'b' })], { measurementRetention: [{ metricName: '^a$', limit: 50 }] });
    const result = resolve(t);
    expect(result.ok && result.analysis.metrics.map((m) => m.measurementRetention)).toEqual([50, 10]);
  });

  it('flattens several templates', () => {
    const result = resolve([template([metricSpec({ name: 'a' })]), { ...template([metricSpec({ name: 'b' })]), name: 'u' }]);
    expect(result.ok && result.analysis.templates).toEqual(['t', 'u']);
  });
});

describe('resolve: problems are data', () => {
  it.each<[string, Parameters<typeof resolve>[0], Parameters<typeof resolve>[1], RegExp]>([
    ['missing arg', template([metricSpec()], { args: [{ name: 'service' }] }), {}, /args\.service was not resolved/],
    ['unknown supplied arg', template([metricSpec()]), { args: { servce: 'x' } }, /"servce" is not declared/],
    ['placeholder for an undeclared arg', template([metricSpec({ provider: { type: 'prometheus', address: 'http://p', query: '{{args.nope}}' } })]), {}, /"nope".*has no value/],
    ['duplicate metric', [template([metricSpec()]), template([metricSpec()])], {}, /two metrics have the same name "m"/],
    ['dryRun rule matching nothing', template([metricSpec()], { dryRun: [{ metricName: 'zzz' }] }), {}, /dryRun\[0\]: rule "zzz" matched no metric/],
    ['count below failureLimit', template([metricSpec({ interval: '1m', count: 2, failureLimit: 3 })]), {}, /count \(2\) must be >= failureLimit/],
    ['count > 1 without interval', template([metricSpec({ count: 3 })]), {}, /interval must be set/],
    ['negative limit', template([metricSpec({ failureLimit: -1 })]), {}, /failureLimit must be >= 0/],
    ['bad duration', template([metricSpec({ interval: '30 seconds' })]), {}, /not a duration/],
    ['non-numeric count from an arg', template([metricSpec({ interval: '1m', count: '{{args.n}}' })], { args: [{ name: 'n', value: 'ten' }] }), {}, /not a whole number/],
    ['mixed semantics', [template([metricSpec({ name: 'a' })]), template([metricSpec({ name: 'b' })], { semantics: 'rampart/v1' })], {}, /disagree on semantics/],
    ['conflicting arg values', [template([metricSpec({ name: 'a' })], { args: [{ name: 'x', value: '1' }] }), template([metricSpec({ name: 'b' })], { args: [{ name: 'x', value: '2' }] })], {}, /different values/],
  ])('%s', (_name, input, options, message) => {
    const result = resolve(input, options);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.problems.map((p) => p.message).join('\n')).toMatch(message);
  });
});

describe('substituteArgs', () => {
  it('allows spaces inside braces and rejects non-arg placeholders', () => {
    expect(substituteArgs('a{{ args.x }}b', { x: '1' })).toEqual({ ok: true, value: 'a1b' });
    const bad = substituteArgs('{{workflow.name}}', {});
    expect(bad.ok).toBe(false);
  });
});

describe('resolve with keepPlaceholders (for lint)', () => {
  const t = template(
    [metricSpec({ interval: '{{args.every}}', count: '{{args.n}}', successCondition: 'result < {{args.max}}', provider: { type: 'prometheus', address: 'http://p', query: 'up{service="{{args.service}}"}' } })],
    { args: [{ name: 'service' }, { name: 'n' }, { name: 'every' }, { name: 'max' }] },
  );

  it('keeps placeholders, writes the defaults and lists what is unresolved', () => {
    const result = resolve(t, { keepPlaceholders: true, args: { service: 'api' } });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const metric = result.analysis.metrics[0]!;
    expect(metric.provider).toMatchObject({ query: 'up{service="api"}' });
    expect([metric.count, metric.intervalMs, metric.successCondition, metric.consecutiveErrorLimit]).toEqual([1, null, null, 4]);
    expect(result.analysis.unresolved).toEqual(['args.n', 'args.every', 'args.max', 'metrics[m].interval', 'metrics[m].count', 'metrics[m].successCondition']);
  });

  it('without it, the same template needs its args', () => {
    expect(resolve(t, { args: { service: 'api' } }).ok).toBe(false);
  });

  it('a fully resolved analysis has nothing unresolved', () => {
    const result = resolve(t, { args: { service: 'api', n: '3', every: '30s', max: '0.1' } });
    expect(result.ok && result.analysis.unresolved).toEqual([]);
  });
});
