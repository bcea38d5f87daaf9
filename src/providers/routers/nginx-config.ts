/**
 * Renders an nginx configuration that splits each service between a stable and a canary upstream.
 * Pure: state in, text out. The split is `split_clients` (nginx hashes the key with MurmurHash2 into
 * percentages with two decimals, so Rampart's 0.01 % step carries over exactly). The canary range
 * comes first, so for a sticky key a user in canary stays there while the weight grows. Header
 * routes are a chain of `map`s in front of the split.
 */
import type { CompiledHeaderMatch } from '../../domain/traffic/header-match.js';

export interface NginxService {
  name: string;
  listenPort: number;
  /** host:port */
  stable: string;
  canary: string | null;
  sticky: { from: 'cookie' | 'header'; name: string } | null;
  /** Basis points (0–10,000). */
  canaryWeight: number;
  /** Routes of one match each (nginx cannot AND header conditions in a map). */
  headerRoutes: Array<{ name: string; match: CompiledHeaderMatch }>;
}

export interface NginxGlobal {
  prefix: string;
  workerProcesses: number;
  listenHost: string;
  /** Emit `user root;` (when the master runs as root, workers otherwise drop to nobody). */
  runAsRoot: boolean;
}

const ident = (s: string) => s.replace(/[^A-Za-z0-9_]/g, '_');

/** An nginx variable name for a request header or cookie. */
export function nginxVariable(from: 'cookie' | 'header', name: string): string {
  return from === 'cookie' ? `$cookie_${name}` : `$http_${name.toLowerCase().replace(/-/g, '_')}`;
}

/** Escapes a string for a double-quoted nginx parameter (map keys are never variable-expanded). */
function quote(s: string): string {
  return `"${s.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/** The PCRE pattern nginx's map matches for one header match. */
export function matchPattern(m: CompiledHeaderMatch): string {
  if (m.kind === 'exact') return `^${escapeRegex(m.value)}$`;
  if (m.kind === 'prefix') return `^${escapeRegex(m.value)}`;
  return m.value;
}

function percent(bp: number): string {
  return `${(bp / 100).toFixed(2)}%`;
}

function renderService(s: NginxService, g: NginxGlobal): string[] {
  const id = ident(s.name);
  const stable = `rampart_${id}_stable`;
  const canary = `rampart_${id}_canary`;
  const lines = [
    `  upstream ${stable} { server ${s.stable}; keepalive 64; }`,
    ...(s.canary ? [`  upstream ${canary} { server ${s.canary}; keepalive 64; }`] : []),
  ];
  let key = '$request_id';
  if (s.sticky) {
    const v = nginxVariable(s.sticky.from, s.sticky.name);
    lines.push(`  map ${v} $rampart_${id}_key { "" $request_id; default ${v}; }`);
    key = `$rampart_${id}_key`;
  }
  const weight = s.canary ? s.canaryWeight : 0;
  let target = `$rampart_${id}_split`;
  if (weight <= 0) lines.push(`  map $request_id ${target} { default ${stable}; }`);
  else if (weight >= 10_000) lines.push(`  map $request_id ${target} { default ${canary}; }`);
  else lines.push(`  split_clients "${key}" ${target} { ${percent(weight)} ${canary}; * ${stable}; }`);
  if (s.canary) {
    s.headerRoutes.forEach((route, i) => {
      const next = `$rampart_${id}_route${i}`;
      lines.push(`  map ${nginxVariable('header', route.match.header)} ${next} { default ${target}; ${quote(`~${matchPattern(route.match)}`)} ${canary}; }`);
      target = next;
    });
  }
  lines.push(
    '  server {',
    `    listen ${g.listenHost}:${s.listenPort};`,
    '    location / {',
    `      proxy_pass http://${target};`,
    '      proxy_http_version 1.1;',
    '      proxy_set_header Connection "";',
    '      proxy_set_header Host $host;',
    '      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;',
    '      proxy_set_header X-Forwarded-Proto $scheme;',
    '      proxy_set_header X-Forwarded-Host $host;',
    '    }',
    '  }',
  );
  return lines;
}

/** The whole nginx.conf for the given services. */
export function renderNginxConfig(services: readonly NginxService[], g: NginxGlobal): string {
  const p = g.prefix.replace(/\/$/, '');
  return [
    ...(g.runAsRoot ? ['user root;'] : []),
    `worker_processes ${g.workerProcesses};`,
    `pid ${p}/nginx.pid;`,
    `error_log ${p}/error.log warn;`,
    'events { worker_connections 4096; }',
    'http {',
    '  access_log off;',
    `  client_body_temp_path ${p}/tmp/body;`,
    `  proxy_temp_path ${p}/tmp/proxy;`,
    `  fastcgi_temp_path ${p}/tmp/fastcgi;`,
    `  uwsgi_temp_path ${p}/tmp/uwsgi;`,
    `  scgi_temp_path ${p}/tmp/scgi;`,
    '  keepalive_requests 100000;',
    ...services.flatMap((s) => renderService(s, g)),
    '}',
    '',
  ].join('\n');
}
