import { hash } from 'node:crypto';
import { canonicalJson } from '../canonical-json.js';

/** What a caller asks to record. */
export interface AuditEntry {
  actor: string;
  action: string;
  subject: { kind: string; id: string };
  service?: string | null;
  payload?: unknown;
}

/** A recorded event: the entry with its place in the chain. */
export interface AuditEvent {
  seq: number;
  id: string;
  /** ISO-8601 UTC with milliseconds. */
  time: string;
  actor: string;
  action: string;
  subjectKind: string;
  subjectId: string;
  service: string | null;
  /** Canonical JSON of the payload, stored and hashed as this exact text. */
  payload: string;
  prevHash: string;
  hash: string;
}

/** The hash before the first event. */
export const genesisHash = '0'.repeat(64);

/**
 * The text an event's hash covers: canonical JSON of every field but the hash itself, with the
 * payload spliced in as its stored canonical text. Splicing keeps verify from re-parsing payloads.
 */
const needsEscape = /[\u0000-\u001f"\\\ud800-\udfff]/;

/** JSON string literal; skips JSON.stringify for the common plain string (same output). */
function q(text: string): string {
  return needsEscape.test(text) ? JSON.stringify(text) : `"${text}"`;
}

export function eventBody(e: Omit<AuditEvent, 'hash' | 'prevHash'>): string {
  // Written out by hand (keys in sorted order, as canonicalJson would) because verify runs this a
  // million times; chain.test.ts checks it against canonicalJson.
  return `{"action":${q(e.action)},"actor":${q(e.actor)},"id":${q(e.id)},"seq":${e.seq},"service":${e.service === null ? 'null' : q(e.service)},`
    + `"subject":{"id":${q(e.subjectId)},"kind":${q(e.subjectKind)}},"time":${q(e.time)},"payload":${e.payload}}`;
}

/** hash = SHA-256(previous hash + canonical JSON of the event), hex. */
export function chainHash(prevHash: string, e: Omit<AuditEvent, 'hash' | 'prevHash'>): string {
  return hash('sha256', prevHash + eventBody(e), 'hex');
}

/** Seals an entry as the event after `prev` (or the first, when `prev` is undefined). */
export function sealEvent(
  entry: AuditEntry,
  prev: { seq: number; hash: string } | undefined,
  id: string,
  timeMs: number,
): AuditEvent {
  const unsealed = {
    seq: (prev?.seq ?? 0) + 1,
    id,
    time: new Date(timeMs).toISOString(),
    actor: entry.actor,
    action: entry.action,
    subjectKind: entry.subject.kind,
    subjectId: entry.subject.id,
    service: entry.service ?? null,
    payload: canonicalJson(entry.payload ?? {}),
  };
  const prevHash = prev?.hash ?? genesisHash;
  return { ...unsealed, prevHash, hash: chainHash(prevHash, unsealed) };
}

export type ChainProblem =
  | { kind: 'edited'; seq: number; message: string }
  | { kind: 'missing'; seq: number; message: string }
  | { kind: 'reordered'; seq: number; message: string };

/**
 * Walks events in stored seq order and reports the first break. Feed it in batches: the state it
 * returns carries the chain across calls, so a million events need no more memory than a batch.
 * `start` lets a verifier begin mid-chain (a parallel verifier checks the seams itself).
 */
export function createChainVerifier(start: { seq: number; hash: string } = { seq: 0, hash: genesisHash }): {
  push(e: AuditEvent): ChainProblem | undefined;
  /** Checks the end of the chain against the recorded head (seq and hash of the last append). */
  finish(head: { seq: number; hash: string } | undefined): ChainProblem | undefined;
  readonly count: number;
} {
  let prev = start;
  let count = 0;
  return {
    get count() {
      return count;
    },
    push(e) {
      count++;
      const recomputed = chainHash(e.prevHash, e);
      if (recomputed !== e.hash) {
        return { kind: 'edited', seq: e.seq, message: `event seq ${e.seq} was edited: its content no longer matches its hash` };
      }
      if (e.seq !== prev.seq + 1) {
        if (e.seq <= prev.seq) {
          return { kind: 'reordered', seq: e.seq, message: `event seq ${e.seq} comes after seq ${prev.seq}` };
        }
        const first = prev.seq + 1;
        const range = first === e.seq - 1 ? `seq ${first}` : `seq ${first}..${e.seq - 1}`;
        return { kind: 'missing', seq: first, message: `${range} missing: the chain jumps from seq ${prev.seq} to ${e.seq}` };
      }
      if (e.prevHash !== prev.hash) {
        return {
          kind: 'reordered',
          seq: e.seq,
          message: `event seq ${e.seq} was chained after a different event than seq ${prev.seq} (moved, or rewritten with a new chain)`,
        };
      }
      prev = { seq: e.seq, hash: e.hash };
      return undefined;
    },
    finish(head) {
      if (!head) return undefined;
      if (head.seq > prev.seq) {
        const first = prev.seq + 1;
        return { kind: 'missing', seq: first, message: `seq ${first}..${head.seq} missing: the log ends at seq ${prev.seq} but its head records seq ${head.seq}` };
      }
      if (head.seq < prev.seq) {
        return { kind: 'edited', seq: head.seq + 1, message: `event seq ${head.seq + 1} was added outside an append: the head records seq ${head.seq}` };
      }
      if (head.hash !== prev.hash) {
        return { kind: 'edited', seq: head.seq, message: `event seq ${head.seq} differs from the hash recorded at its append` };
      }
      return undefined;
    },
  };
}
