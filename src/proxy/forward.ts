/**
 * Forwarding of one request to one upstream version over its undici pool, streaming both ways with
 * backpressure. The proxy's own failures become statuses counted against that version: a connect
 * or socket error is 502, a per-request timeout 504. Nothing here logs (this is the hot path).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Clock } from '../platform/clock.js';
import type { Target } from './upstream.js';

// Header names the proxy never forwards (hop-by-hop, RFC 9110 §7.6.1) or replaces itself
// (X-Forwarded-*), and Expect (Node's server already answered 100-continue, and undici refuses it).
// Compared by length first so most names are never lower-cased.
const droppedRequestHeaders = new Set([
  'connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'expect',
  'transfer-encoding', 'upgrade', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-host',
]);
const droppedLengths = new Set([...droppedRequestHeaders].map((h) => h.length));
const droppedResponseHeaders = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'trailer', 'upgrade']);

/** What `forwardedHeaders` learned while copying: whether the request carries a body. */
export interface HeaderScan {
  hasBody: boolean;
}

/**
 * The upstream request headers: the client's minus hop-by-hop ones, plus X-Forwarded-For/Proto/Host.
 * One pass over the raw headers; `scan` receives whether a body follows. Never touches
 * `req.headers`, which Node builds lazily (an object per request the hot path can do without).
 */
export function forwardedHeaders(req: IncomingMessage, keepUpgrade: boolean, scan: HeaderScan): string[] {
  const raw = req.rawHeaders;
  const out: string[] = [];
  let host: string | undefined;
  let prior: string | undefined;
  let contentLength: string | undefined;
  let chunked = false;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i] as string;
    const value = raw[i + 1] as string;
    const len = name.length;
    if (len === 4 || len === 14 || droppedLengths.has(len)) {
      const lower = name.toLowerCase();
      if (lower === 'host') host = value;
      else if (lower === 'content-length') contentLength = value;
      else if (lower === 'transfer-encoding') chunked = true;
      else if (lower === 'x-forwarded-for') prior = prior === undefined ? value : `${prior}, ${value}`;
      if (droppedRequestHeaders.has(lower) && !(keepUpgrade && (lower === 'upgrade' || lower === 'connection'))) continue;
    }
    out.push(name, value);
  }
  const client = req.socket.remoteAddress ?? '';
  out.push('x-forwarded-for', prior ? `${prior}, ${client}` : client);
  out.push('x-forwarded-proto', 'http');
  if (host !== undefined) out.push('x-forwarded-host', host);
  scan.hasBody = contentLength !== undefined ? contentLength !== '0' : chunked;
  return out;
}

function isTimeout(err: Error): boolean {
  const code = (err as { code?: string }).code;
  return code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_BODY_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT';
}

const droppedResponseLengths = new Set([...droppedResponseHeaders].map((h) => h.length));

/**
 * The client response headers from undici's raw upstream headers (name, value, … as latin1 bytes):
 * hop-by-hop ones dropped, names kept as the upstream spelled them, repeated headers kept in order.
 */
export function responseHeaders(raw: readonly Buffer[], closeConnection: boolean): string[] {
  const flat: string[] = [];
  for (let i = 0; i < raw.length; i += 2) {
    const name = (raw[i] as Buffer).toString('latin1');
    if (droppedResponseLengths.has(name.length) && droppedResponseHeaders.has(name.toLowerCase())) continue;
    flat.push(name, (raw[i + 1] as Buffer).toString('latin1'));
  }
  if (closeConnection) flat.push('connection', 'close');
  return flat;
}

/**
 * undici's raw dispatch handler (onConnect/onHeaders/onData/onComplete/onError). The proxy uses it
 * rather than the controller API because the latter wraps every request in an adapter that parses
 * the upstream headers into an object, which the proxy would only flatten again.
 */
