const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls `read` every 250 ms until `done` holds or `ms` pass, and returns the last value (the caller asserts on it). */
export async function until<T>(read: () => Promise<T>, done: (v: T) => boolean, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  let v = await read();
  while (!done(v) && Date.now() < deadline) {
    await sleep(250);
    v = await read();
  }
  return v;
}

/** A JSON client for a running Rampart with one token: throws with the path, status and body on a non-2xx answer. */
export function apiClient(url: () => string, token: string) {
  return async <T>(path: string, init: { method?: string; body?: unknown } = {}): Promise<T> => {
    const res = await fetch(`${url()}${path}`, {
      method: init.method ?? 'GET', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
}
