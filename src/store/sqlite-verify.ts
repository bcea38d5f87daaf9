import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { ChainProblem } from '../domain/audit/chain.js';
import type { VerifyReport } from '../services/audit-log.js';
import type { RangeJob, RangeResult } from './sqlite-verify-worker.js';

const workerFile = fileURLToPath(new URL('./sqlite-verify-worker.js', import.meta.url));

/** True when the compiled worker exists (the built CLI); tests of the sources verify in one thread. */
export function canVerifyInParallel(): boolean {
  return existsSync(workerFile);
}

function runRange(job: RangeJob): Promise<RangeResult> {
  return new Promise((ok, fail) => {
    const w = new Worker(workerFile, { workerData: job });
    w.once('message', (r: RangeResult) => ok(r));
    w.once('error', fail);
  });
}

/**
 * Verifies a SQLite store's chain with one worker per core, each over a contiguous seq range, then
 * checks the seams between ranges and the head. Same answers as the single-threaded verify.
 */
export async function verifyAuditChainParallel(file: string, head: { seq: number; hash: string } | undefined, workers = availableParallelism(), minPerWorker = 100_000): Promise<VerifyReport> {
  const top = head?.seq ?? 0;
  const n = Math.max(1, Math.min(workers, Math.ceil(top / minPerWorker)));
  const size = Math.ceil(top / n);
  const jobs: RangeJob[] = Array.from({ length: n }, (_, i) => ({ file, fromSeq: i * size + 1, toSeq: i === n - 1 ? Number.MAX_SAFE_INTEGER : (i + 1) * size }));
  const results = await Promise.all(jobs.map(runRange));
  let checked = 0;
  let prevEnd: { seq: number; hash: string } = { seq: 0, hash: '0'.repeat(64) };
  for (const [i, r] of results.entries()) {
    checked += r.checked;
    const job = jobs[i]!;
    if (r.first) {
      // The seam: the range's first event must follow the previous range's last one.
      if (r.first.seq !== prevEnd.seq + 1) {
        const firstMissing = prevEnd.seq + 1;
        return fail({ kind: 'missing', seq: firstMissing, message: `seq ${firstMissing}${r.first.seq - 1 > firstMissing ? `..${r.first.seq - 1}` : ''} missing: the chain jumps from seq ${prevEnd.seq} to ${r.first.seq}` });
      }
      if (r.first.prevHash !== prevEnd.hash) {
        return fail({ kind: 'reordered', seq: r.first.seq, message: `event seq ${r.first.seq} was chained after a different event than seq ${prevEnd.seq} (moved, or rewritten with a new chain)` });
      }
    }
    if (r.problem) return fail(r.problem as ChainProblem);
    if (r.last) prevEnd = r.last;
    else if (job.toSeq !== Number.MAX_SAFE_INTEGER) {
      return fail({ kind: 'missing', seq: job.fromSeq, message: `seq ${job.fromSeq}..${job.toSeq} missing` });
    }
  }
  if (head && head.seq > prevEnd.seq) {
    return fail({ kind: 'missing', seq: prevEnd.seq + 1, message: `seq ${prevEnd.seq + 1}..${head.seq} missing: the log ends at seq ${prevEnd.seq} but its head records seq ${head.seq}` });
  }
  if (head && head.seq < prevEnd.seq) {
    return fail({ kind: 'edited', seq: head.seq + 1, message: `event seq ${head.seq + 1} was added outside an append: the head records seq ${head.seq}` });
  }
  if (head && head.hash !== prevEnd.hash) return fail({ kind: 'edited', seq: head.seq, message: `event seq ${head.seq} differs from the hash recorded at its append` });
  return { ok: true, checked, head };

  function fail(problem: ChainProblem): VerifyReport {
    return { ok: false, checked, head, problem };
  }
}
