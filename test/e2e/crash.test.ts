import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runRampart, startUp, waitExit } from '../../src/testing/cli.js';
import { freePort } from '../../src/testing/ports.js';

const adminToken = 'rpt_crash-test-admin-token-0123456789';

describe('kill -9 during a burst of audited writes', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rampart-crash-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every acknowledged write and an intact chain', async () => {
    const env = { RAMPART_ADMIN_TOKEN: adminToken };
    const port = await freePort();
    const up = await startUp(['--port', String(port), '--data-dir', dir], env);

    // 1,000 token creations (each writes its token and its audit event), 50 in flight at a time;
    // the server is killed with SIGKILL once 300 have been answered.
    const acknowledged: string[] = [];
    let next = 0;
    let killed = false;
    const worker = async () => {
      while (next < 1000) {
        const i = next++;
        try {
          const res = await fetch(`${up.url}/api/v1/tokens`, {
            method: 'POST',
            headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
            body: JSON.stringify({ name: `burst-${i}`, roles: ['viewer'] }),
          });
          if (res.status === 201) acknowledged.push(((await res.json()) as { id: string }).id);
        } catch {
          // Connection cut by the kill: not acknowledged, so nothing is promised.
        }
        if (!killed && acknowledged.length >= 300) {
          killed = true;
          up.child.kill('SIGKILL');
        }
      }
    };
    await Promise.all(Array.from({ length: 50 }, worker));
    await waitExit(up.child);
    expect(killed).toBe(true);
    expect(acknowledged.length).toBeGreaterThanOrEqual(300);
    expect(acknowledged.length).toBeLessThan(1000);

    const again = await startUp(['--port', String(port), '--data-dir', dir], env);
    try {
      const seen = new Set<string>();
      let before = '';
      for (;;) {
        const res = await fetch(`${again.url}/api/v1/audit?action=token.create&limit=1000${before}`, { headers: { authorization: `Bearer ${adminToken}` } });
        const page = (await res.json()) as { events: Array<{ subjectId: string }>; next: { before: number } | null };
        for (const e of page.events) seen.add(e.subjectId);
        if (!page.next) break;
        before = `&before=${page.next.before}`;
      }
      const lost = acknowledged.filter((id) => !seen.has(id));
      expect(lost).toEqual([]);
      const tokens = (await (await fetch(`${again.url}/api/v1/tokens`, { headers: { authorization: `Bearer ${adminToken}` } })).json()) as { tokens: Array<{ id: string }> };
      const stored = new Set(tokens.tokens.map((t) => t.id));
      expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
      // Nothing half-written: every stored token has its event and every event its token.
      expect([...seen].filter((id) => !stored.has(id))).toEqual([]);
    } finally {
      again.child.kill('SIGTERM');
      await waitExit(again.child);
    }
    const verify = await runRampart(['audit', 'verify', '--data-dir', dir]);
    expect(verify.code).toBe(0);
  });
});
