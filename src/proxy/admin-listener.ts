/**
 * The proxy's own admin listener: GET /metrics in Prometheus text format, GET /healthz. For setups
 * where Prometheus scrapes the data plane directly; the Rampart API mounts `renderPrometheus()` too.
 */
import { createServer, type Server } from 'node:http';
import { contentType } from './prometheus-text.js';
import type { MetricsStore } from './metrics-store.js';

export interface AdminListener {
  port: number;
  close(): Promise<void>;
}

export async function startAdminListener(metrics: MetricsStore, options: { host?: string; port?: number } = {}): Promise<AdminListener> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (req.method === 'GET' && path === '/metrics') {
      res.writeHead(200, { 'content-type': contentType });
      res.end(metrics.renderPrometheus());
    } else if (req.method === 'GET' && path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok\n');
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const a = server.address();
  return {
    port: typeof a === 'object' && a ? a.port : 0,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
