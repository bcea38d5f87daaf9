import { describe, expect, it } from 'vitest';
import { formatProblem, parseConfig } from './load.js';

const service = (extra: string, name = 'api', port = 8081) =>
  `  - service: ${name}\n    port: ${port}\n    stable: { version: v1, url: "http://127.0.0.1:9001" }\n${extra}`;
const traffic = (...services: string[]) => `traffic:\n  services:\n${services.join('')}`;

describe('rampart.yaml traffic.services[].router', () => {
  it.each([
    ['absent (the built-in proxy)', service(''), undefined],
    ['builtin-proxy', service('    router: { type: builtin-proxy }\n'), { type: 'builtin-proxy' }],
    ['nop', service('    router: { type: nop, config: {} }\n'), { type: 'nop', config: {} }],
    ['nginx with defaults', service('    router: { type: nginx }\n'), { type: 'nginx' }],
    ['nginx with settings', service('    router:\n      type: nginx\n      config: { prefix: /tmp/ngx, manage: false, workerProcesses: 2, sticky: { from: cookie, name: uid } }\n'),
      { type: 'nginx', config: { prefix: '/tmp/ngx', manage: false, workerProcesses: 2, sticky: { from: 'cookie', name: 'uid' } } }],
  ])('accepts %s', (_name, services, router) => {
    const r = parseConfig(traffic(services));
    expect(r.ok ? r.config.traffic.services[0]?.router : r.problems.map(formatProblem)).toEqual(router);
  });

  it('lets services that name the same nginx prefix share it when their settings agree', () => {
    const r = parseConfig(traffic(
      service('    router: { type: nginx, config: { prefix: /tmp/ngx } }\n'),
      service('    router: { type: nginx, config: { prefix: /tmp/ngx } }\n', 'web', 8082),
    ));
    expect(r.ok ? r.config.traffic.services.map((s) => s.router?.type) : r.problems.map(formatProblem)).toEqual(['nginx', 'nginx']);
  });

  it.each([
    ['an unknown type', traffic(service('    router: { type: envoy }\n')),
      [{ line: 6, column: 21, path: 'traffic.services[0].router.type', message: /"envoy" is not a router type; use one of: builtin-proxy, nginx, nop/ }]],
    ['a missing type', traffic(service('    router: { config: {} }\n')),
      [{ line: 6, path: 'traffic.services[0].router.type', message: /expected string/ }]],
    ['config for a router that takes none', traffic(service('    router: { type: builtin-proxy, config: { port: 1 } }\n')),
      [{ line: 6, path: 'traffic.services[0].router.config', message: /unknown field "port" for router builtin-proxy; it takes: nothing \(leave config out\)/ }]],
    ['an unknown nginx field', traffic(service('    router:\n      type: nginx\n      config:\n        workers: 4\n')),
      [{ line: 9, column: 9, path: 'traffic.services[0].router.config', message: /unknown field "workers" for router nginx; it takes: prefix, binary, manage, workerProcesses, sticky/ }]],
    ['a wrongly typed nginx field', traffic(service('    router:\n      type: nginx\n      config:\n        workerProcesses: many\n')),
      [{ line: 9, column: 26, path: 'traffic.services[0].router.config.workerProcesses', message: /number/ }]],
    ['a bad sticky source', traffic(service('    router:\n      type: nginx\n      config:\n        sticky: { from: query, name: uid }\n')),
      [{ line: 9, path: 'traffic.services[0].router.config.sticky.from', message: /cookie|header/ }]],
    ['nginx on an ephemeral port', traffic(service('    router: { type: nginx }\n', 'api', 0)),
      [{ line: 4, column: 11, path: 'traffic.services[0].port', message: /nginx listens on a fixed port: set port to 1-65535/ }]],
    ['nginx for a service name nginx cannot use', traffic(service('    router: { type: nginx }\n', '"api v2"')),
      [{ line: 3, path: 'traffic.services[0].service', message: /letters, digits, _, \. and - only/ }]],
    ['two services sharing an nginx that disagree', traffic(
      service('    router: { type: nginx, config: { prefix: /tmp/ngx, workerProcesses: 2 } }\n'),
      service('    router: { type: nginx, config: { prefix: /tmp/ngx, workerProcesses: 4 } }\n', 'web', 8082),
    ), [{ line: 10, path: 'traffic.services[1].router.config.workerProcesses', message: /share one nginx: workerProcesses must equal that of traffic.services\[0\] \(2\), or give this service its own prefix/ }]],
    ['two services sharing the default nginx on different hosts', traffic(
      service('    router: { type: nginx }\n'),
      service('    host: 0.0.0.0\n    router: { type: nginx }\n', 'web', 8082),
    ), [{ line: 10, path: 'traffic.services[1].host', message: /default.*host must equal/ }]],
  ])('reports %s with line and field', (_name, text, expected) => {
    const r = parseConfig(text, 'x.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.problems.map(formatProblem)).toHaveLength(expected.length);
    expected.forEach((e, i) => {
      const { message, ...rest } = e;
      expect(r.problems[i]).toMatchObject({ file: 'x.yaml', ...rest });
      expect(r.problems[i]?.message).toMatch(message);
    });
  });
});
