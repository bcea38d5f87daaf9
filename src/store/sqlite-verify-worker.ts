/**
 * Worker side of the parallel audit verify: checks one seq range of a SQLite store — every
 * event's own hash, seq continuity and links inside the range — and reports its seams so the
 * caller can check that the ranges join up.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { createChainVerifier } from '../domain/audit/chain.js';
import { openSqliteStore } from './sqlite.js';

export interface RangeJob {
  file: string;
  fromSeq: number;
  toSeq: number;
}

export interface RangeResult {
  checked: number;
  problem?: { kind: string; seq: number; message: string };
  first?: { seq: number; prevHash: string };
  last?: { seq: number; hash: string };
}

async function verifyRange(job: RangeJob): Promise<RangeResult> {
  const store = await openSqliteStore(job.file, { readonly: true });
  try {
    let after = job.fromSeq - 1;
    let verifier: ReturnType<typeof createChainVerifier> | undefined;
    let first: RangeResult['first'];
    let last: RangeResult['last'];
    for (;;) {
      const page = (await store.audit.page(after, 20_000)).filter((e) => e.seq <= job.toSeq);
      if (page.length === 0) break;
      for (const e of page) {
        if (!verifier) {
          first = { seq: e.seq, prevHash: e.prevHash };
          // The first event's link is checked by the caller, against the previous range's end.
          verifier = createChainVerifier({ seq: job.fromSeq - 1, hash: e.prevHash });
        }
        const problem = verifier.push(e);
        if (problem) return { checked: verifier.count, problem, ...(first ? { first } : {}) };
        last = { seq: e.seq, hash: e.hash };
      }
      after = page[page.length - 1]!.seq;
      if (after >= job.toSeq) break;
    }
    return { checked: verifier?.count ?? 0, ...(first ? { first } : {}), ...(last ? { last } : {}) };
  } finally {
    await store.close();
  }
}

if (parentPort && workerData) {
  verifyRange(workerData as RangeJob).then((r) => parentPort!.postMessage(r), (err: Error) => parentPort!.postMessage({ checked: 0, problem: { kind: 'error', seq: 0, message: err.message } }));
}
