/**
 * The built-in reverse proxy of one service: an HTTP/1.1 listener (and, in blue-green mode, a
 * preview listener pinned to the new version) in front of a stable and an optional canary upstream.
 *
 * Routing state is one immutable object swapped whole on every change; each request reads it once,
 * so no request ever sees half an update, and a change costs one assignment.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { chooseRole, cookieValue, defaultRouting, shouldMirror, stickyBucket, type RoutingConfig } from '../domain/traffic/routing.js';
import type { CompileResult } from '../domain/traffic/header-match.js';
import { resetRouting, withHeaderRoute, withMirror, withSticky, withWeight } from '../domain/traffic/routing-update.js';
import { faultAction } from './faults.js';
import { ForwardHandler, MirrorHandler, forwardedHeaders, type HeaderScan } from './forward.js';
import type { ProxyAddress, ProxyResult, ServiceProxy, ServiceProxyOptions } from './proxy-types.js';
import { tunnelUpgrade } from './upgrade.js';
import { PoolCache, parseUpstreamUrl, type Target, type UpstreamVersion } from './upstream.js';

export type { ProxyAddress, ProxyResult, ServiceProxy, ServiceProxyOptions };

interface State {
  readonly routing: RoutingConfig;
  readonly stable: Target;
  readonly canary: Target | null;
}

// Header lookup for the pure router without a closure per request: the request is set just before
// the synchronous call. `req.headers` is built by Node on first read, so a request that no header
// route, sticky key or mirror match asks about never pays for it.
let lookupRequest: IncomingMessage | null = null;
const lookup = (name: string): string | undefined => {
  const v = lookupRequest?.headers[name];
  return typeof v === 'string' ? v : Array.isArray(v) ? v[0] : undefined;
};

export function createServiceProxy(options: ServiceProxyOptions): ServiceProxy {
  const { service, clock, metrics, faults } = options;
  const namespace = options.namespace ?? 'default';
  const timeoutMs = options.timeoutMs ?? 30_000;
  const pools = new PoolCache({ connections: options.connectionsPerUpstream ?? 256, connectTimeoutMs: Math.min(timeoutMs, 10_000) });

  const makeTarget = (u: UpstreamVersion, field: string): CompileResult<Target> => {
    const parsed = parseUpstreamUrl(u.url, field);
    if (!parsed.ok) return parsed;
    if (typeof u.version !== 'string' || u.version === '') return { ok: false, message: `${field}: version must be a non-empty string` };
    const target: Target = Object.freeze({
      version: u.version, origin: parsed.origin, host: parsed.host, port: parsed.port, pool: pools.get(parsed.origin),
      series: metrics.series(service, u.version, namespace), fault: faults.slot(service, u.version),
    });
    return { ok: true, value: target };
  };
  const initialStable = makeTarget(options.stable, 'stable.url');
  if (!initialStable.ok) throw new TypeError(initialStable.message);
  const initialCanary = options.canary ? makeTarget(options.canary, 'canary.url') : null;
  if (initialCanary && !initialCanary.ok) throw new TypeError(initialCanary.message);

  let state: State = Object.freeze({ routing: options.routing ?? defaultRouting, stable: initialStable.value, canary: initialCanary ? initialCanary.value : null });
  let upstreamSpec = { stable: { ...options.stable }, canary: options.canary ? { ...options.canary } : null };
  let inFlight = 0;
  let draining = false;
  let drained: (() => void) | null = null;
  const tunnels = new Set<Duplex>();
  const done = () => {
    inFlight--;
    if (draining && inFlight === 0) drained?.();
  };

  const pick = (s: State, req: IncomingMessage): Target => {
    if (s.canary === null) return s.stable;
    const r = s.routing;
    lookupRequest = req;
    let sticky = -1;
    if (r.sticky !== null) {
      const key = r.sticky.from === 'cookie' ? cookieValue(lookup('cookie'), r.sticky.name) : lookup(r.sticky.name);
      if (key) sticky = stickyBucket(key);
    }
    return chooseRole(r, lookup, sticky, (Math.random() * 10_000) | 0) === 'canary' ? s.canary : s.stable;
  };

  // Reused per request: forwarding is synchronous up to dispatch, so no two requests share it at once.
  const scan: HeaderScan = { hasBody: false };
  /** Dispatches the request; returns its forwarded headers (reused by a mirror copy). */
  const forward = (req: IncomingMessage, res: ServerResponse, target: Target, startedAt: number): string[] => {
    const handler = new ForwardHandler(res, target, startedAt, clock, draining, done);
    const headers = forwardedHeaders(req, false, scan);
    target.pool.dispatch({
      path: req.url ?? '/', method: req.method ?? 'GET', headers, body: scan.hasBody ? req : null,
      headersTimeout: timeoutMs, bodyTimeout: timeoutMs,
    }, handler);
    return headers;
  };

  const handle = (req: IncomingMessage, res: ServerResponse, preview: boolean) => {
    const startedAt = performance.now();
    inFlight++;
    const s = state;
    const target = preview ? (s.canary ?? s.stable) : pick(s, req);
    const fault = target.fault.current;
    if (fault !== null) {
      const action = faultAction(fault, clock.now(), Math.random(), Math.random());
      if (action.abort !== 0) {
        res.writeHead(action.abort, { 'content-type': 'text/plain; charset=utf-8', 'x-rampart-fault': 'abort' });
        res.end('fault injected\n');
        target.series.record(action.abort, (performance.now() - startedAt) / 1000, clock.now());
        done();
        return;
      }
      if (action.delayMs > 0) {
        // The service learns about the injected latency too, so it can act as if a dependency were slow.
        req.headers['x-rampart-fault-latency-ms'] = String(action.delayMs);
        req.rawHeaders.push('x-rampart-fault-latency-ms', String(action.delayMs));
        setTimeout(() => void forward(req, res, target, startedAt), action.delayMs);
        return;
      }
    }
    const headers = forward(req, res, target, startedAt);
    if (!preview && s.canary !== null && target === s.stable && s.routing.mirror !== null && !scan.hasBody &&
        shouldMirror(s.routing, lookup, (Math.random() * 10_000) | 0)) {
      const mirrorTarget = s.canary;
      mirrorTarget.pool.dispatch({
        path: req.url ?? '/', method: req.method ?? 'GET', headers, body: null,
        headersTimeout: timeoutMs, bodyTimeout: timeoutMs,
      }, new MirrorHandler(mirrorTarget, performance.now(), clock));
    }
  };

  const onUpgrade = (preview: boolean) => (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (draining) return void socket.end('HTTP/1.1 503 Service Unavailable\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
    const s = state;
    const target = preview ? (s.canary ?? s.stable) : pick(s, req);
    tunnelUpgrade(req, socket, head, target, timeoutMs, (t) => {
      tunnels.add(t);
      t.once('close', () => tunnels.delete(t));
    });
  };

  const makeServer = (preview: boolean): Server => {
    const server = createServer({ keepAliveTimeout: 5_000 }, (req, res) => handle(req, res, preview));
    server.on('upgrade', onUpgrade(preview));
    server.on('clientError', (_err, socket) => {
      if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    });
    return server;
  };
  const main = makeServer(false);
  const previewServer = options.previewPort === undefined || options.previewPort === null ? null : makeServer(true);
  const listen = (server: Server, port: number) => new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, options.host ?? '127.0.0.1', () => {
      server.removeListener('error', reject);
      const a = server.address();
      resolve(typeof a === 'object' && a ? a.port : port);
    });
  });

  const apply = (r: CompileResult<RoutingConfig>): ProxyResult => {
    if (!r.ok) return { ok: false, code: 'invalid', message: r.message };
    state = Object.freeze({ ...state, routing: r.value });
    return { ok: true };
  };

  let closing: Promise<void> | null = null;

  return {
    service,
    async start() {
      const port = await listen(main, options.port ?? 0);
      const previewPort = previewServer ? await listen(previewServer, options.previewPort ?? 0) : null;
      return { port, previewPort };
    },
    routing: () => state.routing,
    upstreams: () => ({ stable: { ...upstreamSpec.stable }, canary: upstreamSpec.canary ? { ...upstreamSpec.canary } : null }),
    setWeight: (percent) => apply(withWeight(state.routing, percent)),
    setHeaderRoute: (spec) => apply(withHeaderRoute(state.routing, spec)),
    setMirror: (spec) => apply(withMirror(state.routing, spec)),
    setSticky: (sticky) => apply(withSticky(state.routing, sticky)),
    reset() {
      state = Object.freeze({ ...state, routing: resetRouting(state.routing) });
    },
    async setUpstreams(next) {
      const stable = makeTarget(next.stable, 'stable.url');
      if (!stable.ok) return { ok: false, code: 'invalid', message: stable.message };
      const canary = next.canary ? makeTarget(next.canary, 'canary.url') : null;
      if (canary && !canary.ok) return { ok: false, code: 'invalid', message: canary.message };
      state = Object.freeze({ ...state, stable: stable.value, canary: canary ? canary.value : null });
      upstreamSpec = { stable: { ...next.stable }, canary: next.canary ? { ...next.canary } : null };
      // Requests already dispatched keep their pool until they finish: undici's close() waits for them.
      await pools.prune(new Set([stable.value.origin, ...(canary ? [canary.value.origin] : [])]));
      return { ok: true };
    },
    inFlight: () => inFlight,
    close(graceMs = 10_000) {
      if (closing) return closing;
      draining = true;
      const servers = [main, ...(previewServer ? [previewServer] : [])];
      closing = (async () => {
        const closed = Promise.all(servers.map((s) => new Promise<void>((resolve) => (s.listening ? s.close(() => resolve()) : resolve()))));
        for (const s of servers) s.closeIdleConnections();
        const idle = inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => (drained = resolve));
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([idle, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))]);
        clearTimeout(timer);
        for (const s of servers) s.closeAllConnections();
        for (const t of tunnels) t.destroy();
        await closed;
        await pools.closeAll();
      })();
      return closing;
    },
  };
}
