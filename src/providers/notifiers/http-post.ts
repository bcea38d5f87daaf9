import { scrub } from './secrets.js';
import type { SendResult } from './types.js';

/** Statuses worth another attempt: the receiver may accept the same request later. */
function retryableStatus(status: number): boolean {
  return status === 408 || status === 425 || status === 429 || status >= 500;
}

/**
 * POSTs `body` and classifies the answer as a SendResult. Never rejects. `what` names the
 * receiver in messages ("slack", "pagerduty"): the URL is never put in a message, since it may
 * carry the secret (Slack and webhook URLs do), and `secrets` are scrubbed from the receiver's
 * answer, which may echo what it was sent.
 */
export async function postBody(url: string, body: string, headers: Record<string, string>, timeoutMs: number, what: string, secrets: readonly string[]): Promise<SendResult> {
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', body, headers, signal: AbortSignal.timeout(timeoutMs), redirect: 'error' });
  } catch (err) {
    const e = err as Error & { cause?: { code?: string } };
    if (e.name === 'TimeoutError') return { ok: false, retryable: true, message: `${what}: no answer within ${timeoutMs} ms` };
    return { ok: false, retryable: true, message: `${what}: cannot reach the receiver (${e.cause?.code ?? e.name})` };
  }
  const text = await res.text().catch(() => '');
  if (res.ok) return { ok: true };
  const detail = scrub(text, secrets).replace(/\s+/g, ' ').trim().slice(0, 200);
  const fix = res.status === 401 || res.status === 403 ? '; check the credentials in notifications config' : res.status === 404 ? '; check the URL, owner/repo or routing key' : '';
  return { ok: false, retryable: retryableStatus(res.status), message: `${what}: HTTP ${res.status}${detail ? ` ${detail}` : ''}${fix}` };
}

/** POSTs JSON (content type application/json unless `headers` say otherwise). */
export function postJson(url: string, payload: unknown, headers: Record<string, string>, timeoutMs: number, what: string, secrets: readonly string[]): Promise<SendResult> {
  return postBody(url, JSON.stringify(payload), { 'content-type': 'application/json', ...headers }, timeoutMs, what, secrets);
}

/** `base` without trailing slashes, so `${base}/path` never doubles them. */
export function trimBase(base: string): string {
  return base.replace(/\/+$/, '');
}
