import { errorObservation } from './types.js';
import type { ProviderMeasurement } from './types.js';

export type HttpOutcome =
  | { readonly ok: true; readonly status: number; readonly text: string; readonly contentType: string }
  | { readonly ok: false; readonly measurement: ProviderMeasurement };

/**
 * One HTTP request with a timeout and the caller's cancel signal, turning every transport
 * failure into a typed error observation (timeout, aborted, unavailable). HTTP statuses are
 * returned as they are: each provider reads its own error bodies.
 */
export async function httpRequest(url: string, init: { method: string; headers?: Record<string, string>; body?: string }, timeoutMs: number, signal: AbortSignal | undefined, query: string): Promise<HttpOutcome> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  try {
    const response = await fetch(url, { method: init.method, headers: init.headers ?? {}, ...(init.body !== undefined ? { body: init.body } : {}), signal: combined, redirect: 'follow' });
    const text = await response.text();
    return { ok: true, status: response.status, text, contentType: response.headers.get('content-type') ?? '' };
  } catch (error) {
    if (signal?.aborted) return { ok: false, measurement: errorObservation('aborted', `measurement cancelled: ${url}`, { query }) };
    if (timeout.aborted) return { ok: false, measurement: errorObservation('timeout', `no answer from ${url} within ${timeoutMs / 1000} s`, { query }) };
    return { ok: false, measurement: errorObservation('unavailable', `${url} is unreachable: ${describeCause(error)}`, { query }) };
  }
}

/** fetch wraps socket errors ("fetch failed"); the cause says what happened (ECONNREFUSED…). */
function describeCause(error: unknown): string {
  const e = error as { message?: string; cause?: { code?: string; message?: string } };
  const cause = e.cause ? [e.cause.code, e.cause.message].filter(Boolean).join(' ') : '';
  return cause !== '' ? cause : e.message ?? String(error);
}

/** The first 200 characters of a body, for messages. */
export function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 200 ? `${flat.slice(0, 200)}…` : flat;
}
