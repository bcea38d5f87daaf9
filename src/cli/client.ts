import { type ErrorCode, RampartError, errorCodes } from '../platform/errors.js';

export interface ApiClient {
  get<T>(path: string): Promise<T>;
  post<T>(path: string, body: unknown): Promise<T>;
  put<T>(path: string, body: unknown): Promise<T>;
  del<T>(path: string): Promise<T>;
  /** The raw response, for streams. */
  raw(path: string): Promise<Response>;
}

/**
 * A thin client of the HTTP API. An unreachable server is UNAVAILABLE (exit 3); an API error
 * keeps its code, so the CLI exits as the one error table says.
 */
export function createApiClient(server: string, token: string | undefined): ApiClient {
  const base = server.replace(/\/+$/, '');
  async function call(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = {};
    if (token) headers.authorization = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(`${base}${path}`, { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    } catch (err) {
      const c = (err as { cause?: { code?: string; message?: string } }).cause;
      const cause = c?.code ?? c?.message ?? (err as Error).message;
      throw new RampartError('UNAVAILABLE', `cannot reach the Rampart server at ${base} (${cause}); start it with \`rampart up\` or set --server / RAMPART_SERVER`);
    }
    if (!res.ok) {
      let code: ErrorCode = res.status === 401 ? 'UNAUTHENTICATED' : res.status === 403 ? 'FORBIDDEN' : 'INTERNAL';
      let message = `${method} ${path} answered ${res.status}`;
      let details: unknown;
      try {
        const parsed = (await res.json()) as { error?: { code?: string; message?: string; details?: unknown } };
        if (parsed.error?.code && parsed.error.code in errorCodes) code = parsed.error.code as ErrorCode;
        if (parsed.error?.message) message = parsed.error.message;
        details = parsed.error?.details;
      } catch {
        // Not a Rampart error body: keep the status line.
      }
      if (code === 'UNAUTHENTICATED' && !token) message += ' (pass --token or set RAMPART_TOKEN)';
      throw new RampartError(code, message, details);
    }
    return res;
  }
  return {
    get: async (path) => (await call('GET', path)).json(),
    post: async (path, body) => (await call('POST', path, body)).json(),
    put: async (path, body) => (await call('PUT', path, body)).json(),
    del: async (path) => (await call('DELETE', path)).json(),
    raw: (path) => call('GET', path),
  } as ApiClient;
}
