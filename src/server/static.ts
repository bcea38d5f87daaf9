import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import type { MiddlewareHandler } from 'hono';

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

/** Paths the API owns: never answered with the dashboard, so an unknown API path stays a JSON 404. */
const apiPrefixes = ['/api/', '/ofrep/', '/healthz', '/readyz', '/metrics'];

// The app ships no inline scripts and talks only to its own origin.
const securityHeaders = {
  'Content-Security-Policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

/**
 * Serves the built dashboard from `root` (dist/web) for GET/HEAD outside the API. Hashed files
 * under /assets/ are cached for a year; any other path without a file extension gets index.html so
 * the client-side routes (/flags/x, /services/api) survive a reload. Missing `root` answers 404
 * with a hint to build it, rather than falling through to an API 404.
 */
export function serveWeb(root: string): MiddlewareHandler {
  const base = resolve(root);
  return async (c, next) => {
    const path = c.req.path;
    if ((c.req.method !== 'GET' && c.req.method !== 'HEAD') || apiPrefixes.some((p) => path === p.replace(/\/$/, '') || path.startsWith(p))) {
      return next();
    }
    let rel: string;
    try {
      rel = decodeURIComponent(path);
    } catch {
      return next();
    }
    const file = normalize(join(base, rel));
    // A path that climbs out of root (../) is not ours to serve.
    if (file !== base && !file.startsWith(base + sep)) return next();
    const target = (await isFile(file)) ? file : extname(rel) === '' ? join(base, 'index.html') : undefined;
    if (!target || !(await isFile(target))) {
      if (target) return c.text('the dashboard is not built: run `npm run build:web` (writes dist/web)', 404);
      return next();
    }
    const body = await readFile(target);
    const immutable = rel.startsWith('/assets/') && target === file;
    const headers = {
      'Content-Type': types[extname(target)] ?? 'application/octet-stream',
      'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
      ...securityHeaders,
    };
    return c.req.method === 'HEAD' ? c.body(null, 200, headers) : c.body(new Uint8Array(body), 200, headers);
  };
}

async function isFile(p: string): Promise<boolean> {
  try {
    return (await stat(p)).isFile();
  } catch {
    return false;
  }
}
