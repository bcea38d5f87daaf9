import type { Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import type { Database } from '../store/schema.js';
import { createGroupCommit } from './group-commit.js';

/** A store stand-in: each transaction stages writes and keeps them only when its function succeeds. */
function fakeStore() {
  const committed: string[] = [];
  let transactions = 0;
  const writeTransaction = async <T>(fn: (trx: Kysely<Database>) => Promise<T>): Promise<T> => {
    transactions++;
    const staged: string[] = [];
    const result = await fn({ staged } as unknown as Kysely<Database>);
    committed.push(...staged);
    return result;
  };
  const write = (value: string) => async (trx: Kysely<Database>) => {
    if (value.startsWith('bad')) throw new Error(`refused ${value}`);
    (trx as unknown as { staged: string[] }).staged.push(value);
    return value.toUpperCase();
  };
  return { committed, writeTransaction, write, transactions: () => transactions };
}

describe('group commit', () => {
  it('runs the calls of one turn in one transaction, each caller getting its own result', async () => {
    const s = fakeStore();
    const commits = createGroupCommit(s.writeTransaction);
    const results = await Promise.all(['a', 'b', 'c'].map((v) => commits.run(s.write(v))));
    expect(results).toEqual(['A', 'B', 'C']);
    expect(s.committed).toEqual(['a', 'b', 'c']);
    expect(s.transactions()).toBe(1);
  });

  it('a failing call fails alone: the others of its batch are committed on their own', async () => {
    const s = fakeStore();
    const commits = createGroupCommit(s.writeTransaction);
    const results = await Promise.allSettled(['a', 'bad-b', 'c'].map((v) => commits.run(s.write(v))));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason).toEqual(new Error('refused bad-b'));
    expect(s.committed).toEqual(['a', 'c']);
  });

  it('calls made while a batch commits form the next batch; drain waits for all', async () => {
    const s = fakeStore();
    const commits = createGroupCommit(s.writeTransaction);
    const first = commits.run(s.write('a'));
    await new Promise<void>((r) => setImmediate(r));
    const second = commits.run(s.write('b'));
    await commits.drain();
    expect(await Promise.all([first, second])).toEqual(['A', 'B']);
    expect(s.committed).toEqual(['a', 'b']);
    expect(s.transactions()).toBe(2);
  });
});
