/**
 * Upgrade (WebSocket) pass-through: the proxy opens a raw TCP connection to the chosen version,
 * replays the request head with X-Forwarded-* added, and then pipes bytes both ways until either
 * side closes. The upstream's 101 (or refusal) reaches the client unchanged. Upgrades are not counted
 * in the request metrics: their duration is a connection's lifetime, not a request's.
 */
import type { IncomingMessage } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { forwardedHeaders } from './forward.js';
import type { Target } from './upstream.js';

/** Tunnels one upgrade request; returns when the tunnel is set up (or refused with 502). */
export function tunnelUpgrade(req: IncomingMessage, client: Duplex, head: Buffer, target: Target, timeoutMs: number, track: (s: Duplex) => void): void {
  const upstream: Socket = connect({ host: target.host, port: target.port });
  track(upstream);
  track(client);
  // Either side going away takes the other with it (pipe alone does not on destroy).
  let connected = false;
  upstream.once('close', () => {
    if (connected) client.destroy();
  });
  client.once('close', () => upstream.destroy());
  upstream.setTimeout(timeoutMs, () => upstream.destroy(new Error('upstream connect timeout')));
  const fail = () => {
    if (!client.destroyed) client.end('HTTP/1.1 502 Bad Gateway\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
  };
  upstream.once('error', fail);
  client.once('error', () => upstream.destroy());
  upstream.once('connect', () => {
    connected = true;
    upstream.setTimeout(0);
    upstream.removeListener('error', fail);
    upstream.once('error', () => client.destroy());
    const headers = forwardedHeaders(req, true, { hasBody: false });
    let text = `${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/1.1\r\n`;
    for (let i = 0; i < headers.length; i += 2) text += `${headers[i]}: ${headers[i + 1]}\r\n`;
    upstream.write(`${text}\r\n`);
    if (head.length > 0) upstream.write(head);
    upstream.pipe(client);
    client.pipe(upstream);
  });
}