interface RawHandler {
  onConnect(abort: (err?: Error) => void): void;
  onHeaders(statusCode: number, headers: Buffer[], resume: () => void, statusText: string): boolean;
  onData(chunk: Buffer): boolean;
  onComplete(trailers: Buffer[] | null): void;
  onError(err: Error): void;
}

/** Streams the upstream response into `res` and records the outcome on the target's series. */
export class ForwardHandler implements RawHandler {
  private abort: ((err?: Error) => void) | null = null;
  private resume: (() => void) | null = null;
  private status = 0;
  private finished = false;
  private held: Buffer | null = null;
  private streaming = false;

  constructor(
    private readonly res: ServerResponse,
    private readonly target: Target,
    private readonly startedAt: number,
    private readonly clock: Clock,
    private readonly closeConnection: boolean,
    private readonly onDone: () => void,
  ) {
    // 'close' is emitted once: `on` spares the wrapper `once` would allocate per request.
    res.on('close', this.onClientClose);
  }

  private readonly onClientClose = () => {
    if (!this.finished) this.abort?.(new Error('client closed the connection'));
  };

  private readonly onDrain = () => this.resume?.();

  onConnect(abort: (err?: Error) => void): void {
    this.abort = abort;
    if (this.res.destroyed) abort(new Error('client closed the connection'));
  }

  onHeaders(statusCode: number, headers: Buffer[], resume: () => void, statusText: string): boolean {
    if (statusCode < 200) return true; // 1xx informational: the final response follows
    this.status = statusCode;
    this.resume = resume;
    this.res.writeHead(statusCode, statusText || undefined, responseHeaders(headers, this.closeConnection));
    return true;
  }

  onData(chunk: Buffer): boolean {
    // The first chunk is held back: most answers are one chunk, and end(chunk) then sends head,
    // body and end in one write instead of two.
    if (this.held === null && !this.streaming) {
      this.held = chunk;
      return true;
    }
    this.streaming = true;
    if (this.held !== null) {
      this.res.write(this.held);
      this.held = null;
    }
    if (!this.res.write(chunk)) {
      this.res.once('drain', this.onDrain);
      return false;
    }
    return true;
  }

  onComplete(): void {
    if (this.held !== null) {
      this.res.end(this.held);
      this.held = null;
    } else this.res.end();
    this.complete(this.status);
  }

  onError(error: Error): void {
    if (this.finished) return;
    const res = this.res;
    if (res.destroyed) {
      // The client left; nothing was answered, so it is not counted as an upstream error.
      this.finished = true;
      this.onDone();
      return;
    }
    if (res.headersSent || this.held !== null) {
      this.held = null;
      res.destroy(error);
      this.complete(this.status >= 500 ? this.status : 502);
      return;
    }
    const status = isTimeout(error) ? 504 : 502;
    res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'x-rampart-proxy-error': status === 504 ? 'upstream timeout' : 'upstream unreachable', ...(this.closeConnection ? { connection: 'close' } : {}) });
    res.end(status === 504 ? 'upstream timed out\n' : 'upstream unreachable\n');
    this.complete(status);
  }

  private complete(status: number): void {
    this.finished = true;
    this.target.series.record(status, (performance.now() - this.startedAt) / 1000, this.clock.now());
    this.onDone();
  }
}

/** Discards a mirrored response; records it against the mirror target so its errors still count. */
export class MirrorHandler implements RawHandler {
  private status = 0;
  constructor(private readonly target: Target, private readonly startedAt: number, private readonly clock: Clock) {}
  onConnect(): void {}
  onHeaders(statusCode: number): boolean {
    if (statusCode >= 200) this.status = statusCode;
    return true;
  }
  onData(): boolean {
    return true;
  }
  onComplete(): void {
    this.target.series.record(this.status, (performance.now() - this.startedAt) / 1000, this.clock.now());
  }
  onError(error: Error): void {
    this.target.series.record(isTimeout(error) ? 504 : 502, (performance.now() - this.startedAt) / 1000, this.clock.now());
  }
}
