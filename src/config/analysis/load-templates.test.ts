import { describe, expect, it } from 'vitest';
import { resolve } from '../../domain/analysis/resolve.js';
import { formatTemplateProblem } from './problems.js';
import { loadAnalysisTemplates } from './load-templates.js';

const SLO_GUARD = `# k8s/argo/analysis-templates/slo-guard.yaml
apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata:
  name: slo-guard
spec:
  args:
    - name: service
    - name: namespace
  metrics:
    - name: error-rate
      interval: 30s
      count: 10
      successCondition: result < 0.02
      failureLimit: 3
      provider:
        prometheus:
          address: http://prometheus.monitoring:9090
          query: |
            sum(rate(http_requests_total{service="{{args.service}}", namespace="{{args.namespace}}", code=~"5.."}[2m]))
            /
            sum(rate(http_requests_total{service="{{args.service}}", namespace="{{args.namespace}}"}[2m]))
    - name: latency-p95
      interval: 30s
      count: 10
      successCondition: result < 0.5
      failureLimit: 3
      provider:
        prometheus:
          address: http://prometheus.monitoring:9090
          query: histogram_quantile(0.95, sum(rate(http_request_duration_seconds_bucket{service="{{args.service}}"}[2m])) by (le))
`;

const RESILIENCE_PROBE = `apiVersion: argoproj.io/v1alpha1
kind: AnalysisTemplate
metadata:
  name: resilience-probe
spec:
  args:
    - name: service
    - name: namespace
  metrics:
    - name: circuit-breaker-test
      interval: 60s
      count: 1
      successCondition: result == 1
      provider:
        job:
          spec:
            template:
              spec:
                containers:
                  - name: chaos-probe
                    image: ghcr.io/brianclong/summit/chaos-probe:latest
                    command:
                      - /bin/sh
                      - -c
                      - |
                        curl -sf http://{{args.service}}.{{args.namespace}}:4000/health/detailed
                restartPolicy: Never
`;

function load(text: string) {
  return loadAnalysisTemplates(text, 'templates.yaml');
}

describe('loadAnalysisTemplates: the spec\'s templates', () => {
  it('loads slo-guard verbatim and resolves it with args', () => {
    const result = load(SLO_GUARD);
    expect(result.problems).toEqual([]);
    const template = result.templates[0]!.template;
    expect(template.metrics.map((m) => [m.name, m.provider.type, m.interval, m.count, m.successCondition, m.failureLimit])).toEqual([
      ['error-rate', 'prometheus', '30s', 10, 'result < 0.02', 3],
      ['latency-p95', 'prometheus', '30s', 10, 'result < 0.5', 3],
    ]);
    const resolved = resolve(template, { args: { service: 'checkout', namespace: 'prod' } });
    expect(resolved.ok).toBe(true);
    if (!resolved.ok) return;
    const provider = resolved.analysis.metrics[0]!.provider;
    expect(provider.type === 'prometheus' && provider.query).toContain('service="checkout", namespace="prod"');
  });

  it('loads a job metric as a local command, warning that the image is ignored and that Argo ignores conditions on jobs', () => {
    const result = load(RESILIENCE_PROBE);
    expect(result.ok).toBe(true);
    expect(result.templates[0]!.template.metrics[0]!.provider).toEqual({
      type: 'job', image: 'ghcr.io/brianclong/summit/chaos-probe:latest',
      command: ['/bin/sh', '-c', 'curl -sf http://{{args.service}}.{{args.namespace}}:4000/health/detailed\n'],
    });
    expect(result.problems.map((p) => p.code).sort()).toEqual(['JOB_CONDITION_IGNORED', 'JOB_IMAGE_IGNORED']);
    expect(result.problems.every((p) => p.severity === 'warning')).toBe(true);
  });
});

describe('loadAnalysisTemplates: documents and kinds', () => {
  it('skips other kinds with a note and loads both template kinds from one file', () => {
    const text = `kind: Rollout\nmetadata: {name: web}\n---\n${SLO_GUARD}---\n${SLO_GUARD.replace('kind: AnalysisTemplate', 'kind: ClusterAnalysisTemplate').replace('name: slo-guard', 'name: cluster-guard')}`;
    const result = load(text);
    expect(result.skipped).toEqual([{ kind: 'Rollout', name: 'web', line: 1, note: 'not an analysis template (kind Rollout); skipped' }]);
    const apiVersionLines = text.split('\n').flatMap((line, i) => (line.startsWith('apiVersion:') ? [i + 1] : []));
    expect(result.templates.map((t) => [t.template.kind, t.template.name, t.line])).toEqual([
      ['AnalysisTemplate', 'slo-guard', apiVersionLines[0]],
      ['ClusterAnalysisTemplate', 'cluster-guard', apiVersionLines[1]],
    ]);
  });

  it('loads Rampart YAML with semantics, noData and the builtin provider', () => {
    const result = load(`apiVersion: rampart.dev/v1
kind: AnalysisTemplate
metadata: {name: builtin-guard}
spec:
  semantics: rampart/v1
  args:
    - name: service
      valueFrom: {release: service}
  metrics:
    - name: error-ratio
      interval: 30s
      count: 10
      successCondition: result < 0.02
      noData: {policy: wait, minRequests: 100}
      provider:
        builtin: {metric: error-ratio, service: "{{args.service}}", window: 2m}
`);
    expect(result.problems).toEqual([]);
    const t = result.templates[0]!.template;
    expect(t.semantics).toBe('rampart/v1');
    expect(t.args).toEqual([{ name: 'service', valueFrom: { release: 'service' } }]);
    expect(t.metrics[0]).toMatchObject({ noData: { policy: 'wait', minRequests: 100 }, provider: { type: 'builtin', metric: 'error-ratio', window: '2m' } });
  });
});

