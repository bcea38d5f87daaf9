import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A loopback HTTP server for provider tests; `handler` gets the request body already read. */
export async function startTestServer(handler: (req: IncomingMessage, body: string, res: ServerResponse) => void): Promise<{ url: string; requests: { method: string; url: string; body: string; headers: IncomingMessage['headers'] }[]; close(): Promise<void> }> {
  const requests: { method: string; url: string; body: string; headers: IncomingMessage['headers'] }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      requests.push({ method: req.method ?? '', url: req.url ?? '', body, headers: req.headers });
      handler(req, body, res);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((ok) => {
      server.closeAllConnections();
      server.close(() => ok());
    }),
  };
}

/** Replies with JSON. */
export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
