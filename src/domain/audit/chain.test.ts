import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../canonical-json.js';
import { type AuditEvent, createChainVerifier, eventBody, genesisHash, sealEvent } from './chain.js';

function chain(n: number): AuditEvent[] {
  const out: AuditEvent[] = [];
  for (let i = 0; i < n; i++) {
    out.push(sealEvent(
      { actor: `user-${i % 3}`, action: 'token.create', subject: { kind: 'token', id: `t${i}` }, service: i % 2 ? 'api' : null, payload: { i, b: [1, 'x'] } },
      out.at(-1),
      `evt_${i}`,
      Date.UTC(2026, 0, 1) + i * 1000,
    ));
  }
  return out;
}

function verify(events: AuditEvent[], head = events.at(-1)) {
  const v = createChainVerifier();
  for (const e of events) {
    const problem = v.push(e);
    if (problem) return problem;
  }
  return v.finish(head && { seq: head.seq, hash: head.hash });
}

describe('canonicalJson', () => {
  it.each([
    [{ b: 1, a: [true, null, 'x'] }, '{"a":[true,null,"x"],"b":1}'],
    [{ z: { y: 2, x: 1 } }, '{"z":{"x":1,"y":2}}'],
    [{ a: undefined, b: 'é' }, '{"b":"é"}'],
    [[1.5, -0, 1e21], '[1.5,0,1e+21]'],
    ['a"b', '"a\\"b"'],
  ])('%j → %s', (value, text) => {
    expect(canonicalJson(value)).toBe(text);
  });

  it('writes what a stored JSON copy would hold for NaN, and refuses what JSON cannot hold', () => {
    expect(canonicalJson({ x: Number.NaN })).toBe('{"x":null}');
    expect(() => canonicalJson({ x: 1n })).toThrow(/bigint/);
  });
});

describe('audit hash chain', () => {
  it('hashes canonical JSON of the event, payload last', () => {
    const odd = sealEvent({ actor: 'a"b\\c\n', action: 'x\u2028y', subject: { kind: 'k\u0001', id: '\ud83d\ude00 \ud800' }, service: 'é' }, undefined, 'evt_odd', 0);
    for (const e of [...chain(4), odd]) {
      const { payload, hash: _h, prevHash: _p, subjectKind, subjectId, ...rest } = e;
      const head = canonicalJson({ ...rest, subject: { id: subjectId, kind: subjectKind } });
      expect(eventBody(e)).toBe(`${head.slice(0, -1)},"payload":${payload}}`);
    }
  });

  it('links each event to the previous hash, starting from genesis', () => {
    const events = chain(3);
    expect(events[0]?.prevHash).toBe(genesisHash);
    expect(events[1]?.prevHash).toBe(events[0]?.hash);
    expect(events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(verify(events)).toBeUndefined();
  });

  it('finds an edited payload', () => {
    const events = chain(5);
    events[2] = { ...events[2]!, payload: '{"i":99}' };
    expect(verify(events)).toMatchObject({ kind: 'edited', seq: 3 });
  });

  it.each(['actor', 'action', 'time', 'service', 'subjectId'] as const)('finds an edited %s', (field) => {
    const events = chain(4);
    events[1] = { ...events[1]!, [field]: 'tampered' };
    expect(verify(events)).toMatchObject({ kind: 'edited', seq: 2 });
  });

  it('finds a deleted event in the middle, at the start and at the end', () => {
    const mid = chain(5);
    mid.splice(2, 1);
    expect(verify(mid)).toMatchObject({ kind: 'missing', seq: 3 });
    const first = chain(5).slice(1);
    expect(verify(first)).toMatchObject({ kind: 'missing', seq: 1 });
    const full = chain(5);
    expect(verify(full.slice(0, 4), full[4])).toMatchObject({ kind: 'missing', seq: 5 });
  });

  it('finds swapped events', () => {
    const events = chain(5);
    const a = events[1]!;
    const b = events[2]!;
    events[1] = { ...b, seq: a.seq };
    events[2] = { ...a, seq: b.seq };
    // Renumbering changes what the hash covers, so a swap reads as an edit of the first moved seq.
    expect(verify(events)).toMatchObject({ seq: 2 });
    const unnumbered = chain(5);
    [unnumbered[1], unnumbered[2]] = [unnumbered[2]!, unnumbered[1]!];
    expect(verify(unnumbered)).toMatchObject({ kind: 'missing', seq: 2 });
  });

  it('finds a re-chained tail whose hashes are self-consistent', () => {
    const events = chain(4);
    const forged = sealEvent({ actor: 'mallory', action: 'x', subject: { kind: 'k', id: '1' } }, { seq: 2, hash: 'f'.repeat(64) }, 'evt_f', 0);
    events[2] = forged;
    expect(verify(events.slice(0, 3), forged)).toMatchObject({ kind: 'reordered', seq: 3 });
  });

  it('finds rows added behind the recorded head', () => {
    const events = chain(4);
    expect(verify(events, events[2])).toMatchObject({ kind: 'edited', seq: 4 });
  });
});
