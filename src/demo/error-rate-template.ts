/**
 * A short error-rate analysis on the built-in proxy's counters (rampart/v1, waits for traffic):
 * the quick analysis the demo, the rollout tests and the rollback benchmark run at each step.
 */
export function errorRateTemplate(name: string, o: { interval: string; count: number; failureLimit: number; below: number; window: string }): string {
  return [
    'apiVersion: rampart.dev/v1', 'kind: AnalysisTemplate', `metadata: { name: ${name} }`, 'spec:', '  semantics: rampart/v1',
    '  args:', '    - { name: service, valueFrom: { release: service } }', '    - { name: version, valueFrom: { release: version } }',
    '  metrics:', '    - name: error-rate', `      interval: ${o.interval}`, `      count: ${o.count}`, `      failureLimit: ${o.failureLimit}`,
    `      successCondition: result < ${o.below}`, '      noData: { policy: wait }', '      provider:',
    `        builtin: { metric: error-ratio, service: "{{args.service}}", version: "{{args.version}}", window: ${o.window} }`, '',
  ].join('\n');
}
