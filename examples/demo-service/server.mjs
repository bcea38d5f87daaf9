// Rampart demo service: a small plain-Node HTTP app to roll out, break and watch.
//
//   PORT=8081 VERSION=1.1.0 node examples/demo-service/server.mjs
//
// Environment (read once at start):
//   PORT                  listen port (default 8080); HOST (default 127.0.0.1)
//   VERSION               echoed in the `x-version` header and in JSON bodies (default "dev")
//   ERROR_RATE            share (0–1) of API requests answered 500: makes a bad version
//   LATENCY_MS            added to every API request: makes a slow version
//   GRAPHQL_BROKEN        1: every POST /graphql answers 500 (the rest works): fails the synthetic check
//   DEPENDENCY_LATENCY_MS latency of the simulated downstream dependency (default 5)
//   BREAKER_TIMEOUT_MS    a dependency call slower than this fails the breaker (default 250)
//   BREAKER_THRESHOLD     consecutive failures that open a breaker (default 3)
//   BREAKER_RESET_MS      time an open breaker waits before going half-open (default 5000)
//
// Circuit breakers: each API route calls a simulated dependency ("inventory", "search-index").
// Its latency is DEPENDENCY_LATENCY_MS, overridden per request by the header
// `x-dependency-latency-ms` or by `x-rampart-fault-latency-ms` (which the Rampart proxy adds when
// it injects latency), or at run time by POST /admin/dependency-latency {"ms": N}. A call slower
// than BREAKER_TIMEOUT_MS is cut at the timeout and counts as a failure; after BREAKER_THRESHOLD
// failures the breaker opens (calls short-circuit to a degraded answer), after BREAKER_RESET_MS it
// goes half-open, and one good call closes it again. GET /health/detailed reports every breaker.
import { createServer } from 'node:http';

const num = (name, fallback) => {
  const raw = process.env[name];
  const n = raw === undefined || raw === '' ? fallback : Number(raw);
  if (!Number.isFinite(n) || n < 0) {
    process.stderr.write(`demo-service: ${name} must be a non-negative number (got ${raw})\n`);
    process.exit(2);
  }
  return n;
};

const config = {
  port: num('PORT', 8080),
  host: process.env.HOST || '127.0.0.1',
  version: process.env.VERSION || 'dev',
  errorRate: num('ERROR_RATE', 0),
  latencyMs: num('LATENCY_MS', 0),
  dependencyLatencyMs: num('DEPENDENCY_LATENCY_MS', 5),
  breakerTimeoutMs: num('BREAKER_TIMEOUT_MS', 250),
  breakerThreshold: num('BREAKER_THRESHOLD', 3),
  breakerResetMs: num('BREAKER_RESET_MS', 5000),
  graphqlBroken: process.env.GRAPHQL_BROKEN === '1',
};
let runtimeDependencyLatency = null;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function createBreaker(name) {
  let state = 'closed';
  let failures = 0;
  let openedAt = 0;
  return {
    name,
    state() {
      if (state === 'open' && Date.now() - openedAt >= config.breakerResetMs) state = 'half-open';
      return state;
    },
    /** Runs the simulated dependency call; answers { ok, degraded }. */
    async call(latencyMs) {
      if (this.state() === 'open') return { ok: false, degraded: true };
      const slow = latencyMs > config.breakerTimeoutMs;
      await sleep(Math.min(latencyMs, config.breakerTimeoutMs));
      if (!slow) {
        state = 'closed';
        failures = 0;
        return { ok: true, degraded: false };
      }
      failures++;
      if (state === 'half-open' || failures >= config.breakerThreshold) {
        state = 'open';
        openedAt = Date.now();
      }
      return { ok: false, degraded: true };
    },
  };
}

const breakers = { inventory: createBreaker('inventory'), search: createBreaker('search-index') };

function dependencyLatency(req) {
  const header = req.headers['x-dependency-latency-ms'] ?? req.headers['x-rampart-fault-latency-ms'];
  const fromHeader = header === undefined ? NaN : Number(header);
  if (Number.isFinite(fromHeader) && fromHeader >= 0) return fromHeader;
  return runtimeDependencyLatency ?? config.dependencyLatencyMs;
}

