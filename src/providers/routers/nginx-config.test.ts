import { describe, expect, it } from 'vitest';
import { compileHeaderMatch } from '../../domain/traffic/header-match.js';
import { matchPattern, nginxVariable, renderNginxConfig, type NginxService } from './nginx-config.js';

const base: NginxService = { name: 'api', listenPort: 9000, stable: '127.0.0.1:8081', canary: '127.0.0.1:8082', sticky: null, canaryWeight: 1025, headerRoutes: [] };
const g = { prefix: '/tmp/ng/', workerProcesses: 1, listenHost: '127.0.0.1', runAsRoot: false };

describe('nginx config rendering', () => {
  it.each([
    [0, 'map $request_id $rampart_api_split { default rampart_api_stable; }'],
    [1025, 'split_clients "$request_id" $rampart_api_split { 10.25% rampart_api_canary; * rampart_api_stable; }'],
    [1, 'split_clients "$request_id" $rampart_api_split { 0.01% rampart_api_canary; * rampart_api_stable; }'],
    [10_000, 'map $request_id $rampart_api_split { default rampart_api_canary; }'],
  ])('weight %s bp renders %s', (canaryWeight, line) => {
    expect(renderNginxConfig([{ ...base, canaryWeight }], g)).toContain(line);
  });

  it('keys the split on the sticky cookie, falling back to the request id', () => {
    const text = renderNginxConfig([{ ...base, sticky: { from: 'cookie', name: 'uid' } }], g);
    expect(text).toContain('map $cookie_uid $rampart_api_key { "" $request_id; default $cookie_uid; }');
    expect(text).toContain('split_clients "$rampart_api_key"');
  });

  it('chains header routes in front of the split and proxies to the last one', () => {
    const m = compileHeaderMatch({ headerName: 'X-Canary', headerValue: { exact: 'a.b' } }, 'm');
    if (!m.ok) throw new Error(m.message);
    const text = renderNginxConfig([{ ...base, headerRoutes: [{ name: 'r', match: m.value }] }], g);
    expect(text).toContain('map $http_x_canary $rampart_api_route0 { default $rampart_api_split; "~^a\\\\.b$" rampart_api_canary; }');
    expect(text).toContain('proxy_pass http://$rampart_api_route0;');
    expect(text).toContain('pid /tmp/ng/nginx.pid;');
  });

  it.each([
    [{ exact: 'v1.2' }, '^v1\\.2$'], [{ prefix: 'eu-' }, '^eu-'], [{ regex: '^(a|b)$' }, '^(a|b)$'],
  ])('match %j → pattern %s', (headerValue, pattern) => {
    const m = compileHeaderMatch({ headerName: 'x', headerValue }, 'm');
    if (!m.ok) throw new Error(m.message);
    expect(matchPattern(m.value)).toBe(pattern);
  });

  it.each([[['header', 'X-User-Id'], '$http_x_user_id'], [['cookie', 'uid'], '$cookie_uid']] as const)('%j → %s', ([from, name], v) => {
    expect(nginxVariable(from, name)).toBe(v);
  });
});