describe('loadAnalysisTemplates: rejections name file, line, column, path, template and metric', () => {
  it.each<[string, string, string, string, RegExp]>([
    ['an unsupported provider', 'provider:\n        datadog:\n          query: avg:errors', 'PROVIDER_UNSUPPORTED', 'spec.metrics[0].provider.datadog', /Argo's "datadog" provider is not supported/],
    ['a metric plugin', 'provider:\n        plugin:\n          argoproj-labs/metric: {}', 'PROVIDER_UNSUPPORTED', 'spec.metrics[0].provider.plugin', /"plugin" provider is not supported/],
    ['an unknown provider', 'provider:\n        promethues:\n          query: up', 'PROVIDER_UNSUPPORTED', 'spec.metrics[0].provider.promethues', /provider "promethues" is not supported/],
    ['two providers', 'provider:\n        prometheus: {address: http://p, query: up}\n        web: {url: http://x}', 'PROVIDER_COUNT', 'spec.metrics[0].provider', /exactly one provider/],
    ['an unsupported condition', 'successCondition: result..3\n      provider:\n        prometheus: {address: http://p, query: up}', 'CONDITION_UNSUPPORTED', 'spec.metrics[0].successCondition', /column 7: ranges/],
    ['a bad duration', 'interval: 30 sec\n      provider:\n        prometheus: {address: http://p, query: up}', 'FIELD_VALUE', 'spec.metrics[0].interval', /not a duration/],
    ['a missing query', 'provider:\n        prometheus: {address: http://p}', 'FIELD_REQUIRED', 'spec.metrics[0].provider.prometheus.query', /is required/],
    ['an unknown metric field', 'failureLimt: 2\n      provider:\n        prometheus: {address: http://p, query: up}', 'FIELD_UNKNOWN', 'spec.metrics[0].failureLimt', /unknown field "failureLimt"/],
    ['a job without a command', 'provider:\n        job:\n          spec:\n            template:\n              spec:\n                containers: [{name: c, image: busybox}]', 'JOB_NO_COMMAND', 'spec.metrics[0].provider.job.spec.template.spec.containers[0]', /no command/],
  ])('%s', (_name, body, code, path, message) => {
    const text = `kind: AnalysisTemplate\napiVersion: argoproj.io/v1alpha1\nmetadata:\n  name: guard\nspec:\n  metrics:\n    - name: errors\n      ${body}\n`;
    const result = load(text);
    expect(result.ok).toBe(false);
    expect(result.templates).toEqual([]);
    const problem = result.problems.find((p) => p.code === code);
    expect(problem, JSON.stringify(result.problems)).toBeDefined();
    expect(problem).toMatchObject({ severity: 'error', file: 'templates.yaml', path, template: 'guard', metric: 'errors' });
    expect(problem!.message).toMatch(message);
    expect(problem!.line).toBeGreaterThanOrEqual(8);
  });

  it('places a condition error at the offending character', () => {
    const result = load('apiVersion: argoproj.io/v1alpha1\nkind: AnalysisTemplate\nmetadata: {name: g}\nspec:\n  metrics:\n    - name: m\n      successCondition: result < 1 and foo\n      provider: {prometheus: {address: http://p, query: up}}\n');
    const problem = result.problems[0]!;
    expect([problem.line, problem.column]).toEqual([7, 40]);
    expect(formatTemplateProblem(problem)).toBe('templates.yaml:7:40: error: [g/m] spec.metrics[0].successCondition: condition "result < 1 and foo" at column 16: unknown name "foo": only "result" is defined in a condition');
  });

  it('accepts conditions with argument placeholders, checking the rest of the syntax', () => {
    const ok = load('apiVersion: argoproj.io/v1alpha1\nkind: AnalysisTemplate\nmetadata: {name: g}\nspec:\n  args: [{name: max}]\n  metrics:\n    - name: m\n      successCondition: "result < {{args.max}}"\n      provider: {prometheus: {address: http://p, query: up}}\n');
    expect(ok.problems).toEqual([]);
  });

  it('rejects secretKeyRef and fieldRef args with a way out', () => {
    const result = load('apiVersion: argoproj.io/v1alpha1\nkind: AnalysisTemplate\nmetadata: {name: g}\nspec:\n  args:\n    - name: token\n      valueFrom: {secretKeyRef: {name: s, key: k}}\n    - name: pod\n      valueFrom: {fieldRef: {fieldPath: metadata.name}}\n  metrics:\n    - name: m\n      provider: {prometheus: {address: http://p, query: up}}\n');
    expect(result.problems.map((p) => [p.code, p.path, p.line])).toEqual([
      ['ARG_SOURCE_UNSUPPORTED', 'spec.args[0].valueFrom.secretKeyRef', 7],
      ['ARG_SOURCE_UNSUPPORTED', 'spec.args[1].valueFrom.fieldRef', 9],
    ]);
    expect(result.problems[0]!.message).toMatch(/--arg token=/);
  });

  it('checks count against failureLimit and interval as Argo validates', () => {
    const result = load('apiVersion: argoproj.io/v1alpha1\nkind: AnalysisTemplate\nmetadata: {name: g}\nspec:\n  metrics:\n    - name: m\n      count: 3\n      failureLimit: 5\n      provider: {prometheus: {address: http://p, query: up}}\n');
    expect(result.problems.map((p) => p.message)).toEqual(['count (3) must be >= failureLimit (5)', 'interval must be set when count (3) > 1']);
  });

  it('noData needs rampart/v1 semantics', () => {
    const result = load('apiVersion: argoproj.io/v1alpha1\nkind: AnalysisTemplate\nmetadata: {name: g}\nspec:\n  metrics:\n    - name: m\n      noData: {policy: fail}\n      provider: {prometheus: {address: http://p, query: up}}\n');
    expect(result.problems[0]).toMatchObject({ code: 'FIELD_SEMANTICS', path: 'spec.metrics[0].noData' });
  });

  it('reports YAML syntax errors with a position', () => {
    const result = load('apiVersion: argoproj.io/v1alpha1\nkind: AnalysisTemplate\nmetadata: {name: g\n');
    expect(result.ok).toBe(false);
    expect(result.problems[0]).toMatchObject({ code: 'YAML_SYNTAX', file: 'templates.yaml' });
    expect(result.problems[0]!.line).toBeGreaterThan(0);
  });

  it('warns about dryRun rules that match no metric of the template', () => {
    const result = load('apiVersion: argoproj.io/v1alpha1\nkind: AnalysisTemplate\nmetadata: {name: g}\nspec:\n  dryRun: [{metricName: lat.*}]\n  metrics:\n    - name: m\n      provider: {prometheus: {address: http://p, query: up}}\n');
    expect(result.ok).toBe(true);
    expect(result.problems[0]).toMatchObject({ severity: 'warning', code: 'RULE_UNMATCHED' });
  });
});

describe('loadAnalysisTemplates: judge', () => {
  const withJudge = (judge: string): string => `apiVersion: rampart.dev/v1\nkind: AnalysisTemplate\nmetadata: {name: g}\nspec:\n  judge: ${judge}\n  metrics:\n    - name: m\n      provider: {prometheus: {address: http://p, query: up}}\n`;

  it('reads a plain judge name and writes the statistical defaults at resolve', () => {
    const result = load(withJudge('statistical'));
    expect(result.problems).toEqual([]);
    const resolved = resolve(result.templates[0]!.template);
    expect(resolved.ok && resolved.analysis.judge).toEqual({
      type: 'statistical',
      errorRate: { alpha: 0.01, beta: 0.05, k: 2, tolerance: 0 },
      latency: { alpha: 0.01, looks: 1, minEffect: 0.147, minSamples: 30 },
    });
  });

  it('reads statistical settings and rejects bad ones at resolve', () => {
    const result = load(withJudge('{type: statistical, errorRate: {alpha: 0.02, k: 3}, latency: {looks: 10}}'));
    expect(result.problems).toEqual([]);
    const resolved = resolve(result.templates[0]!.template);
    expect(resolved.ok && resolved.analysis.judge).toMatchObject({ errorRate: { alpha: 0.02, k: 3 }, latency: { looks: 10 } });
    const bad = resolve(load(withJudge('{type: statistical, errorRate: {k: 1}}')).templates[0]!.template);
    expect(!bad.ok && bad.problems[0]?.message).toMatch(/must exceed 1 \+ tolerance/);
  });

  it('rejects an unknown judge', () => {
    expect(load(withJudge('bayesian')).problems[0]).toMatchObject({ code: 'FIELD_VALUE', path: 'spec.judge' });
  });

  it('defaults to threshold', () => {
    const resolved = resolve(load(SLO_GUARD).templates[0]!.template, { args: { service: 's', namespace: 'n' } });
    expect(resolved.ok && resolved.analysis.judge).toEqual({ type: 'threshold' });
  });
});