function send(res, status, body) {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), 'x-version': config.version });
  res.end(text);
}

function readBody(req) {
  return new Promise((resolve) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
  });
}

const items = Array.from({ length: 20 }, (_, i) => ({ id: i + 1, name: `item-${i + 1}`, price: (i + 1) * 3 }));

async function api(req, res, url) {
  if (config.latencyMs > 0) await sleep(config.latencyMs);
  if (config.errorRate > 0 && Math.random() < config.errorRate) return send(res, 500, { error: 'injected error', version: config.version });
  // `dependencyLatencyMs` says which latency this request's dependency call was given (injected or not).
  if (url.pathname === '/api/items') {
    const latency = dependencyLatency(req);
    const dep = await breakers.inventory.call(latency);
    return send(res, 200, { version: config.version, degraded: dep.degraded, dependencyLatencyMs: latency, items: dep.degraded ? items.slice(0, 5) : items });
  }
  if (url.pathname === '/api/search') {
    const q = (url.searchParams.get('q') ?? '').toLowerCase();
    const latency = dependencyLatency(req);
    const dep = await breakers.search.call(latency);
    return send(res, 200, { version: config.version, degraded: dep.degraded, dependencyLatencyMs: latency, results: dep.degraded ? [] : items.filter((i) => i.name.includes(q)) });
  }
  if (url.pathname.startsWith('/api/items/')) {
    const item = items.find((i) => String(i.id) === url.pathname.slice('/api/items/'.length));
    return item ? send(res, 200, { version: config.version, item }) : send(res, 404, { error: 'no such item' });
  }
  return send(res, 404, { error: 'not found' });
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url ?? '/', 'http://demo');
  try {
    if (req.method === 'GET' && url.pathname === '/health') return send(res, 200, { status: 'ok', version: config.version });
    if (req.method === 'GET' && url.pathname === '/health/detailed') {
      const circuitBreakers = Object.values(breakers).map((b) => ({ name: b.name, state: b.state() }));
      const status = circuitBreakers.some((b) => b.state === 'open') ? 'degraded' : 'ok';
      return send(res, 200, { status, version: config.version, circuitBreakers });
    }
    if (req.method === 'POST' && url.pathname === '/graphql') {
      const raw = await readBody(req);
      if (config.graphqlBroken) return send(res, 500, { errors: [{ message: 'GraphQL is broken in this version (GRAPHQL_BROKEN=1)' }] });
      let query = '';
      try {
        query = String(JSON.parse(raw).query ?? '');
      } catch {
        return send(res, 400, { errors: [{ message: 'body must be JSON: {"query": "..."}' }] });
      }
      if (config.errorRate > 0 && Math.random() < config.errorRate) return send(res, 500, { errors: [{ message: 'injected error' }] });
      if (/^\s*(query\s*)?\{\s*__typename\s*\}\s*$/.test(query)) return send(res, 200, { data: { __typename: 'Query' } });
      return send(res, 400, { errors: [{ message: 'this demo answers only { __typename }' }] });
    }
    if (req.method === 'POST' && url.pathname === '/admin/dependency-latency') {
      const body = JSON.parse((await readBody(req)) || '{}');
      runtimeDependencyLatency = body.ms === null || body.ms === undefined ? null : Number(body.ms);
      return send(res, 200, { dependencyLatencyMs: runtimeDependencyLatency ?? config.dependencyLatencyMs });
    }
    if (url.pathname.startsWith('/api/')) return await api(req, res, url);
    return send(res, 404, { error: 'not found' });
  } catch (err) {
    return send(res, 500, { error: String(err?.message ?? err) });
  }
});
server.keepAliveTimeout = 10_000;

server.listen(config.port, config.host, () => {
  const a = server.address();
  process.stdout.write(`demo-service ${config.version} listening on http://${config.host}:${typeof a === 'object' && a ? a.port : config.port}\n`);
});

const stop = () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
